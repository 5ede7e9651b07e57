/// Where a step stands, always derived from its attempts, the answers and its upstream steps.
public enum StepStatus: String, Sendable, CaseIterable, Codable {
    case pending, running, passed, warned, failed, skipped, stale, blocked

    /// Whether downstream steps may run on top of this one.
    public var satisfiesDependents: Bool {
        self == .passed || self == .warned || self == .skipped
    }
}
