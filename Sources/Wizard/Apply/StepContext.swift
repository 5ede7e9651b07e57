import Foundation
import StepEngine

/// The session's answers as a step's checks and actions read them: from the state database, where a failed read is a
/// failure naming it, never the code's own defaults.
enum StepContext {
    static let checkID = "state.answers"

    /// The answers now, over the screens' own defaults (the only place defaults live).
    static func answers(_ engine: Engine) throws(FindingError) -> AnswerReader {
        do {
            var values = try engine.answerValues()
            for input in engine.plan.inputs where values[input.key] == nil {
                if let value = input.staticDefault { values[input.key] = value }
            }
            return AnswerReader(answers: values)
        } catch {
            throw FindingError(Finding(checkID: checkID, target: "the state database", severity: .failure,
                                       observed: "the session's answers cannot be read: \(Redactor.shared.redact(String(describing: error)))",
                                       remedy: "Nothing was done. Check the state directory (atmo-connect status names it; the disk, its permissions), then run this step again."))
        }
    }
}
