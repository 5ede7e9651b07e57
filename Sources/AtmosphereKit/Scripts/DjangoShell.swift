import AtmoModel
import Foundation
@preconcurrency import Glibc

/// Runs Python in Atmosphere's `manage.py shell`, the same way on every Django it has met: the code goes into a 0600 file
/// and stdin holds one line that runs that file. Django 1.11 executes stdin; Django 1.10 types stdin into its interactive
/// console line by line, where a multi-line block breaks, but a single line runs as it is. Nothing goes in argv.
public enum DjangoShell {
    /// The marker the snippets print their JSON result after.
    public static let marker = "ATMO-CONNECT-RESULT "

    /// What the shell returned.
    public struct Result: Sendable {
        /// The snippet's JSON result, when it got that far.
        public var value: [String: AnyCodableValue]?
        /// Everything it printed, redacted.
        public var output: String
        public var status: Int32

        /// The snippet's JSON result decoded as `type`, when it printed one.
        public func decode<T: Decodable>(_ type: T.Type) -> T? {
            DjangoShell.lastResult(in: output, as: type)
        }

        /// The last lines it printed, for a finding: the end of a traceback says what broke.
        public var tail: String {
            let lines = output.split(separator: "\n").map(String.init).filter {
                !$0.trimmingCharacters(in: .whitespaces).isEmpty
                    && !$0.contains("now exiting InteractiveConsole") && $0.trimmingCharacters(in: .whitespaces) != ">>>"
            }
            return lines.suffix(3).joined(separator: " | ")
        }
    }

    /// The one line fed to stdin: it runs the file at `path` with globals of its own.
    public static func launcher(path: String) -> String {
        let literal = "'" + path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        return "exec(compile(open(\(literal)).read(), \(literal), 'exec'), {'__name__': '__atmo_connect__'})"
    }

    /// Runs `code` in the checkout's `manage.py shell`.
    public static func run(
        install: AtmosphereInstall, code: String, environment extra: [String: String] = [:], timeout: TimeInterval = 600
    ) throws -> Result {
        let directory = try ChildLedger.temporaryFolder("shell")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let script = directory + "/snippet.py", input = directory + "/in.py", output = directory + "/out.txt"
        try PrivateFile.write(code, to: script)
        try PrivateFile.write(launcher(path: script) + "\n", to: input)
        let environment = install.scriptEnvironment(extra)
        let argv = ["/usr/bin/env", "-C", install.checkout, install.virtualenv + "/bin/python", "manage.py", "shell"]
        let status = try ProcessSpawner.runToCompletion(
            argv, environment: environment, inputPath: input, outputPath: output, timeout: timeout,
            name: "manage.py shell")
        let text = Redactor.shared.redact((try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
        return Result(value: value(in: text), output: text, status: status)
    }

    /// The JSON after the last marker line of `text` that decodes as `type`.
    public static func lastResult<T: Decodable>(in text: String, as type: T.Type) -> T? {
        for line in text.split(separator: "\n").reversed() {
            guard let range = line.range(of: marker) else { continue }
            if let value = try? JSONDecoder().decode(type, from: Data(line[range.upperBound...].utf8)) { return value }
        }
        return nil
    }

    /// The JSON result of the last marker line in `text`, wherever the shell ran. The marker may follow a `>>> ` prompt,
    /// and an echoed copy of the snippet holds it too (followed by code, not JSON): the last line that decodes wins.
    public static func value(in text: String) -> [String: AnyCodableValue]? {
        lastResult(in: text, as: [String: AnyCodableValue].self)
    }
}

/// A JSON value from a snippet's result.
public enum AnyCodableValue: Codable, Sendable, Equatable {
    case int(Int), string(String), bool(Bool), list([AnyCodableValue]), null

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Int.self) {
            self = .int(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else {
            self = .list(try container.decode([AnyCodableValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .int(number): try container.encode(number)
        case let .string(text): try container.encode(text)
        case let .bool(flag): try container.encode(flag)
        case let .list(items): try container.encode(items)
        case .null: try container.encodeNil()
        }
    }
}
