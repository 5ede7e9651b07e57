import AtmoModel
import Foundation

/// Reads an openrc file without executing it: exports, unsets, the `if [ -z ... ]; then unset` idiom, and `read` prompts.
public enum OpenrcParser {
    /// What the file sets.
    public struct Result: Sendable, Equatable {
        public var variables: [String: String]
        /// The password comes from a `read` prompt: it must be asked for.
        public var passwordMustBeAsked: Bool
        public var lines: [String: Int]
        /// What the operator should know about how the file was read (it was read, but not as bash might have).
        public var warnings: [String] = []
    }

    static let remedy = "Fix that line of the openrc, or download a fresh one from Horizon (API Access, OpenStack RC File)."

    /// Reads and parses the file at `path`.
    public static func load(path: String) throws -> CloudCredentials {
        let expanded = (path as NSString).expandingTildeInPath
        guard let data = FileManager.default.contents(atPath: expanded), let text = String(data: data, encoding: .utf8) else {
            throw LocatedProblem(
                path: expanded, line: nil, key: nil, problem: "the openrc file cannot be read",
                remedy: "Check the path, and that you may read the file.")
        }
        let parsed = try parse(text, path: expanded)
        var credentials = try CloudCredentials.from(variables: parsed.variables, source: expanded, secretMustBeAsked: parsed.passwordMustBeAsked)
        credentials.warnings = parsed.warnings + credentials.warnings
        return credentials
    }

    /// Parses openrc text: `export NAME=value` (spaces or tabs), `declare -x` / `typeset -x`, bare assignments, several
    /// statements on a line separated by `;`, CRLF line ends. What bash would do differently is refused naming the line
    /// (command substitution), or read and said (a password that looks like one).
    public static func parse(_ text: String, path: String) throws -> Result {
        var result = Result(variables: [:], passwordMustBeAsked: false, lines: [:])
        var prompted: Set<String> = []
        // "\r\n" is one Character in Swift: normalise before splitting, and say so.
        let sawCarriageReturn = text.contains("\r\n")
        for (index, rawLine) in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated()
        {
            let number = index + 1
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("if ") || line.hasPrefix("if\t") {
                // Horizon's `if [ -z "$NAME" ]; then unset NAME; fi`: drop a variable that ended up empty.
                if let groups = captures(#"^if \[ -z "?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?"? \]; then unset ([A-Za-z_][A-Za-z0-9_]*); fi$"#, in: line),
                    (result.variables[groups[0]] ?? "").isEmpty
                {
                    result.variables.removeValue(forKey: groups[1])
                }
                continue
            }
            for statement in try statements(line, path: path, line: number) {
                try apply(statement, to: &result, prompted: &prompted, path: path, line: number)
            }
        }
        if sawCarriageReturn {
            result.warnings.append(
                "\(path) has Windows (CRLF) line ends: read without the carriage returns, which bash would have kept in the values")
        }
        return result
    }

    /// One statement: a keyword atmo-connect skips, unset, read, or assignments (after export, declare -x or typeset -x).
    static func apply(_ statement: String, to result: inout Result, prompted: inout Set<String>, path: String, line number: Int) throws {
        let words = statement.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let first = words.first else { return }
        switch first {
        case "echo", "alias", "fi", "then", "else", "set", "return", "exit", "shopt":
            return
        case "unset":
            for name in words.dropFirst() where !name.hasPrefix("-") { result.variables.removeValue(forKey: name) }
            return
        case "read":
            if let name = words.dropFirst().last(where: { !$0.hasPrefix("-") }) { prompted.insert(name) }
            return
        default: break
        }
        var rest = Substring(statement)
        if first == "export" || first == "declare" || first == "typeset" {
            rest = rest.dropFirst(first.count)
            // declare's flags (-x, -rx): every word that starts with a dash before the first assignment.
            while true {
                rest = rest.drop { $0 == " " || $0 == "\t" }
                guard rest.hasPrefix("-") else { break }
                rest = rest.drop { $0 != " " && $0 != "\t" }
            }
        }
        // One or more NAME=value words.
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            if rest.isEmpty || rest.hasPrefix("#") { return }
            guard let equals = rest.firstIndex(of: "=") else {
                if first == "export" || first == "declare" || first == "typeset" { return }  // `export NAME` marks, it sets nothing.
                return
            }
            let name = String(rest[..<equals])
            guard name.wholeMatch(of: #/[A-Za-z_][A-Za-z0-9_]*/#) != nil else {
                if first == "export" || first == "declare" || first == "typeset" {
                    throw LocatedProblem(path: path, line: number, key: name, problem: "not a variable name", remedy: remedy)
                }
                return
            }
            let (value, references, used, substituted) = try parseValue(
                String(rest[rest.index(after: equals)...]), variables: result.variables,
                path: path, line: number, name: name)
            if substituted {
                guard name == "OS_PASSWORD" else {
                    throw LocatedProblem(
                        path: path, line: number, key: name, problem: "the value runs a command ($(...) or backticks), which atmo-connect never does",
                        remedy: "Replace it by the value the command prints, or set \(name) in the environment.")
                }
                result.warnings.append(
                    "\(path):\(number): OS_PASSWORD looks like a command ($(...) or backticks); bash would run it, atmo-connect takes it literally")
            }
            if name == "OS_PASSWORD" && references.contains(where: prompted.contains) { result.passwordMustBeAsked = true }
            result.variables[name] = value
            result.lines[name] = number
            rest = rest[rest.index(after: equals)...].dropFirst(used)
        }
    }

    /// The line cut at every `;` outside quotes.
    static func statements(_ line: String, path: String, line number: Int) throws -> [String] {
        var parts: [String] = [], current = ""
        var quote: Character?
        var escaped = false
        for character in line {
            if escaped { current.append(character); escaped = false; continue }
            if character == "\\" && quote != "'" { escaped = true; current.append(character); continue }
            if let open = quote {
                if character == open { quote = nil }
                current.append(character)
            } else if character == "\"" || character == "'" {
                quote = character
                current.append(character)
            } else if character == ";" {
                parts.append(current)
                current = ""
            } else if character == "#" && (current.isEmpty || current.last == " " || current.last == "\t") {
                break
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func captures(_ pattern: String, in text: String) -> [String]? {
        guard let regex = try? Regex(pattern), let match = try? regex.firstMatch(in: text) else { return nil }
        return match.output.dropFirst().compactMap { $0.substring.map(String.init) }
    }

    /// One shell word: double-quoted (with Horizon's escapes), single-quoted, or bare; `$NAME` and `${NAME}` expand. Returns
    /// the value, the variables it names, how many characters the word took, and whether it holds a command substitution
    /// (kept literally).
    static func parseValue(
        _ raw: String, variables: [String: String], path: String, line: Int, name: String
    )
        throws -> (String, [String], Int, Bool)
    {
        var value = ""
        var references: [String] = []
        var substituted = false
        let characters = Array(raw)
        var index = 0
        func expand() {
            if index + 1 < characters.count, characters[index + 1] == "(" { substituted = true }
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
        scan: while index < characters.count {
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
                    if inner == "`" { substituted = true }
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
                break scan
            case "`":
                substituted = true
                value.append(character)
                index += 1
            case "\\" where index + 1 < characters.count:
                value.append(characters[index + 1])
                index += 2
            default:
                value.append(character)
                index += 1
            }
        }
        return (value, references, index, substituted)
    }
}
