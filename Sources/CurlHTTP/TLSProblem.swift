import Foundation

/// Why a certificate was not accepted, in the classes an operator can act on.
public enum TLSProblem: Sendable, Equatable {
    case untrustedIssuer(issuer: String)
    case selfSigned(subject: String)
    case expired(on: Date?)
    case notYetValid(until: Date?)
    case hostMismatch(host: String, names: [String])
    /// The server sent a certificate whose issuer it left out, though the certificate says where that issuer is.
    case incompleteChain(missingIssuer: String, location: String?)
    case other(String)

    /// A short statement of the problem.
    public var summary: String {
        switch self {
        case let .untrustedIssuer(issuer): "issued by \(issuer), which is not trusted here"
        case let .selfSigned(subject): "self-signed certificate (\(subject))"
        case let .expired(date): "certificate expired" + (date.map { " \(Self.ago($0)) (on \(CertificateInfo.day($0)))" } ?? "")
        case let .notYetValid(date): "certificate not valid yet" + (date.map { " (from \(CertificateInfo.day($0)))" } ?? "")
        case let .hostMismatch(host, names):
            "certificate is for \(names.isEmpty ? "other names" : names.joined(separator: ", ")), not \(host)"
        case let .incompleteChain(issuer, location):
            "the server does not send the intermediate certificate \(issuer)" + (location.map { "; the certificate says it is at \($0)" } ?? "")
        case let .other(text): text
        }
    }

    /// How long ago a day was, as an operator says it: "today", "1 day ago", "12 days ago".
    public static func ago(_ date: Date, now: Date = Date()) -> String {
        let days = Int(now.timeIntervalSince(date) / 86_400)
        return days <= 0 ? "today" : (days == 1 ? "1 day ago" : "\(days) days ago")
    }

    /// What to do about it.
    public var remedy: String {
        switch self {
        case .untrustedIssuer:
            "If that issuer is an intermediate of a CA clients trust, serve it with the certificate (OpenStack-Ansible: haproxy_user_ssl_ca_cert); "
                + "otherwise use a certificate from a CA clients trust (Let's Encrypt is free), or give your CA's bundle: the CA bundle field "
                + "(cloud.cacert), or check --cacert FILE."
        case .selfSigned:
            "Replace it with a CA-signed certificate (haproxy_user_ssl_cert in OpenStack-Ansible); a self-signed one invites disabled verification."
        case .expired:
            "Renew the certificate and reload haproxy (or the service) on the API host."
        case .notYetValid:
            "Check the clock on this host and on the API host; reissue the certificate if its start date is wrong."
        case let .hostMismatch(host, _):
            "Reissue the certificate with \(host) among its subject alternative names, or point the endpoint at a name it covers."
        case let .incompleteChain(_, location):
            "Serve the full chain: download the intermediate" + (location.map { " (\($0))" } ?? "")
                + ", put it in the file haproxy_user_ssl_ca_cert names (OpenStack-Ansible appends it after the certificate), "
                + "and run the haproxy-install.yml playbook."
        case .other:
            "Run `openssl s_client -connect HOST:PORT -servername HOST` to see what the server presents."
        }
    }

    /// The class as one word, for reports and JSON.
    public var kind: String {
        switch self {
        case .untrustedIssuer: "untrusted-issuer"
        case .selfSigned: "self-signed"
        case .expired: "expired"
        case .notYetValid: "not-yet-valid"
        case .hostMismatch: "wrong-host"
        case .incompleteChain: "incomplete-chain"
        case .other: "tls-error"
        }
    }

    /// Classifies a verification failure from curl's message, OpenSSL's verify code and the chain the server presented.
    /// `trustedKeyIDs`: the Subject Key Identifiers of the certificates this client trusts (see `TrustStore`); nil when
    /// they could not be read, and then only the certificates' Authority Information Access decides.
    public static func classify(
        message: String, verifyResult: Int, chain: [CertificateInfo], host: String, trustedKeyIDs: Set<String>? = nil, now: Date = Date()
    ) -> TLSProblem {
        let text = message.lowercased()
        let leaf = chain.first
        if text.contains("no alternative certificate subject name") || text.contains("does not match target host") || verifyResult == 62 {
            return .hostMismatch(host: host, names: (leaf?.dnsNames ?? []) + (leaf?.ipAddresses ?? []))
        }
        if text.contains("has expired") || verifyResult == 10 {
            return .expired(on: leaf?.notAfter)
        }
        if text.contains("not yet valid") || verifyResult == 9 {
            return .notYetValid(until: leaf?.notBefore)
        }
        if verifyResult == 18 || (text.contains("self-signed certificate") && !text.contains("in certificate chain"))
            || text.contains("self signed certificate") && !text.contains("chain")
        {
            return .selfSigned(subject: leaf?.subject ?? host)
        }
        if verifyResult == 19 || text.contains("in certificate chain") {
            return .untrustedIssuer(issuer: chain.last?.subject ?? leaf?.issuer ?? "an unknown CA")
        }
        if verifyResult == 20 || verifyResult == 21 || text.contains("unable to get local issuer") {
            // From the certificates, not their names: an issuer that is no trusted root (the last certificate's
            // Authority Key Identifier names no certificate trusted here), named by a certificate that says where to
            // download it (Authority Information Access), is an intermediate the server left out. Without that fact the
            // issuer is simply not trusted here (an unknown CA, or an intermediate nothing points to).
            let last = chain.last ?? leaf
            let issuerIsTrusted = last?.authorityKeyID.flatMap { id in trustedKeyIDs.map { $0.contains(id) } } ?? false
            if let last, !last.isSelfIssued, !issuerIsTrusted, let location = last.caIssuers.first {
                return .incompleteChain(missingIssuer: last.issuer, location: location)
            }
            if issuerIsTrusted { return .other(message) }
            return .untrustedIssuer(issuer: last?.issuer ?? "an unknown CA")
        }
        return .other(message)
    }
}
