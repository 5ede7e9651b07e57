/// Where a step stands, always derived from its attempts, the answers and its upstream steps.
public enum StepStatus: String, Sendable, CaseIterable, Codable {
    case pending, running, passed, warned, failed, skipped, stale, blocked

    /// Whether downstream steps may run on top of this one.
    public var satisfiesDependents: Bool {
        self == .passed || self == .warned || self == .skipped
    }

    /// The status in an operator's words, for screens (the raw value stays for scripts: `status`, JSON).
    public var words: String {
        switch self {
        case .pending: "not run yet"
        case .running: "running"
        case .passed: "passed"
        case .warned: "passed with warnings"
        case .failed: "failed"
        case .skipped: "skipped"
        case .stale: "to run again"
        case .blocked: "waiting for an earlier step"
        }
    }
}
