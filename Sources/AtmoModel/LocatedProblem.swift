/// A problem in a file the operator or a screen author wrote, pinned to its line and key.
public struct LocatedProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var key: String?
    public var problem: String
    public var remedy: String

    /// Creates a problem.
    public init(path: String, line: Int?, key: String?, problem: String, remedy: String) {
        self.path = path
        self.line = line
        self.key = key
        self.problem = problem
        self.remedy = remedy
    }

    /// `path:line: key: problem`, then the remedy on its own line.
    public var description: String { text }
}
