import Foundation

/// Atmosphere's hostname_format (service/deploy.py's build_host_name): Python `%(key)s` formatting with the floating
/// IP's octets one to four and `%(domain)s` (INSTANCE_HOSTNAMING_DOMAIN). Valid only when what it makes is a host
/// name (RFC 1123): a format with spaces, newlines or braces would become code in the inventory it names hosts in.
public enum HostnameFormat {
    /// Expands `format` with `values` for the octet keys and `domain`, `%%` as a percent sign. Nil for any other key,
    /// or `%(domain)s` without a domain; `usedOctet` says whether an octet key was there.
    public static func expand(_ format: String, values: [String: String], domain: String?) -> (text: String, usedOctet: Bool)? {
        var result = "", usedOctet = false
        var rest = format[...]
        while let percent = rest.firstIndex(of: "%") {
            result += rest[..<percent]
            let after = rest[rest.index(after: percent)...]
            if after.hasPrefix("%") {
                result += "%"
                rest = after.dropFirst()
                continue
            }
            guard after.hasPrefix("("), let close = after.firstIndex(of: ")"), after[after.index(after: close)...].hasPrefix("s") else { return nil }
            let key = String(after[after.index(after: after.startIndex)..<close])
            if let value = values[key] {
                result += value
                usedOctet = true
            } else if key == "domain", let domain, !domain.isEmpty {
                result += domain
            } else {
                return nil
            }
            rest = after[after.index(close, offsetBy: 2)...]
        }
        return (result + rest, usedOctet)
    }

    /// What is wrong with `format` as a hostname_format, or nil: it must use an octet key, only Atmosphere's keys, and
    /// name RFC 1123 hosts.
    public static func problem(_ format: String) -> String? {
        let sample = ["one": "203", "two": "0", "three": "113", "four": "10"]
        guard let expanded = expand(format, values: sample, domain: "cloud.example.net") else {
            return "\"\(format)\" uses a key Atmosphere does not know: only %(one)s to %(four)s and %(domain)s."
        }
        guard expanded.usedOctet else { return "\"\(format)\" needs at least one of %(one)s to %(four)s, or Atmosphere names instances by IP." }
        guard HostName.isValid(expanded.text) else {
            return "\"\(format)\" makes \"\(expanded.text.prefix(80))\", which is not a host name (letters, digits, dashes and dots only)."
        }
        return nil
    }
}

/// Host names as RFC 1123 has them: dot-separated labels of letters, digits and dashes, 1 to 63 long, not starting or
/// ending with a dash; 253 characters at most. A trailing dot is allowed.
public enum HostName {
    /// Whether `name` is a host name.
    public static func isValid(_ name: String) -> Bool {
        var text = name
        if text.hasSuffix(".") { text.removeLast() }
        guard !text.isEmpty, text.utf8.count <= 253 else { return false }
        return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }

    /// Whether `text` is an IPv4 or IPv6 address.
    public static func isAddress(_ text: String) -> Bool {
        // inet_pton reads a C string: "192.0.2.5\0anything" would pass as its first part.
        guard !text.unicodeScalars.contains("\u{0}") else { return false }
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}
