import Crypto
import Foundation
import SwiftASN1
import X509

/// A throwaway CA made at start, and the server certificates it signs: good, expired, or for another name.
struct DemoCertificates {
    /// A certificate and its key, as PEM.
    struct Pair {
        var certificate: String
        var key: String
    }

    let caPEM: String
    private let caKey: P256.Signing.PrivateKey
    private let caName: DistinguishedName

    init(now: Date = Date()) throws {
        caKey = P256.Signing.PrivateKey()
        caName = try DistinguishedName {
            OrganizationName("atmo-connect demo")
            CommonName("atmo-connect demo CA")
        }
        let ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(90 * 86_400),
            issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(caKey))
        caPEM = try ca.serializeAsPEM().pemString
    }

    /// A server certificate for `names`, signed by the CA (or by itself), valid around `now` unless `expired`.
    func server(names: [String], expired: Bool = false, selfSigned: Bool = false, now: Date = Date()) throws -> Pair {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(names.first ?? "localhost") }
        let notBefore = expired ? now.addingTimeInterval(-30 * 86_400) : now.addingTimeInterval(-3600)
        let notAfter = expired ? now.addingTimeInterval(-86_400) : now.addingTimeInterval(90 * 86_400)
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter,
            issuer: selfSigned ? subject : caName, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names.map { GeneralName.dnsName($0) })
            },
            issuerPrivateKey: selfSigned ? .init(key) : .init(caKey))
        return Pair(certificate: try certificate.serializeAsPEM().pemString, key: key.pemRepresentation)
    }
}
