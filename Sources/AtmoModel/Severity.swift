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
