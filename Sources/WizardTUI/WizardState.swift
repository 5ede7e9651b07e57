import Foundation
import StepEngine
import TerminalUI
import Wizard

/// A terminal's size in cells.
public struct TerminalSize: Sendable, Equatable {
    public var rows: Int
    public var columns: Int

    /// A size.
    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
    }
}

/// A row of the step list.
public struct StepRow: Sendable, Equatable {
    public var id: String
    public var title: String
    public var required: Bool
    public var status: StepStatus
    /// The step's checks are not built yet.
    public var unavailable: Bool
    /// Why it waits or must run again, in words (nil when neither).
    public var reason: String? = nil
}

/// Everything the TUI shows, changed only by the reducer.
public struct WizardState: Sendable, Equatable {

    /// Where keys go.
    public enum Focus: Sendable, Equatable {
        case steps
        case field(Int)
        case runButton
        /// Moves on once the step is done (its findings stay in view until then).
        case nextButton
        /// Skips an optional step, after a yes.
        case skipButton
    }

    /// A box over the screen, which takes the keys while it is up.
    public enum Overlay: Sendable, Equatable {
        case help(offset: Int)
        case log(offset: Int)
        case confirmQuit(selected: Int)
        case staleChange(key: String, value: AnswerValue, steps: [String], selected: Int)
        case resumeOffer(session: String, step: String, selected: Int)
        case actionPreview(step: String, lines: [String], offset: Int)
        /// The commands for the Atmosphere server, and what has been pasted back so far (never shown: it may hold secrets).
        case remoteOutput(step: String, lines: [String], pasted: String, offset: Int)
        /// A password the step set, shown this once.
        case shownOnce(ShownOnce)
        /// The last step is done: what was done, skipped and remains, and where the report is.
        case endOfRun(offset: Int)
        /// Skip an optional step? Nothing is checked or changed.
        case confirmSkip(step: String, selected: Int)
        /// The step waits for an earlier one: run it anyway? `reason` names what is missing.
        case confirmBlocked(step: String, reason: String, selected: Int)
    }

    /// A step running in the background.
    public struct Running: Sendable, Equatable {
        public var step: String
        public var startedAt: Date
        public var waitingOn: String
        public var limit: TimeInterval?

        /// Creates a running marker.
        public init(step: String, startedAt: Date, waitingOn: String, limit: TimeInterval?) {
            self.step = step
            self.startedAt = startedAt
            self.waitingOn = waitingOn
            self.limit = limit
        }
    }

    /// What a finished step reported.
    public struct Outcome: Sendable, Equatable {
        /// How it ended: an attempt's outcome, or no attempt at all.
        public enum Kind: Sendable, Equatable {
            case attempt(AttemptOutcome)
            /// Its checks are not built yet: nothing was recorded.
            case notAvailable
            /// The engine itself failed (the state database, the lock).
            case error
        }

        public var kind: Kind
        public var message: String
        public var findings: [FindingRow]
        /// A secret to show once (a password the step set), never kept past its box.
        public var shownOnce: ShownOnce?

        /// The word the screen shows for it.
        public var word: String {
            switch kind {
            case let .attempt(outcome): outcome.rawValue
            case .notAvailable: "not available"
            case .error: "error"
            }
        }

        /// Whether the step is done, so that the wizard may move on.
        public var isDone: Bool {
            guard case let .attempt(outcome) = kind else { return false }
            return outcome == .passed || outcome == .warned || outcome == .skipped
        }

        /// Creates an outcome.
        public init(kind: Kind, message: String, findings: [FindingRow], shownOnce: ShownOnce? = nil) {
            self.kind = kind
            self.message = message
            self.findings = findings
            self.shownOnce = shownOnce
        }
    }

    /// A secret shown once, unmasked, so the operator can note it.
    public struct ShownOnce: Sendable, Equatable {
        public var label: String
        public var value: String

        /// Creates one.
        public init(label: String, value: String) {
            self.label = label
            self.value = value
        }
    }

    public var sessionName: String?
    public var steps: [StepRow]
    public var current: Int
    public var selectedStep: Int
    public var fields: [FormField]
    public var values: [String: AnswerValue]
    public var secretsGiven: Set<String>
    /// Where each stored answer came from (typed, derived, a default…): derived ones are marked, and can be restored.
    public var sources: [String: AnswerSource] = [:]
    /// Where the last preview was written, shown in the preview's box.
    public var savedPreview: String? = nil
    public var focus: Focus
    public var overlay: Overlay?
    /// The last step just finished: the end screen opens once the statuses after it are read.
    public var endOfRunDue = false
    public var outcomes: [String: Outcome]
    public var running: Running?
    public var log: [String]
    public var textOffset: Int
    /// The first line of the open step's findings on screen (PgUp and PgDn move it).
    public var findingsOffset: Int
    /// The terminal's size, for the keys that scroll by a screenful.
    public var size: TerminalSize
    public var now: Date
    public var finished: Bool

    /// The state before anything is loaded: the first screen, no session.
    public init(steps: [StepRow], now: Date = Date()) {
        sessionName = nil
        self.steps = steps
        current = 0
        selectedStep = 0
        fields = []
        values = [:]
        secretsGiven = []
        focus = .runButton
        overlay = nil
        outcomes = [:]
        running = nil
        log = []
        textOffset = 0
        findingsOffset = 0
        size = TerminalSize(rows: 24, columns: 80)
        self.now = now
        finished = false
    }

    /// The id of the open step.
    public var currentStep: String { steps[current].id }
}
