import AtmoModel
import Foundation

/// Where an answers file says a secret comes from. A literal is accepted only from a file only its owner can read.
public enum SecretReference: Sendable, Hashable {
    case environment(String)
    case file(String)
    case literal(SecretValue)

    /// Reads the secret now.
    public func resolve(key: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SecretValue {
        switch self {
        case let .literal(secret):
            return secret
        case let .environment(name):
            guard let value = environment[name], !value.isEmpty else {
                throw SecretProblem(
                    key: key, problem: "the environment variable \(name) is not set",
                    remedy: "export \(name) before running, or type the secret in the wizard")
            }
            return SecretValue(value)
        case let .file(rawPath):
            let path = (rawPath as NSString).expandingTildeInPath
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw SecretProblem(
                    key: key, problem: "the secret file \(path) cannot be read (\(String(cString: strerror(errno))))",
                    remedy: "create it with the secret on its first line, mode 0600")
            }
            guard info.st_mode & 0o077 == 0 else {
                throw SecretProblem(
                    key: key, problem: "the secret file \(path) can be read by other users (mode \(String(info.st_mode & 0o777, radix: 8)))",
                    remedy: "chmod 600 \(path)")
            }
            guard let contents = try? String(contentsOfFile: path, encoding: .utf8),
                let first = contents.split(separator: "\n", omittingEmptySubsequences: false).first, !first.isEmpty
            else {
                throw SecretProblem(
                    key: key, problem: "the secret file \(path) is empty or not text",
                    remedy: "put the secret on its first line")
            }
            return SecretValue(String(first))
        }
    }
}

/// A secret that could not be read, with what to do.
public struct SecretProblem: Problem, Hashable, CustomStringConvertible {
    public var key: String
    public var problem: String
    public var remedy: String
    public var description: String { "\(key): \(problem).\n\(remedy)" }
    /// Which secret, and what is wrong with it.
    public var message: String { "\(key): \(problem)." }
}
