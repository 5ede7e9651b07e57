import Foundation
import Yams

/// Reads YAML into nodes that keep their line numbers, so every complaint can name file, line and key.
public enum YAMLDocument {
    /// One entry of a mapping, with where its key stands.
    public struct Entry {
        public var key: String
        public var line: Int?
        public var value: Node
    }

    /// Parses `text`; a syntax error or a duplicated key becomes a `LocatedProblem` with the line.
    public static func compose(_ text: String, path: String, remedy: String) throws -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            let duplicate = duplicateKey(in: error)
            let at = duplicate.flatMap { secondLine(of: $0, in: text) } ?? line(of: error)
            throw LocatedProblem(
                path: path, line: at, key: duplicate,
                problem: summary(of: error), remedy: remedy)
        }
    }

    /// The entries of a mapping node, in file order; anything else is a problem naming `key`.
    public static func entries(of node: Node, path: String, key: String?, remedy: String) throws -> [Entry] {
        guard let mapping = node.mapping else {
            throw LocatedProblem(
                path: path, line: line(of: node), key: key,
                problem: "expected a mapping of `key: value` lines, found \(shape(of: node))", remedy: remedy)
        }
        return try mapping.map { pair in
            guard let name = pair.key.scalar?.string else {
                throw LocatedProblem(path: path, line: line(of: pair.key), key: key, problem: "a key must be plain text", remedy: remedy)
            }
            return Entry(key: name, line: line(of: pair.key), value: pair.value)
        }
    }

    /// The line a node starts on.
    public static func line(of node: Node) -> Int? { node.mark?.line }

    /// Whether the node is YAML's null (`~`, `null` or nothing).
    public static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// A short description of a node's shape, for messages.
    public static func shape(of node: Node) -> String {
        switch node {
        case .scalar: "a single value"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _):
            return mark.line
        case let .duplicatedKeysInMapping(_, context):
            return context.mark.line
        default:
            return nil
        }
    }

    /// The line where `key` is written a second time at the start of a line: the duplicate an operator must remove.
    private static func secondLine(of key: String, in text: String) -> Int? {
        var seen = false
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " || $0 == "-" }
            guard trimmed.hasPrefix(key), trimmed.dropFirst(key.count).drop(while: { $0 == " " }).first == ":" else { continue }
            if seen { return index + 1 }
            seen = true
        }
        return nil
    }

    private static func duplicateKey(in error: YamlError) -> String? {
        if case let .duplicatedKeysInMapping(duplicates, _) = error { return duplicates.first }
        return nil
    }

    private static func summary(of error: YamlError) -> String {
        switch error {
        case let .scanner(context, problem, _, _), let .parser(context, problem, _, _), let .composer(context, problem, _, _):
            let text = context.map { "\($0.text): " } ?? ""
            return "not valid YAML (\(text)\(problem))"
        case .duplicatedKeysInMapping:
            return "the key appears more than once"
        case let .reader(problem, _, _, _):
            return "not readable as text (\(problem))"
        default:
            return "not valid YAML"
        }
    }
}
