import CloudProbe
import Foundation
import StepEngine

/// `check` as a monitor reads it: the OpenMetrics text format (for node_exporter's textfile collector, or any
/// Prometheus scrape) and a Nagios plugin's one line with performance data. Both say what `check` found, with the
/// same exit statuses (the Nagios convention: 0 ok, 1 warning, 2 critical, 3 unknown).
struct MonitorReport {
    var report: CloudVerification.Report
    /// The check's exit status.
    var status: Int32
    /// The cloud's Keystone URL, a label on every sample.
    var cloud: String

    /// What a monitor reads when the cloud could not be checked at all: status 3 on standard output, in its format
    /// (the message with its remedy goes to standard error as ever); nil for the formats a person reads.
    static func couldNotCheck(_ format: CheckFormat, reason: String) -> String? {
        switch format {
        case .nagios:
            "ATMO-CONNECT UNKNOWN - the cloud could not be checked: "
                + oneLine(reason.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "; "))
        case .openmetrics: statusFamily(labels: "", status: 3).joined(separator: "\n") + "\n# EOF"
        case .text, .json: nil
        }
    }

    /// Every sample, in the OpenMetrics text format, ending with `# EOF`.
    func openMetrics() -> String {
        let cloudLabel = "cloud=\"\(Self.escape(cloud))\""
        var lines = Self.statusFamily(labels: cloudLabel, status: status)
        func family(_ name: String, _ help: String, unit: String? = nil, _ samples: [(labels: String, value: String)]) {
            lines += Self.family(name, help, unit: unit, samples)
        }
        family(
            "atmo_connect_check_duration_seconds", "How long the check took.", unit: "seconds",
            [(cloudLabel, Self.number(report.wallTime))])
        let counts = Dictionary(grouping: report.findings, by: \.severity).mapValues(\.count)
        family(
            "atmo_connect_check_findings", "Findings of the check by severity.",
            Severity.allCases.map { ("\(cloudLabel),severity=\"\($0.rawValue)\"", "\(counts[$0] ?? 0)") })
        let endpoints = report.tls.sorted { $0.url < $1.url }
        let label = { (tls: TLSReport) in "\(cloudLabel),url=\"\(Self.escape(tls.url))\"" }
        family(
            "atmo_connect_endpoint_tls_ok", "1 when the endpoint's TLS verified (certificate trusted, valid, naming the host), else 0.",
            endpoints.map { (label($0), $0.verified ? "1" : "0") })
        family(
            "atmo_connect_endpoint_certificate_days_left", "Whole days until the endpoint's certificate expires (negative once expired).",
            endpoints.compactMap { tls in tls.daysLeft.map { (label(tls), "\($0)") } })
        family(
            "atmo_connect_endpoint_http_status", "The HTTP status the endpoint answered with (absent when it did not answer).",
            endpoints.compactMap { tls in tls.status.map { (label(tls), "\($0)") } })
        family(
            "atmo_connect_endpoint_latency_seconds", "How long the endpoint took to answer.", unit: "seconds",
            endpoints.map { (label($0), Self.number($0.elapsed)) })
        family(
            "atmo_connect_floating_ips_free", "Free floating IPs on each external network.",
            report.facts.freeFloatingIPs.sorted { $0.key < $1.key }.map { ("\(cloudLabel),network=\"\(Self.escape($0.key))\"", "\($0.value)") })
        lines.append("# EOF")
        return lines.joined(separator: "\n") + "\n"
    }

    /// One line as a Nagios plugin prints it: status word, what matters most, then performance data after `|`.
    func nagios() -> String {
        let word = ["OK", "WARNING", "CRITICAL", "UNKNOWN"][Int(min(max(status, 0), 3))]
        let counts = Dictionary(grouping: report.findings, by: \.severity).mapValues(\.count)
        let worst = report.findings.filter { $0.severity == (status == 1 ? .warning : .failure) }
        var text = "\(counts[.failure] ?? 0) failure(s), \(counts[.warning] ?? 0) warning(s), \(counts[.ok] ?? 0) ok on \(cloud)"
        if (1...3).contains(status), let first = worst.first {
            text += "; \(first.target): \(first.observed)" + (worst.count > 1 ? " (and \(worst.count - 1) more)" : "")
        }
        text = Self.oneLine(text)
        var performance = [
            "failures=\(counts[.failure] ?? 0)", "warnings=\(counts[.warning] ?? 0)", "ok=\(counts[.ok] ?? 0)",
            "duration=\(Self.number(report.wallTime))s", "endpoints=\(report.tls.count)",
            "tls_failures=\(report.tls.filter { !$0.verified }.count)",
        ]
        // Nagios ranges alert outside them: "30:" alerts below 30 (a bare 30 would alert above it).
        if let soonest = report.tls.compactMap(\.daysLeft).min() { performance.append("certificate_days_left=\(soonest);30:;14:") }
        if !report.facts.freeFloatingIPs.isEmpty {
            performance.append("floating_ips_free=\(report.facts.freeFloatingIPs.values.reduce(0, +));5:;1:;0")
        }
        return "ATMO-CONNECT \(word) - \(text) | \(performance.joined(separator: " "))"
    }

    /// A gauge family: its metadata, then one sample per label set (nothing when there is no sample).
    static func family(_ name: String, _ help: String, unit: String? = nil, _ samples: [(labels: String, value: String)]) -> [String] {
        guard !samples.isEmpty else { return [] }
        return ["# TYPE \(name) gauge"] + (unit.map { ["# UNIT \(name) \($0)"] } ?? []) + ["# HELP \(name) \(help)"]
            + samples.map { $0.labels.isEmpty ? "\(name) \($0.value)" : "\(name){\($0.labels)} \($0.value)" }
    }

    /// The check's own status as a family.
    static func statusFamily(labels: String, status: Int32) -> [String] {
        family("atmo_connect_check_status", "The check's outcome: 0 ok, 1 warnings, 2 failures, 3 could not check.", [(labels, "\(status)")])
    }

    /// Text for the plugin line: on its line, the perfdata separator left to the perfdata.
    static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "/").replacingOccurrences(of: "\n", with: " ")
    }

    /// A label value as OpenMetrics escapes it: backslash, double quote and line feed.
    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// A number without a locale: digits, a dot, three decimals.
    static func number(_ value: Double) -> String { String(format: "%.3f", value) }
}
