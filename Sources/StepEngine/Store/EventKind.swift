/// What a journal entry records: every kind the code writes is named here, so a reader and a writer cannot disagree
/// on the spelling. The journal stores the raw value.
public struct EventKind: RawRepresentable, Hashable, Sendable {
    public let rawValue: String

    /// A kind by its stored name.
    public init(rawValue: String) { self.rawValue = rawValue }

    // Sessions and steps.
    public static let sessionCreated = EventKind(rawValue: "session-created")
    public static let sessionSelected = EventKind(rawValue: "session-selected")
    public static let sessionReset = EventKind(rawValue: "session-reset")
    public static let stepStarted = EventKind(rawValue: "step-started")
    public static let stepInterrupted = EventKind(rawValue: "step-interrupted")
    public static let stepReset = EventKind(rawValue: "step-reset")
    public static let stepsStale = EventKind(rawValue: "steps-stale")
    public static let attemptsInterrupted = EventKind(rawValue: "attempts-interrupted")
    public static let lockForced = EventKind(rawValue: "lock-forced")
    public static let lockTakenOver = EventKind(rawValue: "lock-taken-over")
    public static let attachment = EventKind(rawValue: "attachment")
    /// How an attempt ended: step-passed, step-warned, step-failed, step-skipped, step-interrupted.
    public static func stepEnded(_ outcome: AttemptOutcome) -> EventKind { EventKind(rawValue: "step-\(outcome.rawValue)") }
    // Answers.
    public static let answersSet = EventKind(rawValue: "answers-set")
    public static let answerTyped = EventKind(rawValue: "answer-typed")
    public static let answersResolved = EventKind(rawValue: "answers-resolved")
    public static let answersApplied = EventKind(rawValue: "answers-applied")
    public static let answersRemoved = EventKind(rawValue: "answers-removed")
    public static let answersFromCloud = EventKind(rawValue: "answers-from-cloud")
    public static let answersFromAtmosphere = EventKind(rawValue: "answers-from-atmosphere")
    // What the steps did.
    public static let artifactWritten = EventKind(rawValue: "artifact-written")
    /// A file about to be written (its path), before the write: a crash mid-write leaves a file known as ours.
    public static let artifactWriting = EventKind(rawValue: "artifact-writing")
    public static let commandRun = EventKind(rawValue: "command-run")
    public static let cloudIntent = EventKind(rawValue: "cloud-intent")
    public static let cloudCreated = EventKind(rawValue: "cloud-created")
    public static let cloudDeleted = EventKind(rawValue: "cloud-deleted")
    public static let cloudFinished = EventKind(rawValue: "cloud-finished")
    public static let smokeHeld = EventKind(rawValue: "smoke-held")
    public static let providerScriptStarted = EventKind(rawValue: "provider-script-started")
    public static let remoteOutput = EventKind(rawValue: "remote-output")
    public static let interruptedRunCleanup = EventKind(rawValue: "interrupted-run-cleanup")
}
