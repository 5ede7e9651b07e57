import CloudProbe
import Foundation
import StepEngine
import Wizard

/// Findings ordered and grouped by the step whose screen runs their check.
struct FindingGroups {
    let report: CloudVerification.Report
    let groups: [(screen: Screen, findings: [Finding])]

    init(report: CloudVerification.Report, catalog: WizardCatalog) {
        self.report = report
        let order: [Severity] = [.failure, .warning, .info, .ok]
        groups = catalog.screens.compactMap { screen in
            let mine = report.findings.filter { screen.checks.contains($0.checkID) }
                .sorted {
                    (order.firstIndex(of: $0.severity) ?? 0, $0.checkID, $0.target) < (order.firstIndex(of: $1.severity) ?? 0, $1.checkID, $1.target)
                }
            return mine.isEmpty ? nil : (screen, mine)
        }
    }

    var worst: Severity { report.findings.map(\.severity).max() ?? .ok }

    func text(cloud: String, caBundle: String?) -> String {
        let counts = Dictionary(grouping: report.findings, by: \.severity).mapValues(\.count)
        var lines = [
            "Checked \(cloud) in \(String(format: "%.2f", report.wallTime)) s: \(counts[.failure] ?? 0) failure(s), \(counts[.warning] ?? 0) warning(s), \(counts[.ok] ?? 0) ok."
        ]
        if let caBundle { lines.append("Trusted only with CA bundle \(caBundle): every TLS result below is relative to it.") }
        if report.couldNotCheck { lines.append("Could not check the cloud past Keystone: fix the first failure and run again.") }
        for (screen, findings) in groups {
            lines.append("")
            lines.append(screen.title)
            for finding in findings {
                let label = ["ok": "✔ ok", "info": "ℹ info", "warning": "▲ warning", "failure": "✖ FAILURE"][finding.severity.rawValue] ?? ""
                lines.append(
                    "  \(label.padding(toLength: 10, withPad: " ", startingAt: 0)) \(finding.checkID): \(finding.target): \(finding.observed)")
                if !finding.expected.isEmpty && finding.severity >= .warning { lines.append("             expected: \(finding.expected)") }
                if !finding.remedy.isEmpty { lines.append("             → \(finding.remedy)") }
            }
        }
        lines.append("")
        lines.append(
            String(
                format: "Timing: %.2f s in all; authentication %.2f s; %d requests summing %.2f s, the slowest %.2f s.",
                report.wallTime, report.authenticationTime, report.requestCount, report.requestTimeSum, report.slowestRequest))
        return lines.joined(separator: "\n")
    }

    /// The findings as `check --json` prints them (format atmo-connect-check/1); a value JSON cannot hold (a time that
    /// is not a number) is an error, never an empty document.
    func json(cloud: String, caBundle: String?) throws -> String {
        let document = CheckDocument(
            cloud: cloud, caBundle: caBundle, couldNotCheck: report.couldNotCheck, worst: worst.rawValue,
            findings: groups.flatMap { screen, findings in
                findings.map {
                    CheckDocument.Item(
                        step: screen.id, check: $0.checkID, target: $0.target, severity: $0.severity.rawValue, observed: $0.observed,
                        expected: $0.expected, remedy: $0.remedy)
                }
            },
            timing: CheckDocument.Timing(
                wallSeconds: report.wallTime, authenticationSeconds: report.authenticationTime, requests: report.requestCount,
                requestSecondsSum: report.requestTimeSum, slowestRequestSeconds: report.slowestRequest,
                requestLog: report.requests.map { CheckDocument.Request(url: $0.url, seconds: $0.seconds) }))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }
}

/// What `check --json` prints.
struct CheckDocument: Encodable {
    struct Item: Encodable {
        var step, check, target, severity, observed, expected, remedy: String
    }
    struct Request: Encodable {
        var url: String
        var seconds: Double
    }
    struct Timing: Encodable {
        var wallSeconds, authenticationSeconds: Double
        var requests: Int
        var requestSecondsSum, slowestRequestSeconds: Double
        var requestLog: [Request]

        enum CodingKeys: String, CodingKey {
            case requests
            case wallSeconds = "wall_seconds", authenticationSeconds = "authentication_seconds"
            case requestSecondsSum = "request_seconds_sum", slowestRequestSeconds = "slowest_request_seconds", requestLog = "request_log"
        }
    }

    var format = "atmo-connect-check/1"
    var cloud: String
    var caBundle: String?
    var couldNotCheck: Bool
    var worst: String
    var findings: [Item]
    var timing: Timing

    enum CodingKeys: String, CodingKey {
        case format, cloud, worst, findings, timing
        case caBundle = "ca_bundle", couldNotCheck = "could_not_check"
    }

    /// `ca_bundle` is null without a bundle, as before: readers test for it.
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(format, forKey: .format)
        try container.encode(cloud, forKey: .cloud)
        try container.encode(caBundle, forKey: .caBundle)
        try container.encode(couldNotCheck, forKey: .couldNotCheck)
        try container.encode(worst, forKey: .worst)
        try container.encode(findings, forKey: .findings)
        try container.encode(timing, forKey: .timing)
    }
}
