import AtmoModel
import Foundation
import Yams

/// Edits atmosphere-ansible's INI inventory: the provider's group of floating-IP hosts under `[atmosphere:children]`.
/// Idempotent; comments, other groups and existing entries are left as they are.
public enum InventoryEditor {
    /// Host patterns for IP ranges in ansible's `[a:b]` syntax, named by `hostnameFormat` (Atmosphere's syntax, with
    /// `%(domain)s` as INSTANCE_HOSTNAMING_DOMAIN, `domain`) or by IP. Each run within one /24 becomes one pattern, so every
    /// name build_host_name can produce is matched. Nil when the format names no `%(four)s`, uses `%(domain)s` without a
    /// domain, or holds a key Atmosphere does not know: no placeholder ever reaches the inventory.
    public static func hostPatterns(for ranges: [IPRange], hostnameFormat: String?, domain: String? = nil) -> [String]? {
        var patterns: [String] = []
        for range in ranges {
            var start = range.first
            while start <= range.last {
                let blockEnd = min(range.last, start | 0xff)
                guard let pattern = pattern(from: start, to: blockEnd, format: hostnameFormat, domain: domain) else { return nil }
                patterns.append(pattern)
                if blockEnd == UInt32.max { break }
                start = blockEnd + 1
            }
        }
        return patterns
    }

    private static func pattern(from first: UInt32, to last: UInt32, format: String?, domain: String?) -> String? {
        let octets = [first >> 24, (first >> 16) & 0xff, (first >> 8) & 0xff].map(String.init)
        let fourth = first == last ? String(first & 0xff) : "[\(first & 0xff):\(last & 0xff)]"
        guard let format else { return (octets + [fourth]).joined(separator: ".") }
        guard format.contains("%(four)s") else { return nil }
        // Python's %-formatting as Atmosphere's build_host_name does it, with the fourth octet as ansible's range; what it
        // makes is one word of a hosts line, so anything but a host name pattern is refused.
        guard
            let text = HostnameFormat.expand(
                format, values: ["one": octets[0], "two": octets[1], "three": octets[2], "four": fourth], domain: domain)?.text,
            HostName.isValid(
                text.replacingOccurrences(of: "[", with: "").replacingOccurrences(of: "]", with: "").replacingOccurrences(of: ":", with: "-"))
        else {
            return nil
        }
        return text
    }

    /// The inventory with `group` listed under `[atmosphere:children]` and holding `entries` (host patterns with their variables).
    public static func apply(to text: String, group: String, entries: [String]) -> String {
        var lines = text.isEmpty ? [] : text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        ensure(&lines, section: "atmosphere:children", items: [group])
        ensure(&lines, section: group, items: entries)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Adds the items a section lacks (compared by their first word), after its last entry; creates the section at the end if needed.
    private static func ensure(_ lines: inout [String], section: String, items: [String]) {
        guard let header = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "[\(section)]" }) else {
            if let last = lines.last, !last.trimmingCharacters(in: .whitespaces).isEmpty { lines.append("") }
            lines.append("[\(section)]")
            lines += items
            return
        }
        var end = header + 1
        while end < lines.count && !lines[end].trimmingCharacters(in: .whitespaces).hasPrefix("[") { end += 1 }
        let present = Set(lines[(header + 1)..<end].compactMap(firstWord))
        let missing = items.filter { item in firstWord(item).map { !present.contains($0) } ?? false }
        guard !missing.isEmpty else { return }
        var insertAt = end
        while insertAt > header + 1 && lines[insertAt - 1].trimmingCharacters(in: .whitespaces).isEmpty { insertAt -= 1 }
        lines.insert(contentsOf: missing, at: insertAt)
    }

    private static func firstWord(_ line: String) -> String? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), !trimmed.hasPrefix(";") else { return nil }
        return trimmed.split(separator: " ").first.map(String.init)
    }

    /// The group_vars file for the provider's group: what the playbooks need and have no default for. Every value goes
    /// through Yams' emitter (never into the text), and must already be what it claims: a tz database name and an
    /// address, so nothing in it is a line of YAML or an expression Ansible would template.
    public static func groupVars(group: String, timezone: String, guacamoleHost: String?) throws -> String {
        guard TimeZoneName.isValid(timezone) else {
            throw InventoryValueError(key: "inventory.timezone", value: timezone, expected: "a tz database name")
        }
        if let guacamoleHost, !HostName.isAddress(guacamoleHost) {
            throw InventoryValueError(key: "inventory.guacamole_host", value: guacamoleHost, expected: "an IP address")
        }
        func entry(_ key: String, _ value: Any) throws -> String {
            try Yams.dump(object: [key: value], width: -1, allowUnicode: true).trimmingCharacters(in: .newlines)
        }
        var lines = [
            "# group_vars for the inventory group of the same name, written by atmo-connect. The file name must match the group.",
            try entry("TIMEZONE", timezone),
            "# Required: role atmo-common links /etc/localtime here and has no default.",
            try entry("ZONEINFO", "/usr/share/zoneinfo/" + timezone),
            try entry("SSH_ALLOW_GROUPS", "users root"),
        ]
        if let guacamoleHost {
            lines += [try entry("SETUP_GUACAMOLE", true), try entry("GUACAMOLE_SERVER_IP", guacamoleHost)]
        } else {
            lines += [
                "# Without a Guacamole server, 50_shell_access.yml would delegate to a host named guac_server.", try entry("SETUP_GUACAMOLE", false),
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A value that cannot go into the inventory as it is.
public struct InventoryValueError: Problem, Equatable {
    public let key: String
    public let value: String
    public let expected: String

    /// What to tell the operator.
    public var message: String { "\(key) is \"\(value.prefix(80))\", not \(expected): it would not be inert in the inventory" }

    /// What to do about it.
    public var remedy: String { "Give \(key) as \(expected); nothing was written." }
}
