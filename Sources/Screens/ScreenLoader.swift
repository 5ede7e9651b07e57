import Foundation
import StepEngine
import Yams

/// Reads screen files and checks them, with errors that name the file, line and key.
public enum ScreenLoader {
    static let remedy = "Correct the screen file; screens/README.md describes every field."
    static let screenFields: Set<String> = ["id", "title", "required", "text", "inputs", "checks", "actions", "depends_on", "runs_despite", "time_limit_seconds"]
    static let inputFields: Set<String> = [
        "key", "label", "type", "default", "validation", "help", "required", "choices", "derive", "generate", "when",
    ]

    /// The screens in a directory (its *.yaml files, by name).
    public static func load(directory: String) throws -> [Screen] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".yaml") }.sorted()
        } catch {
            throw LocatedProblem(path: directory, line: nil, key: nil, problem: "the screens directory cannot be read", remedy: remedy)
        }
        let files = try names.map { name -> (name: String, text: String) in
            let path = directory + "/" + name
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw LocatedProblem(path: path, line: nil, key: nil, problem: "cannot be read as UTF-8 text", remedy: remedy)
            }
            return (path, text)
        }
        return try load(files: files)
    }

    /// Parses screens from (name, text) pairs in order, checking ids, dependencies and answer keys across them.
    public static func load(files: [(name: String, text: String)]) throws -> [Screen] {
        var screens: [Screen] = []
        for file in files {
            let screen = try parse(file.text, path: file.name)
            if let earlier = screens.first(where: { $0.id == screen.id }) {
                throw LocatedProblem(
                    path: file.name, line: nil, key: "id", problem: "the id \(screen.id) is already used by \(earlier.file)", remedy: remedy)
            }
            for dependency in screen.dependsOn where !screens.contains(where: { $0.id == dependency }) {
                throw LocatedProblem(
                    path: file.name, line: nil, key: "depends_on",
                    problem: "\(dependency) is not a screen that comes before this one", remedy: remedy)
            }
            for input in screen.inputs {
                if let owner = screens.first(where: { $0.inputs.contains { $0.key == input.key } }) {
                    throw LocatedProblem(
                        path: file.name, line: nil, key: input.key, problem: "this answer key is already declared by \(owner.file)", remedy: remedy)
                }
            }
            screens.append(screen)
        }
        for screen in screens {
            for input in screen.inputs {
                if let condition = input.condition, !screens.contains(where: { $0.inputs.contains { $0.key == condition.key } }) {
                    throw LocatedProblem(
                        path: screen.file, line: nil, key: input.key, problem: "`when` names the unknown key \(condition.key)", remedy: remedy)
                }
            }
        }
        return screens
    }

    /// Parses one screen file.
    public static func parse(_ text: String, path: String) throws -> Screen {
        guard let root = try YAMLDocument.compose(text, path: path, remedy: remedy) else {
            throw LocatedProblem(path: path, line: nil, key: nil, problem: "the file is empty", remedy: remedy)
        }
        let fields = FieldReader(
            path: path, entries: try YAMLDocument.entries(of: root, path: path, key: nil, remedy: remedy),
            allowed: screenFields, owner: nil, line: YAMLDocument.line(of: root))
        try fields.rejectUnknown()
        let id = try fields.identifier("id")
        var screen = Screen(
            id: id, title: try fields.string("title"), required: try fields.bool("required"),
            text: try fields.string("text"), inputs: [], checks: try fields.identifiers("checks"),
            actions: try fields.identifiers("actions"), dependsOn: try fields.identifiers("depends_on"),
            timeLimit: try fields.optionalInt("time_limit_seconds"), file: path)
        screen.runsDespite = try fields.identifiers("runs_despite")
        if let unknown = screen.runsDespite.first(where: { !screen.dependsOn.contains($0) }) {
            throw fields.problem("runs_despite", "\(unknown) is not in depends_on: a step can only run despite a step it waits for")
        }
        if let limit = screen.timeLimit, limit < 1 {
            throw fields.problem("time_limit_seconds", "expected a number of seconds of at least 1")
        }
        if let inputs = fields.node("inputs") {
            guard let sequence = inputs.sequence else { throw fields.problem("inputs", "expected a list of inputs") }
            screen.inputs = try sequence.map { try parseInput($0, path: path) }
        }
        return screen
    }

    private static func parseInput(_ node: Node, path: String) throws -> InputSpec {
        var fields = FieldReader(
            path: path, entries: try YAMLDocument.entries(of: node, path: path, key: "inputs", remedy: remedy),
            allowed: inputFields, owner: nil, line: YAMLDocument.line(of: node))
        let key = try fields.answerKey("key")
        fields.owner = key
        try fields.rejectUnknown()
        let typeName = try fields.string("type")
        guard let kind = InputKind(rawValue: typeName) else {
            throw fields.problem("type", "\(typeName) is not an input type (\(InputKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var input = InputSpec(
            key: key, label: try fields.string("label"), kind: kind, help: try fields.string("help"),
            required: try fields.optionalBool("required") ?? true, choices: try fields.strings("choices"),
            derive: try fields.optionalString("derive"), generate: try fields.optionalString("generate"))
        if (kind == .choice || kind == .multiChoice) && input.choices.isEmpty {
            throw fields.problem("choices", "a \(kind.rawValue) input needs its choices")
        }
        input.validation = try fields.validation()
        input.condition = try fields.condition()
        if let defaultNode = fields.node("default") {
            if kind == .secret { throw fields.problem("default", "a secret has no static default; use generate") }
            input.staticDefault = try fields.defaultValue(defaultNode, for: input)
        }
        return input
    }
}
