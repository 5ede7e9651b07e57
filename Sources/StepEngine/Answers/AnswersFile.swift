import Foundation
import Yams

/// An answers file: `key: value` lines, read strictly against the inputs the screens declare.
public struct AnswersFile: Sendable {
    public var path: String
    public var values: [String: AnswerValue]
    public var secrets: [String: SecretReference]
    /// The line each key stands on, for later messages.
    public var lines: [String: Int]

    /// The largest answers file read (1 MiB).
    public static let maximumSize: UInt64 = 1 << 20

    static let remedy = "Fix that line; `atmo-connect export --answers FILE` writes a valid file to start from."

    /// Reads and checks the file at `path`.
    public static func load(path: String, inputs: [InputSpec]) throws -> AnswersFile {
        let expanded = (path as NSString).expandingTildeInPath
        // A file of answers is a few kilobytes; reading a huge one whole would take the machine's memory (and store it).
        if let size = (try? FileManager.default.attributesOfItem(atPath: expanded)[.size]) as? UInt64, size > maximumSize {
            throw LocatedProblem(
                path: expanded, line: nil, key: nil, problem: "the answers file is \(size) bytes, over the limit of \(maximumSize) (1 MiB)",
                remedy: "An answers file holds a few dozen answers: check that this is the right file.")
        }
        guard let data = FileManager.default.contents(atPath: expanded) else {
            throw LocatedProblem(
                path: expanded, line: nil, key: nil, problem: "the answers file cannot be read",
                remedy: "Check the path, and that you may read the file.")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LocatedProblem(path: expanded, line: nil, key: nil, problem: "the answers file is not UTF-8 text", remedy: remedy)
        }
        var info = stat()
        let isPrivate = stat(expanded, &info) == 0 && info.st_mode & 0o077 == 0
        return try parse(text, path: expanded, inputs: inputs, fileIsPrivate: isPrivate)
    }

    /// Parses answers-file text. Unknown keys, wrong shapes and invalid values are errors naming the line and key.
    public static func parse(_ text: String, path: String, inputs: [InputSpec], fileIsPrivate: Bool) throws -> AnswersFile {
        var file = AnswersFile(path: path, values: [:], secrets: [:], lines: [:])
        guard let root = try YAMLDocument.compose(text, path: path, remedy: remedy), !YAMLDocument.isNull(root) else { return file }
        let specs = Dictionary(inputs.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        for entry in try YAMLDocument.entries(of: root, path: path, key: nil, remedy: remedy) {
            func problem(_ text: String, _ fix: String = remedy) -> LocatedProblem {
                LocatedProblem(path: path, line: entry.line ?? YAMLDocument.line(of: entry.value), key: entry.key, problem: text, remedy: fix)
            }
            guard let spec = specs[entry.key] else {
                let hint = closest(to: entry.key, among: Array(specs.keys)).map { "Did you mean \($0)? " } ?? ""
                throw problem("unknown key", "\(hint)Remove the line or correct the key; `atmo-connect export --answers FILE` lists every key.")
            }
            file.lines[entry.key] = entry.line
            if YAMLDocument.isNull(entry.value) { continue }
            if spec.isSecret {
                file.secrets[entry.key] = try secretReference(entry.value, fileIsPrivate: fileIsPrivate, problem: problem)
                continue
            }
            let value = try value(of: entry.value, spec: spec, problem: problem)
            if let complaint = spec.problem(with: value) { throw problem(complaint.message) }
            file.values[entry.key] = value
        }
        return file
    }

    private static func value(of node: Node, spec: InputSpec, problem: (String, String) -> LocatedProblem) throws -> AnswerValue {
        switch node {
        case let .scalar(scalar):
            if spec.kind.isList {
                // One item written as a scalar is a list of one.
                return .list([scalar.string])
            }
            switch spec.parse(text: scalar.string) {
            case let .success(value): return value
            case let .failure(complaint): throw problem(complaint.message, remedy)
            }
        case let .sequence(sequence):
            guard spec.kind.isList else { throw problem("expected a single value, found a list", remedy) }
            return .list(
                try sequence.map { item in
                    guard let text = item.scalar?.string else { throw problem("every item of the list must be a single value", remedy) }
                    return text
                })
        case .mapping, .alias:
            throw problem("expected \(spec.kind.expectation), found \(YAMLDocument.shape(of: node))", remedy)
        }
    }

    private static func secretReference(
        _ node: Node, fileIsPrivate: Bool,
        problem: (String, String) -> LocatedProblem
    ) throws -> SecretReference {
        let forms = "Write it as {from_env: VARIABLE} or {from_file: /path/to/0600-file}"
        if let scalar = node.scalar {
            guard fileIsPrivate else {
                throw problem("a secret written in clear in a file other users can read", "\(forms), or chmod 600 the answers file.")
            }
            return .literal(SecretValue(scalar.string))
        }
        guard let mapping = node.mapping, mapping.count == 1, let pair = mapping.first,
            let form = pair.key.scalar?.string, let target = pair.value.scalar?.string, !target.isEmpty
        else {
            throw problem("a secret must be one value or a single from_env / from_file entry", "\(forms).")
        }
        switch form {
        case "from_env": return .environment(target)
        case "from_file": return .file(target)
        default: throw problem("\(form) is not a way to supply a secret", "\(forms).")
        }
    }

    /// The known key nearest to a misspelt one, when it is near enough to suggest.
    static func closest(to key: String, among keys: [String]) -> String? {
        let scored = keys.map { ($0, editDistance(key, $0)) }.min { $0.1 < $1.1 }
        guard let (best, distance) = scored, distance <= max(2, key.count / 4) else { return nil }
        return best
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, cb) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
