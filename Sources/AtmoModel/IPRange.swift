import Foundation

/// An IPv4 range as operators write it: one address, a CIDR block, or first-last.
public struct IPRange: Sendable, Hashable {
    public var first: UInt32
    public var last: UInt32

    /// Parses `192.0.2.7`, `192.0.2.0/24`, `192.0.2.10-192.0.2.50` or `192.0.2.10-50`.
    public init?(_ text: String) {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let slash = text.firstIndex(of: "/") {
            guard let base = IPRange.address(String(text[..<slash])),
                let bits = Int(text[text.index(after: slash)...]), (0...32).contains(bits)
            else { return nil }
            let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << UInt32(32 - bits)
            first = base & mask
            last = first | ~mask
        } else if let dash = text.firstIndex(of: "-") {
            guard let start = IPRange.address(String(text[..<dash])) else { return nil }
            let tail = String(text[text.index(after: dash)...])
            if let end = IPRange.address(tail) {
                guard end >= start else { return nil }
                first = start
                last = end
            } else if let octet = UInt32(tail), octet <= 255, octet >= (start & 0xff) {
                first = start
                last = (start & 0xffff_ff00) | octet
            } else {
                return nil
            }
        } else {
            guard let single = IPRange.address(text) else { return nil }
            first = single
            last = single
        }
    }

    /// How many addresses it holds.
    public var count: Int { Int(last - first) + 1 }

    /// The dotted-quad form of an IPv4 address.
    public static func text(_ address: UInt32) -> String {
        "\(address >> 24).\((address >> 16) & 0xff).\((address >> 8) & 0xff).\(address & 0xff)"
    }

    /// Parses a dotted-quad IPv4 address.
    public static func address(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let octet = UInt32(part), octet <= 255 else { return nil }
            value = value << 8 | octet
        }
        return value
    }
}
