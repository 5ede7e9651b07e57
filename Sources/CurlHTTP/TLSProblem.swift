import Foundation

/// Why a certificate was not accepted, in the classes an operator can act on.
public enum TLSProblem: Sendable, Equatable {
    case untrustedIssuer(issuer: String)
    case selfSigned(subject: String)
    case expired(on: Date?)
    case notYetValid(until: Date?)
    case hostMismatch(host: String, names: [String])
    case incompleteChain(missingIssuer: String)
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
        case let .incompleteChain(issuer): "the server does not send the intermediate certificate \(issuer)"
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
            "Use a certificate from a CA clients trust (Let's Encrypt is free), or pass --cacert with your CA's bundle."
        case .selfSigned:
            "Replace it with a CA-signed certificate (haproxy_user_ssl_cert in OpenStack-Ansible); a self-signed one invites disabled verification."
        case .expired:
            "Renew the certificate and reload haproxy (or the service) on the API host."
        case .notYetValid:
            "Check the clock on this host and on the API host; reissue the certificate if its start date is wrong."
        case let .hostMismatch(host, _):
            "Reissue the certificate with \(host) among its subject alternative names, or point the endpoint at a name it covers."
        case .incompleteChain:
            "Serve the full chain: append the intermediate certificate to the server certificate (haproxy_user_ssl_ca_cert)."
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
    static func classify(message: String, verifyResult: Int, chain: [CertificateInfo], host: String, now: Date = Date()) -> TLSProblem {
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
            // A chain that stops at a certificate whose issuer it does not include: the server left something out.
            if let last = chain.last, !last.isSelfIssued, chain.count >= 1, leaf?.isSelfIssued == false,
                chain.count == 1 || last.issuer != chain.first?.issuer
            {
                return chain.count == 1 && Self.looksIntermediate(leaf?.issuer ?? "")
                    ? .incompleteChain(missingIssuer: last.issuer)
                    : .untrustedIssuer(issuer: last.issuer)
            }
            return .untrustedIssuer(issuer: leaf?.issuer ?? "an unknown CA")
        }
        return .other(message)
    }

    /// Issuers named like intermediates ("... Intermediate", "... Issuing", "R3", "E5") point to a missing chain, not an unknown CA.
    static func looksIntermediate(_ issuer: String) -> Bool {
        let lowered = issuer.lowercased()
        return lowered.contains("intermediate") || lowered.contains("issuing") || lowered.contains("sub ca")
            || lowered.range(of: "cn ?= ?(r|e)[0-9]+\\b", options: .regularExpression) != nil
    }
}
