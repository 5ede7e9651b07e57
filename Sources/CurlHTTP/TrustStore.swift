import Foundation

/// The Subject Key Identifiers of the certificates this client trusts (the operator's CA bundle, else the system's),
/// to tell from the certificates themselves whether an issuer is a trusted root: a leaf's Authority Key Identifier
/// either names one of them or it does not.
public enum TrustStore {
    /// Where Debian, Fedora and Alpine keep the system's bundle; libcurl's default is the first that exists.
    static let systemBundles = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"]

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: Set<String>] = [:]

    /// The key identifiers (colon-separated upper-case hex, as OpenSSL prints them) of every certificate in `bundle`
    /// (nil: the system's); nil when there is no bundle or it cannot be read: unknown, never "trusts nothing".
    public static func keyIDs(bundle: String?) -> Set<String>? {
        guard let path = bundle ?? systemBundles.first(where: { FileManager.default.fileExists(atPath: $0) }) else { return nil }
        lock.lock()
        if let known = cache[path] {
            lock.unlock()
            return known
        }
        lock.unlock()
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        var ids = Set<String>()
        for block in text.components(separatedBy: "-----BEGIN CERTIFICATE-----").dropFirst() {
            guard let body = block.components(separatedBy: "-----END CERTIFICATE-----").first,
                let der = Data(base64Encoded: body.filter { !$0.isWhitespace }), let id = subjectKeyID(der: [UInt8](der))
            else { continue }
            ids.insert(id)
        }
        lock.lock()
        cache[path] = ids
        lock.unlock()
        return ids
    }

    /// The Subject Key Identifier extension (2.5.29.14) of a DER certificate: the OID, an optional critical flag, then
    /// an OCTET STRING wrapping the OCTET STRING of the identifier.
    static func subjectKeyID(der: [UInt8]) -> String? {
        let oid: [UInt8] = [0x06, 0x03, 0x55, 0x1D, 0x0E]
        guard der.count > oid.count, let start = (0...(der.count - oid.count)).first(where: { der[$0..<$0 + oid.count].elementsEqual(oid) }) else {
            return nil
        }
        var index = start + oid.count
        func byte() -> UInt8? { index < der.count ? der[index] : nil }
        if byte() == 0x01 { index += 3 }  // BOOLEAN critical
        guard byte() == 0x04 else { return nil }
        index += 1
        guard let outer = byte(), outer < 0x80 else { return nil }
        index += 1
        guard byte() == 0x04 else { return nil }
        index += 1
        guard let length = byte().map(Int.init), length < 0x80, index + 1 + length <= der.count else { return nil }
        index += 1
        return der[index..<index + length].map { String(format: "%02X", $0) }.joined(separator: ":")
    }
}
