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

    func json(cloud: String, caBundle: String?) -> String {
        let findings: [[String: Any]] = groups.flatMap { screen, findings in
            findings.map { finding -> [String: Any] in
                [
                    "step": screen.id, "check": finding.checkID, "target": finding.target, "severity": finding.severity.rawValue,
                    "observed": finding.observed, "expected": finding.expected, "remedy": finding.remedy,
                ]
            }
        }
        let document: [String: Any] = [
            "format": "atmo-connect-check/1", "cloud": cloud, "ca_bundle": caBundle ?? NSNull(), "could_not_check": report.couldNotCheck,
            "worst": worst.rawValue, "findings": findings,
            "timing": [
                "wall_seconds": report.wallTime, "authentication_seconds": report.authenticationTime,
                "requests": report.requestCount, "request_seconds_sum": report.requestTimeSum, "slowest_request_seconds": report.slowestRequest,
                "request_log": report.requests.map { ["url": $0.url, "seconds": $0.seconds] as [String: Any] },
            ],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
