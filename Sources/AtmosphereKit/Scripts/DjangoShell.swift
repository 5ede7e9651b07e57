import Foundation
@preconcurrency import Glibc
import StepEngine

/// Runs Python in Atmosphere's `manage.py shell` with the code on stdin (never argv), and reads the one result line it prints.
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
    }

    /// Runs `code` in the checkout's `manage.py shell`.
    public static func run(install: AtmosphereInstall, code: String, environment extra: [String: String] = [:], timeout: TimeInterval = 600) throws -> Result {
        let directory = NSTemporaryDirectory() + "atmo-shell-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let input = directory + "/in.py", output = directory + "/out.txt"
        try AnswersFile.writePrivately(code, to: input)
        let environment = install.scriptEnvironment(extra)
        let argv = ["/usr/bin/env", "-C", install.checkout, install.virtualenv + "/bin/python", "manage.py", "shell"]
        let pid: pid_t
        switch ProcessSpawner.spawn(argv, environment: environment, actions: [
            .open(0, path: input, flags: O_RDONLY, mode: 0), .open(1, path: output, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: 0o600), .duplicate(1, to: 2),
        ]) {
        case let .success(child): pid = child
        case let .failure(failure): throw ScriptError.cannotStart("manage.py shell", failure.reason)
        }
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                throw ScriptError.timedOut("manage.py shell", seconds: Int(timeout))
            }
            usleep(20_000)
        }
        let text = Redactor.shared.redact((try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
        return Result(value: value(in: text), output: text, status: (status >> 8) & 0xff)
    }

    /// The JSON result of the last marker line in `text`, wherever the shell ran. The marker may follow a `>>> ` prompt,
    /// and an echoed copy of the snippet holds it too (followed by code, not JSON): the last line that decodes wins.
    public static func value(in text: String) -> [String: AnyCodableValue]? {
        for line in text.split(separator: "\n").reversed() {
            guard let range = line.range(of: marker) else { continue }
            if let value = try? JSONDecoder().decode([String: AnyCodableValue].self, from: Data(line[range.upperBound...].utf8)) { return value }
        }
        return nil
    }
}

/// A JSON value from a snippet's result.
public enum AnyCodableValue: Codable, Sendable, Equatable {
    case int(Int), string(String), bool(Bool), list([AnyCodableValue]), null

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let flag = try? container.decode(Bool.self) { self = .bool(flag) }
        else if let number = try? container.decode(Int.self) { self = .int(number) }
        else if let text = try? container.decode(String.self) { self = .string(text) }
        else { self = .list(try container.decode([AnyCodableValue].self)) }
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
