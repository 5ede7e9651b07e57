import Foundation
import StepEngine

/// Reads an openrc file without executing it: exports, unsets, the `if [ -z ... ]; then unset` idiom, and `read` prompts.
public enum OpenrcParser {
    /// What the file sets.
    public struct Result: Sendable, Equatable {
        public var variables: [String: String]
        /// The password comes from a `read` prompt: it must be asked for.
        public var passwordMustBeAsked: Bool
        public var lines: [String: Int]
    }

    static let remedy = "Fix that line of the openrc, or download a fresh one from Horizon (API Access, OpenStack RC File)."

    /// Reads and parses the file at `path`.
    public static func load(path: String) throws -> CloudCredentials {
        let expanded = (path as NSString).expandingTildeInPath
        guard let data = FileManager.default.contents(atPath: expanded), let text = String(data: data, encoding: .utf8) else {
            throw LocatedProblem(path: expanded, line: nil, key: nil, problem: "the openrc file cannot be read",
                                 remedy: "Check the path, and that you may read the file.")
        }
        let parsed = try parse(text, path: expanded)
        return try CloudCredentials.from(variables: parsed.variables, source: expanded, secretMustBeAsked: parsed.passwordMustBeAsked)
    }

    /// Parses openrc text.
    public static func parse(_ text: String, path: String) throws -> Result {
        var result = Result(variables: [:], passwordMustBeAsked: false, lines: [:])
        var prompted: Set<String> = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard let first = words.first else { continue }
            switch first {
            case "echo", "alias", "fi", "then", "else", "set", "return", "exit", "shopt":
                continue
            case "unset":
                for name in words.dropFirst() { result.variables.removeValue(forKey: name) }
            case "read":
                if let name = words.dropFirst().last(where: { !$0.hasPrefix("-") }) { prompted.insert(name) }
            case "if":
                // Horizon's `if [ -z "$NAME" ]; then unset NAME; fi`: drop a variable that ended up empty.
                if let groups = captures(#"^if \[ -z "?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?"? \]; then unset ([A-Za-z_][A-Za-z0-9_]*); fi$"#, in: line),
                   (result.variables[groups[0]] ?? "").isEmpty {
                    result.variables.removeValue(forKey: groups[1])
                }
            default:
                let assignment = first == "export" ? String(line.dropFirst(6)).trimmingCharacters(in: .whitespaces) : line
                guard let equals = assignment.firstIndex(of: "=") else { continue }
                let name = String(assignment[..<equals])
                guard name.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil else {
                    if first == "export" {
                        throw LocatedProblem(path: path, line: number, key: name, problem: "not a variable name", remedy: remedy)
                    }
                    continue
                }
                let (value, references) = try parseValue(String(assignment[assignment.index(after: equals)...]), variables: result.variables,
                                                         path: path, line: number, name: name)
                if name == "OS_PASSWORD" && references.contains(where: prompted.contains) { result.passwordMustBeAsked = true }
                result.variables[name] = value
                result.lines[name] = number
            }
        }
        return result
    }

    static func captures(_ pattern: String, in text: String) -> [String]? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        return (1..<match.numberOfRanges).compactMap { Range(match.range(at: $0), in: text).map { String(text[$0]) } }
    }

    /// One shell word: double-quoted (with Horizon's escapes), single-quoted, or bare; `$NAME` and `${NAME}` expand.
    static func parseValue(_ raw: String, variables: [String: String], path: String, line: Int, name: String) throws -> (String, [String]) {
        var value = ""
        var references: [String] = []
        var characters = Array(raw)
        // A bare value ends at the first unquoted space (a trailing comment, say).
        var index = 0
        func expand() {
            var start = index + 1
            var braced = false
            if start < characters.count, characters[start] == "{" { braced = true; start += 1 }
            var end = start
            while end < characters.count, characters[end].isLetter || characters[end].isNumber || characters[end] == "_" { end += 1 }
            let reference = String(characters[start..<end])
            if reference.isEmpty { value.append("$"); index += 1; return }
            references.append(reference)
            value += variables[reference] ?? ""
            index = braced && end < characters.count && characters[end] == "}" ? end + 1 : end
        }
        while index < characters.count {
            let character = characters[index]
            switch character {
            case "\"":
                index += 1
                var closed = false
                while index < characters.count {
                    let inner = characters[index]
                    if inner == "\"" { closed = true; index += 1; break }
                    if inner == "\\", index + 1 < characters.count {
                        // bash unescapes \\ \$ \` \"; Horizon also escaped ! and ' and meant the bare character.
                        value.append(characters[index + 1])
                        index += 2
                        continue
                    }
                    if inner == "$" { expand(); continue }
                    value.append(inner)
                    index += 1
                }
                guard closed else {
                    throw LocatedProblem(path: path, line: line, key: name, problem: "the double quote is never closed", remedy: remedy)
                }
            case "'":
                guard let close = characters[(index + 1)...].firstIndex(of: "'") else {
                    throw LocatedProblem(path: path, line: line, key: name, problem: "the single quote is never closed", remedy: remedy)
                }
                value += String(characters[(index + 1)..<close])
                index = close + 1
            case "$":
                expand()
            case " ", "\t", ";":
                characters = Array(characters[..<index])
            case "\\" where index + 1 < characters.count:
                value.append(characters[index + 1])
                index += 2
            default:
                value.append(character)
                index += 1
            }
        }
        return (value, references)
    }
}
