import Foundation
import StepEngine
import TerminalUI
import Wizard

extension StoreWorker {
    /// The log as the session's journal has it, oldest first, each line with its time: F2 shows what happened before a
    /// restart, not only since. The journal holds no secret (it lives in the state database).
    static func history(_ store: StateStore, session: Int64) throws -> [String] {
        return try store.events(session: session, limit: 300).map { event in
            "\(TimeText.local(event.at, "%m-%d %H:%M:%S")) \(event.kind)\(event.stepID.map { " \($0)" } ?? ""): \(event.detail)"
        }
    }

    /// What each step's last finished attempt found, so its screen shows its result after a restart.
    static func lastOutcomes(_ states: [StepState], store: StateStore) throws -> [String: WizardState.Outcome] {
        var outcomes: [String: WizardState.Outcome] = [:]
        for state in states {
            guard let attempt = state.lastAttempt, let outcome = attempt.outcome, let id = attempt.id else { continue }
            outcomes[state.stepID] = WizardState.Outcome(
                kind: .attempt(outcome), message: attempt.message, findings: try store.findings(attempt: id).map(FindingRow.init))
        }
        return outcomes
    }
}
