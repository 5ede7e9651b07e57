/// How one attempt at a step ended.
public enum AttemptOutcome: String, Sendable, CaseIterable, Codable {
    case passed, warned, failed, skipped
    /// The process ended (crash, kill, cancel) while the step was running: its effect is unknown.
    case interrupted
}
