import Foundation
import StepEngine
import TerminalUI
import Wizard

/// What happens to the TUI: keys, and the results of effects.
public enum WizardEvent: Sendable, Equatable {
    case key(KeyEvent)
    /// A session is open: its name, answers (after defaults), statuses, the step to open, and whether to offer resume.
    case sessionLoaded(
        name: String, values: [String: AnswerValue], statuses: [String: StepStatus], openStep: String?, offerResume: Bool,
        secrets: [String: SecretValue], reasons: [String: String] = [:], history: [String] = [],
        outcomes: [String: WizardState.Outcome] = [:], sources: [String: AnswerSource] = [:])
    /// Statuses and answers after a change.
    case refreshed(
        values: [String: AnswerValue], statuses: [String: StepStatus], reasons: [String: String] = [:],
        sources: [String: AnswerSource] = [:])
    /// The preview was written to a file, for copying.
    case previewSaved(path: String)
    /// The steps a pending answer change would make stale.
    case changePreviewed(key: String, value: AnswerValue, stale: [String])
    case stepFinished(step: String, outcome: WizardState.Outcome)
    /// A step's actions would change files: the plan to show before anything is done.
    case actionPlanned(step: String, preview: [String])
    /// Atmosphere runs on another server: the commands to run there, whose output the operator pastes back.
    case remoteOutputNeeded(step: String, instructions: [String])
    /// A running step says how far it is (user 12 of 1,000: alice: an identity now).
    case stepProgress(step: String, line: String)
    /// The terminal has this size now.
    case resized(TerminalSize)
    /// Time passes (spinner, elapsed time).
    case tick(Date)
    /// An effect failed; the text says what and what to do.
    case failed(String)
}

/// What the reducer asks the outside world to do.
public enum WizardEffect: Sendable, Equatable {
    case startSession(name: String)
    case previewChange(key: String, value: AnswerValue)
    case saveAnswer(key: String, value: AnswerValue)
    case keepSecret(key: String, value: SecretValue)
    case openStep(String)
    /// Forget the operator's answer so the worked-out one applies again.
    case restoreAnswer(key: String)
    /// Write what an overlay shows (a preview, commands for the Atmosphere server) to a file, exactly.
    case savePreview(step: String, lines: [String])
    /// Record an optional step as skipped by the operator.
    case skipStep(String)
    /// Run a step; `consent` once the operator has seen and accepted its plan.
    case runStep(String, consent: Bool)
    /// Check what the operator pasted from the Atmosphere server (nil: read the step's saved output file).
    case submitRemoteOutput(step: String, text: String?)
    case cancelRun
    case redraw
    /// Ctrl-Z: stop, as a shell's job; repaint when continued.
    case suspend
    case quit
}
