/// Where a step stands, always derived from its attempts, the answers and its upstream steps.
public enum StepStatus: String, Sendable, CaseIterable, Codable {
    case pending, running, passed, warned, failed, skipped, stale, blocked

    /// Whether downstream steps may run on top of this one.
    public var satisfiesDependents: Bool {
        self == .passed || self == .warned || self == .skipped
    }
}

/// How one attempt at a step ended.
public enum AttemptOutcome: String, Sendable, CaseIterable, Codable {
    case passed, warned, failed, skipped
    /// The process ended (crash, kill, cancel) while the step was running: its effect is unknown.
    case interrupted
}

/// How serious a finding is.
public enum Severity: String, Sendable, CaseIterable, Codable, Comparable {
    case ok, info, warning, failure

    private var rank: Int {
        switch self {
        case .ok: 0
        case .info: 1
        case .warning: 2
        case .failure: 3
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
