/// A line of a diff between what a file holds and what the wizard will write.
public enum DiffLine: Sendable, Equatable {
    case same(String), removed(String), added(String)

    /// The line as a unified diff shows it.
    public var rendered: String {
        switch self {
        case let .same(text): "  \(text)"
        case let .removed(text): "- \(text)"
        case let .added(text): "+ \(text)"
        }
    }
}

/// Line diffs by longest common subsequence, for previews of files before they are written.
public enum LineDiff {
    /// The edit from `old` to `new`, line by line.
    public static func between(_ old: [String], _ new: [String]) -> [DiffLine] {
        let n = old.count, m = new.count
        var lengths = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lengths[i][j] = old[i] == new[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var result: [DiffLine] = []
        var (i, j) = (0, 0)
        while i < n || j < m {
            if i < n, j < m, old[i] == new[j] {
                result.append(.same(old[i])); i += 1; j += 1
            } else if i < n, j == m || lengths[i + 1][j] >= lengths[i][j + 1] {
                // Removals before additions, as unified diffs show them.
                result.append(.removed(old[i])); i += 1
            } else {
                result.append(.added(new[j])); j += 1
            }
        }
        return result
    }
}
