import Foundation

/// Which plain-http URLs may carry a credential (a token or a password): none, unless the operator named the endpoint.
/// An allowed entry covers its own URL and the paths below it, on the same host and port, never a longer host name or a
/// path that merely starts with the same letters.
public struct PlainHTTPPolicy: Sendable, Equatable {
    /// The endpoints the operator accepted in clear (test clouds only).
    public var allowed: [String]

    /// A policy allowing `allowed` (empty: no credential ever goes over plain http).
    public init(allowed: [String] = []) {
        self.allowed = allowed
    }

    /// Whether a credential may go to `url`: https always; plain http only under an allowed endpoint.
    public func mayCarryCredentials(_ url: String) -> Bool {
        guard let target = URLComponents(string: url), let scheme = target.scheme?.lowercased() else { return false }
        guard scheme == "http" else { return true }
        return allowed.contains { Self.covers($0, target) }
    }

    static func covers(_ entry: String, _ target: URLComponents) -> Bool {
        guard let allowed = URLComponents(string: entry), allowed.scheme?.lowercased() == "http",
            let host = allowed.host?.lowercased(), host == target.host?.lowercased(),
            (allowed.port ?? 80) == (target.port ?? 80)
        else { return false }
        var base = allowed.path
        while base.hasSuffix("/") { base.removeLast() }
        return base.isEmpty || target.path == base || target.path.hasPrefix(base + "/")
    }
}
