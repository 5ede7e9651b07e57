import Foundation
import StepEngine

/// The Markdown report of a session: every step, its status and findings, the answers, the files written. No secret.
public enum SessionReport {
    /// Renders the report from the state.
    public static func markdown(engine: Engine, catalog: WizardCatalog, now: Date = Date()) throws -> String {
        let states = try engine.states()
        let answers = try engine.storedAnswers()
        var lines = [
            "# atmo-connect report: \(engine.session.name)",
            "",
            "Written \(TimeText.iso8601(now)) from \(engine.store.directory.databasePath).",
            "",
        ]
        if let notice = TestMode.notice(answers.mapValues(\.value)) {
            lines += ["**\(notice.prefix(1).uppercased() + notice.dropFirst()).** Not for production: serve these endpoints over https.", ""]
        }
        lines += [
            "## Steps",
            "",
            "| step | required | status | last attempt | message |",
            "|---|---|---|---|---|",
        ]
        for state in states {
            let screen = catalog.screen(state.stepID)
            let attempt = state.lastAttempt.map { "\(TimeText.iso8601($0.startedAt)) \($0.outcome?.rawValue ?? "unfinished")" } ?? "–"
            let message = (state.lastAttempt?.message ?? state.reason ?? "").replacingOccurrences(of: "|", with: "\\|")
            lines.append(
                "| \(screen?.title ?? state.stepID) | \(screen?.required == true ? "yes" : "no") | \(state.status.rawValue) | \(attempt) | \(message) |"
            )
        }
        for state in states {
            guard let attempt = state.lastAttempt?.id else { continue }
            let findings = try engine.store.findings(attempt: attempt)
            guard !findings.isEmpty else { continue }
            lines += ["", "## Findings: \(catalog.screen(state.stepID)?.title ?? state.stepID)", ""]
            for finding in findings.sorted(by: { $0.severity > $1.severity }) {
                lines.append(
                    "- **\(finding.severity.rawValue)** `\(finding.checkID)` \(finding.target): \(finding.observed)"
                        + (finding.expected.isEmpty ? "" : " (expected: \(finding.expected))"))
                if !finding.remedy.isEmpty { lines.append("  - Fix: \(finding.remedy)") }
            }
        }
        lines += ["", "## Answers", ""]
        for input in catalog.plan.inputs {
            if input.isSecret {
                lines.append("- `\(input.key)`: secret, never recorded")
            } else if let answer = answers[input.key] {
                lines.append("- `\(input.key)`: \(answer.value.displayText) (\(answer.source.rawValue))")
            }
        }
        let commands = try engine.store.events(session: engine.session.id, limit: 10_000).filter { $0.kind == "command-run" }
        lines += ["", "## Commands run", ""]
        lines +=
            commands.isEmpty
            ? ["None."]
            : commands.map { event in
                "- \(TimeText.iso8601(event.at)) (\(event.stepID ?? "?")): `\(event.detail.split(separator: "\n").first.map(String.init) ?? "")`"
            }
        let artifacts = try engine.store.artifacts(session: engine.session.id ?? 0)
        lines += ["", "## Files written", ""]
        lines += artifacts.isEmpty ? ["None."] : artifacts.map { "- `\($0.path)` sha256 `\($0.sha256)` (\(TimeText.iso8601($0.createdAt)))" }
        return Redactor.shared.redact(lines.joined(separator: "\n") + "\n")
    }
}
