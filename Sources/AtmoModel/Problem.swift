/// An error the operator can act on: what failed, and what to do next.
///
/// Every error type with a remedy conforms, so that one place turns any of them into a finding (``Finding/init(_:checkID:target:)``)
/// and one into a line of text (``text``).
public protocol Problem: Error, Sendable {
    /// What failed, where.
    var message: String { get }
    /// What the operator does next.
    var remedy: String { get }
}

extension Problem {
    /// The problem as the text of an error line: what failed, then what to do.
    public var text: String { remedy.isEmpty ? message : "\(message)\n\(remedy)" }
}

extension Finding {
    /// A failure finding for `problem`, by the check `checkID`, about `target`.
    public init(_ problem: any Problem, checkID: String, target: String) {
        self.init(checkID: checkID, target: target, severity: .failure, observed: problem.message, remedy: problem.remedy)
    }
}

extension LocatedProblem: Problem {
    /// `path:line: key: problem`.
    public var message: String {
        var location = path
        if let line { location += ":\(line)" }
        return "\(location): \(key.map { "\($0): " } ?? "")\(problem)"
    }
}

extension PrivateDirectory.Problem: Problem {
    /// Which directory, and why it cannot be used.
    public var message: String { "\(path) cannot hold atmo-connect's runtime files: \(reason)" }
}
