import Foundation
import StepEngine
import Yams

/// Reads the fields of one YAML mapping in a screen file, turning every mistake into a located problem.
struct FieldReader {
    let path: String
    let entries: [YAMLDocument.Entry]
    let allowed: Set<String>
    /// The input key the fields belong to, to name in messages.
    var owner: String?
    let line: Int?

    func problem(_ field: String, _ text: String) -> LocatedProblem {
        let entry = entries.first { $0.key == field }
        let name = owner.map { "\($0).\(field)" } ?? field
        return LocatedProblem(path: path, line: entry?.line ?? line, key: name, problem: text, remedy: ScreenLoader.remedy)
    }

    func rejectUnknown() throws {
        if let unknown = entries.first(where: { !allowed.contains($0.key) }) {
            throw problem(unknown.key, "unknown field (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    func node(_ field: String) -> Node? {
        entries.first { $0.key == field }.map(\.value).flatMap { YAMLDocument.isNull($0) ? nil : $0 }
    }

    func string(_ field: String) throws -> String {
        guard let value = try optionalString(field), !value.isEmpty else { throw problem(field, "is required") }
        return value
    }

    func optionalString(_ field: String) throws -> String? {
        guard let node = node(field) else { return nil }
        guard let scalar = node.scalar else { throw problem(field, "expected text, found \(YAMLDocument.shape(of: node))") }
        return scalar.string
    }

    func bool(_ field: String) throws -> Bool {
        guard let value = try optionalBool(field) else { throw problem(field, "is required (true or false)") }
        return value
    }

    func optionalBool(_ field: String) throws -> Bool? {
        guard let node = node(field) else { return nil }
        guard let value = node.bool else { throw problem(field, "expected true or false") }
        return value
    }

    func strings(_ field: String) throws -> [String] {
        guard let node = node(field) else { return [] }
        guard let sequence = node.sequence else { throw problem(field, "expected a list") }
        return try sequence.map { item in
            guard let text = item.scalar?.string else { throw problem(field, "every item must be a single value") }
            return text
        }
    }

    func identifier(_ field: String) throws -> String {
        let value = try string(field)
        guard value.wholeMatch(of: #/[a-z][a-z0-9-]*/#) != nil else {
            throw problem(field, "\(value) is not an id (lowercase letters, digits and dashes)")
        }
        return value
    }

    func identifiers(_ field: String) throws -> [String] {
        let values = try strings(field)
        for value in values where value.wholeMatch(of: #/[a-z][a-z0-9.-]*/#) == nil {
            throw problem(field, "\(value) is not an id")
        }
        return values
    }

    func answerKey(_ field: String) throws -> String {
        let value = try string(field)
        guard value.wholeMatch(of: #/[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+/#) != nil else {
            throw problem(field, "\(value) is not an answer key (like section.name: lowercase, dotted)")
        }
        return value
    }

    func validation() throws -> InputValidation {
        guard let node = node("validation") else { return InputValidation() }
        let nested = FieldReader(
            path: path, entries: try YAMLDocument.entries(of: node, path: path, key: owner, remedy: ScreenLoader.remedy),
            allowed: ["pattern", "message", "min", "max", "min_length"], owner: owner.map { "\($0).validation" },
            line: YAMLDocument.line(of: node))
        try nested.rejectUnknown()
        let pattern = try nested.optionalString("pattern")
        if let pattern, (try? Regex(pattern)) == nil {
            throw nested.problem("pattern", "is not a valid regular expression")
        }
        return InputValidation(
            pattern: pattern, patternMessage: try nested.optionalString("message"),
            minimum: try nested.optionalInt("min"), maximum: try nested.optionalInt("max"),
            minLength: try nested.optionalInt("min_length"))
    }

    func optionalInt(_ field: String) throws -> Int? {
        guard let node = node(field) else { return nil }
        // Int(_:) rather than Yams' node.int, which traps on overflowing sexagesimal numbers.
        guard let value = node.scalar.flatMap({ Int($0.string) }) else { throw problem(field, "expected a whole number") }
        return value
    }

    func condition() throws -> InputCondition? {
        guard let node = node("when") else { return nil }
        let nested = FieldReader(
            path: path, entries: try YAMLDocument.entries(of: node, path: path, key: owner, remedy: ScreenLoader.remedy),
            allowed: ["key", "in", "not_in"], owner: owner.map { "\($0).when" }, line: YAMLDocument.line(of: node))
        try nested.rejectUnknown()
        let shown = try nested.strings("in")
        let hidden = try nested.strings("not_in")
        guard shown.isEmpty || hidden.isEmpty else {
            throw nested.problem("not_in", "give `in` (the values that show the input) or `not_in` (those that hide it), not both")
        }
        guard !shown.isEmpty || !hidden.isEmpty else {
            throw nested.problem("in", "list the values for which the input is shown (`in`) or hidden (`not_in`)")
        }
        return InputCondition(key: try nested.answerKey("key"), values: shown.isEmpty ? hidden : shown, negated: shown.isEmpty)
    }

    func defaultValue(_ node: Node, for input: InputSpec) throws -> AnswerValue {
        let value: AnswerValue
        if let sequence = node.sequence {
            guard input.kind.isList else { throw problem("default", "a list default needs a list input") }
            value = .list(sequence.compactMap { $0.scalar?.string })
        } else if let scalar = node.scalar {
            switch input.parse(text: scalar.string) {
            case let .success(parsed): value = parsed
            case let .failure(complaint): throw problem("default", complaint.message)
            }
        } else {
            throw problem("default", "expected a value or a list")
        }
        if let complaint = input.problem(with: value), !value.isEmpty {
            throw problem("default", "the default is itself invalid: \(complaint.message)")
        }
        return value
    }
}
