import Foundation

/// A password, token or provider secret: prints as a mask wherever it is interpolated, logged or dumped.
public struct SecretValue: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let storage: String

    /// Wraps a secret and registers it with the redactor, so no log line can carry it.
    public init(_ secret: String) {
        storage = secret
        Redactor.shared.register(secret)
    }

    /// The secret itself, for the one place that must send it (an HTTP body, a child's stdin).
    public func reveal() -> String { storage }

    /// How many characters it has, for validation messages that must not show it.
    public var count: Int { storage.count }

    public var description: String { Redactor.mask }
    public var debugDescription: String { "SecretValue(\(Redactor.mask))" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}

/// Replaces every registered secret with a mask: the last line of defence for logs and reports.
public final class Redactor: @unchecked Sendable {
    /// What a secret is shown as.
    public static let mask = "••••••••"
    /// The process-wide redactor used by the log handler.
    public static let shared = Redactor()

    private let lock = NSLock()
    private var secrets: Set<String> = []

    /// Adds a secret to mask from now on. Very short values are ignored: masking "a" would mangle every line.
    public func register(_ secret: String) {
        guard secret.count >= 4 else { return }
        lock.lock(); defer { lock.unlock() }
        secrets.insert(secret)
    }

    /// The text with every registered secret masked, longest first so that overlapping secrets do not leak a tail.
    public func redact(_ text: String) -> String {
        lock.lock()
        let known = secrets.sorted { $0.count > $1.count }
        lock.unlock()
        var out = text
        for secret in known where out.contains(secret) {
            out = out.replacingOccurrences(of: secret, with: Self.mask)
        }
        return out
    }
}
