import AtmoModel
import Foundation

/// Output the operator pasted back from the Atmosphere server, read through the marker lines the wizard's commands print.
public struct RemoteOutput: Sendable, Equatable {
    /// The pasted text with line ends normalised.
    public let text: String
    let lines: [String]

    /// Reads pasted text (terminals may paste \r\n or \r line ends).
    public init(_ text: String) {
        self.text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        lines = self.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// The rest of each line that holds the marker `ATMO-CONNECT-TAG` (after one space or `|`), in order.
    ///
    /// The marker may follow other text: bash prints its `> ` continuation prompts after a pasted block's echo, so the
    /// first output line can read `> > > ATMO-CONNECT-…`. The typed commands never hold a marker whole (see RemoteScript).
    public func values(_ tag: String) -> [String] {
        lines.compactMap { Self.rest(of: $0, after: RemoteScript.prefix + tag) }
    }

    static func rest(of line: String, after marker: String) -> String? {
        var searched = line[...]
        while let range = searched.range(of: marker) {
            let rest = searched[range.upperBound...]
            if rest.isEmpty { return "" }
            if let first = rest.first, first == " " || first == "|" { return String(rest.dropFirst()) }
            searched = rest
        }
        return nil
    }

    func index(of tag: String) -> Int? {
        lines.firstIndex { Self.rest(of: $0, after: RemoteScript.prefix + tag) != nil }
    }

    /// Whether a marker line `ATMO-CONNECT-TAG` is there.
    public func has(_ tag: String) -> Bool { !values(tag).isEmpty }

    /// The exit status the commands echoed last, if any.
    public var status: Int32? { values("STATUS").last.flatMap { Int32($0.trimmingCharacters(in: .whitespaces)) } }

    /// The text before the first `ATMO-CONNECT-TAG` line (all of it when there is none).
    public func text(before tag: String) -> String {
        guard let index = index(of: tag) else { return text }
        return lines[..<index].joined(separator: "\n")
    }

    /// The text after the first `ATMO-CONNECT-TAG` line, up to the next marker line.
    public func text(after tag: String) -> String {
        guard let index = index(of: tag) else { return "" }
        return lines[(index + 1)...].prefix { !$0.contains(RemoteScript.prefix) }.joined(separator: "\n")
    }

    /// What the probe found, as local detection would have.
    public var probe: RemoteProbe? {
        let facts = values("PROBE")
        guard let checkoutLine = facts.first(where: { $0.hasPrefix("checkout ") }) else { return nil }
        var detected = DetectionFacts()
        if facts.contains("generation old") { detected.generation = .old } else if facts.contains("generation head") { detected.generation = .head }
        detected.scriptFound = detected.generation != nil || facts.contains("generation unknown")
        detected.djangoVersion = facts.first { $0.hasPrefix("django ") }.map { String($0.dropFirst("django ".count)) }
        detected.hasAccountsScript = facts.contains("accounts-script yes")
        detected.hasAllocationStrategy = facts.contains("allocation-strategy yes")
        detected.usesInventoryDirectory = facts.contains("inventory-directory yes")
        detected.hasVirtualenv = facts.contains("venv yes")
        detected.hasAnsibleCheckout = facts.contains("ansible yes")
        let hosts = values("HOSTS")
        let digest = values("HOSTS-SHA").first?.split(separator: " ").first.map(String.init)
        return RemoteProbe(
            facts: detected, checkout: String(checkoutLine.dropFirst("checkout ".count)),
            complete: facts.contains("done"),
            hosts: digest == nil ? nil : hosts.joined(separator: "\n") + (hosts.isEmpty ? "" : "\n"), hostsSHA256: digest,
            providerRecords: DjangoShell.lastResult(in: text, as: AtmosphereProviders.Listing.self)?.providers)
    }

    /// The text with every registered secret masked, and the values of password- and secret-named keys too: the review of
    /// add_new_provider.py prints them, and a secret typed in an earlier run of the wizard is not registered in this one.
    public var redacted: String {
        let pattern = #/(['"][A-Za-z_]*(?:password|secret|token)[A-Za-z_]*['"]\s*:\s*)(['"])(?:(?!\2).)*\2/#.ignoresCase()
        return Redactor.shared.redact(text).replacing(pattern) { match in
            "\(match.output.1)\(match.output.2)\(Redactor.mask)\(match.output.2)"
        }
    }

    /// The digests `sha256sum` printed behind `ATMO-CONNECT-SHA`, by path.
    public var digests: [String: String] {
        Dictionary(
            values("SHA").compactMap { line in
                let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
                guard parts.count == 2 else { return nil }
                return (parts[1].trimmingCharacters(in: .whitespaces), String(parts[0]))
            }, uniquingKeysWith: { $1 })
    }
}

/// What the probe printed about the installation on the Atmosphere server.
public struct RemoteProbe: Sendable, Equatable {
    public var facts: DetectionFacts
    /// The checkout's path as the server resolved it.
    public var checkout: String
    /// Whether the probe ran to its end.
    public var complete: Bool
    /// The inventory's hosts file as it was, if there was one.
    public var hosts: String?
    public var hostsSHA256: String?
    /// The providers as the database holds them; nil when the probe could not read them (never taken for "none").
    public var providerRecords: [AtmosphereProvider]?

    /// Provider names by id.
    public var providers: [Int: String] {
        Dictionary((providerRecords ?? []).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }
}
