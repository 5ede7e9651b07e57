import AtmoModel
import Foundation

/// One certificate as libcurl's certinfo reports it.
public struct CertificateInfo: Sendable, Hashable {
    public var subject: String
    public var issuer: String
    public var notBefore: Date?
    public var notAfter: Date?
    /// DNS names and IP addresses from the subject alternative name extension.
    public var dnsNames: [String]
    public var ipAddresses: [String]
    /// Where the issuer's certificate can be downloaded (Authority Information Access, CA Issuers): a fact the
    /// certificate states, used instead of guessing from the issuer's name.
    public var caIssuers: [String]
    /// The issuer's key identifier (Authority Key Identifier), as colon-separated hex.
    public var authorityKeyID: String?

    /// Builds one from certinfo's `Key:Value` lines.
    init(fields: [String: String]) {
        subject = fields["Subject"] ?? ""
        issuer = fields["Issuer"] ?? ""
        notBefore = fields["Start date"].flatMap(Self.date)
        notAfter = fields["Expire date"].flatMap(Self.date)
        let names = (fields["X509v3 Subject Alternative Name"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        dnsNames = names.filter { $0.hasPrefix("DNS:") }.map { String($0.dropFirst(4)) }
        ipAddresses = names.filter { $0.hasPrefix("IP Address:") }.map { String($0.dropFirst(11)) }
        caIssuers = Self.caIssuers(in: fields["Authority Information Access"] ?? "")
        authorityKeyID = fields["X509v3 Authority Key Identifier"].map { value in
            // OpenSSL 1.1 writes "keyid:AB:CD…", OpenSSL 3 the hex alone; either may end in a newline.
            value.replacingOccurrences(of: "keyid:", with: "").trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The URLs after "CA Issuers - URI:" in an Authority Information Access value (OCSP entries are left out).
    static func caIssuers(in value: String) -> [String] {
        let marker = "CA Issuers - URI:"
        return value.components(separatedBy: marker).dropFirst().compactMap { rest in
            rest.split(whereSeparator: { $0 == "\n" || $0 == "," || $0 == " " }).first.map(String.init)
        }
    }

    /// Whether subject and issuer are the same (a root, or a self-signed server certificate).
    public var isSelfIssued: Bool { !subject.isEmpty && Self.canonical(subject) == Self.canonical(issuer) }

    /// The subject's common name, if any.
    public var commonName: String? { Self.attribute("CN", in: subject) }

    /// Whole days from `now` to expiry (negative once expired).
    public func daysLeft(now: Date = Date()) -> Int? {
        notAfter.map { Int(floor($0.timeIntervalSince(now) / 86_400)) }
    }

    /// Whether the certificate names `host` (a SAN DNS name, wildcard of one label, or IP).
    public func covers(host: String) -> Bool {
        let host = host.lowercased()
        if ipAddresses.contains(host) { return true }
        return dnsNames.contains { pattern in
            let pattern = pattern.lowercased()
            if pattern.hasPrefix("*.") {
                guard let dot = host.firstIndex(of: ".") else { return false }
                return host[dot...] == pattern.dropFirst() && !host[..<dot].isEmpty
            }
            return pattern == host
        }
    }

    static func date(_ text: String) -> Date? {
        TimeText.certificateDate(text)
    }

    public static func attribute(_ name: String, in distinguishedName: String) -> String? {
        for part in distinguishedName.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0] == name { return pair[1] }
        }
        return nil
    }

    private static func canonical(_ name: String) -> String {
        name.split(separator: ",").map { $0.replacingOccurrences(of: " ", with: "") }.sorted().joined(separator: ",")
    }
}

extension CertificateInfo {
    /// A date as certificates are talked about: the UTC day, yyyy-MM-dd.
    public static func day(_ date: Date) -> String {
        TimeText.utcDay(date)
    }
}
