import CloudProbe
import Foundation
import StepEngine
import TestSupport
import XCTest

/// Real TLS servers on 127.0.0.1, one per certificate class, with certificates made at start.
final class TLSTests: XCTestCase {
    nonisolated(unsafe) static var peer: TLSPeer?

    override class func setUp() { peer = TLSPeer() }
    override class func tearDown() { peer = nil }

    func inspector(trustingTestCA: Bool = true) throws -> (TLSInspector, TLSPeer) {
        let peer = try XCTUnwrap(Self.peer, Peers.missingVenv)
        let client = HTTPClient(
            configuration: .init(
                caBundle: trustingTestCA ? peer.rootCA : nil,
                resolve: ["api.cloud.test:\(peer.ports["trusted"] ?? 0):127.0.0.1"]))
        return (TLSInspector(client: client), peer)
    }

    func testTrustedWithTheTestCA() async throws {
        let (inspector, peer) = try inspector()
        let report = await inspector.inspect(peer.url("trusted"))
        XCTAssertTrue(report.verified)
        XCTAssertNil(report.problem)
        XCTAssertEqual(report.leaf?.commonName, "good.cloud.test")
        XCTAssertEqual(report.leaf?.dnsNames, ["localhost", "api.cloud.test"])
        XCTAssertEqual(report.tlsVersion, "TLSv1.3")
        XCTAssertTrue((363...365).contains(report.daysLeft ?? 0), "\(String(describing: report.daysLeft))")
        let finding = try XCTUnwrap(TLSInspector.findings(for: report, checkID: "tls.endpoints").first)
        XCTAssertEqual(finding.severity, .ok)
        XCTAssertTrue(finding.observed.hasPrefix("trusted only with CA bundle \(peer.rootCA), TLSv1.3"), finding.observed)
        XCTAssertTrue(
            finding.observed.contains("subject good.cloud.test, issuer Test Root CA, names localhost api.cloud.test 127.0.0.1, expires "),
            finding.observed)
        XCTAssertNotNil(
            finding.observed.range(of: #"expires 20[0-9]{2}-[0-9]{2}-[0-9]{2}, 36[345] days left$"#, options: .regularExpression), finding.observed)
    }

    func testAFullyQualifiedNameReachedThroughTheResolveOverride() async throws {
        let (inspector, peer) = try inspector()
        let report = await inspector.inspect(peer.url("trusted", host: "api.cloud.test"))
        XCTAssertTrue(report.verified, "\(report)")
    }

    func testWithoutTheBundleTheTestCAIsNotTrusted() async throws {
        let (inspector, peer) = try inspector(trustingTestCA: false)
        let report = await inspector.inspect(peer.url("trusted"))
        XCTAssertEqual(report.problem, .untrustedIssuer(issuer: "CN = Test Root CA, O = atmo-connect tests"))
        XCTAssertEqual(report.leaf?.commonName, "good.cloud.test", "the certificate is still shown")
    }

    func testEachFailureClass() async throws {
        let (inspector, peer) = try inspector()
        let expected: [(String, String)] = [
            ("untrusted", "untrusted-issuer"), ("self-signed", "self-signed"), ("expired", "expired"),
            ("not-yet-valid", "not-yet-valid"), ("wrong-host", "wrong-host"), ("missing-intermediate", "incomplete-chain"),
        ]
        for (label, kind) in expected {
            let report = await inspector.inspect(peer.url(label))
            XCTAssertFalse(report.verified, label)
            XCTAssertEqual(report.problem?.kind, kind, "\(label): \(String(describing: report.problem))")
            XCTAssertNotNil(report.leaf, "\(label): the certificate's details are read even though it failed")
            let finding = try XCTUnwrap(TLSInspector.findings(for: report, checkID: "tls.endpoints").first)
            XCTAssertEqual(finding.severity, .failure, label)
            XCTAssertFalse(finding.remedy.isEmpty, label)
        }
        let expired = await inspector.inspect(peer.url("expired"))
        XCTAssertEqual(expired.daysLeft, -3)
        let wrong = await inspector.inspect(peer.url("wrong-host"))
        XCTAssertEqual(wrong.problem, .hostMismatch(host: "localhost", names: ["other.example.org"]))
        let chain = await inspector.inspect(peer.url("missing-intermediate"))
        XCTAssertEqual(
            chain.problem,
            .incompleteChain(missingIssuer: "CN = Test Intermediate CA, O = atmo-connect tests", location: "http://ca.cloud.test/intermediate.crt"))
        let full = await inspector.inspect(peer.url("full-chain"))
        XCTAssertTrue(full.verified, "the same leaf with its intermediate sent verifies")
    }

    /// Chains told apart by what the certificates say, not by their issuers' names: intermediates named as InCommon,
    /// Sectigo and Let's Encrypt's R10 are, when the server leaves them out, an incomplete chain named with the URL the
    /// leaf gives; sent, the chain is trusted; without that URL, or from a CA nobody trusts named like an intermediate,
    /// the issuer is not trusted here.
    func testChainClassesFromTheCertificatesNotTheirNames() async throws {
        let (inspector, peer) = try inspector()
        let named = [
            ("incommon", "CN = InCommon ECC Server CA 2, O = Internet2", "http://crt.sectigo.com/InCommonECCServerCA2.crt"),
            (
                "sectigo", "CN = Sectigo RSA Domain Validation Secure Server CA, O = Sectigo Limited",
                "http://crt.sectigo.com/SectigoRSADomainValidationSecureServerCA.crt"
            ),
            ("r10", "CN = R10, O = Let's Encrypt", "http://r10.i.lencr.org/"),
        ]
        for (label, issuer, url) in named {
            let leafOnly = await inspector.inspect(peer.url(label + "-leaf-only"))
            XCTAssertEqual(leafOnly.problem, .incompleteChain(missingIssuer: issuer, location: url), label)
            let finding = try XCTUnwrap(TLSInspector.findings(for: leafOnly, checkID: "tls.endpoints").first)
            XCTAssertTrue(finding.observed.contains("does not send the intermediate certificate \(issuer); the certificate says it is at \(url)"), finding.observed)
            XCTAssertTrue(finding.remedy.contains("Serve the full chain: download the intermediate (\(url))"), finding.remedy)
            XCTAssertTrue(finding.remedy.contains("haproxy_user_ssl_ca_cert"), finding.remedy)
            XCTAssertFalse(finding.remedy.contains("Let's Encrypt is free"), "no advice to change CA: \(finding.remedy)")

            let full = await inspector.inspect(peer.url(label + "-full"))
            XCTAssertTrue(full.verified, "\(label): the same leaf with its intermediate is trusted: \(String(describing: full.problem))")
            XCTAssertEqual(try XCTUnwrap(TLSInspector.findings(for: full, checkID: "tls.endpoints").first).severity, .ok, label)

            let bare = await inspector.inspect(peer.url(label + "-no-aia-leaf-only"))
            XCTAssertEqual(bare.problem, .untrustedIssuer(issuer: issuer), "\(label) without AIA: nothing says where the issuer is")
        }
        let unknown = await inspector.inspect(peer.url("unknown-named-intermediate"))
        XCTAssertEqual(
            unknown.problem, .untrustedIssuer(issuer: "CN = Campus Issuing Intermediate CA, O = atmo-connect tests"),
            "a name with 'Intermediate' and 'Issuing' in it is no missing chain")
        let trusted = await inspector.inspect(peer.url("trusted"))
        XCTAssertTrue(trusted.verified, "the control")

        // The trust store read by key identifier: the test root's Subject Key Identifier, parsed from its DER here, is
        // the Authority Key Identifier OpenSSL reads in the leaf it signed.
        let rootIDs = try XCTUnwrap(TrustStore.keyIDs(bundle: peer.rootCA))
        XCTAssertNil(TrustStore.keyIDs(bundle: "/nonexistent/ca.pem"), "an unreadable bundle is unknown, not empty")
        XCTAssertEqual(rootIDs.count, 1)
        XCTAssertEqual(trusted.leaf?.authorityKeyID.map { rootIDs.contains($0) }, true, "\(rootIDs) ~ \(String(describing: trusted.leaf?.authorityKeyID))")
        let intermediateLeaf = await inspector.inspect(peer.url("incommon-leaf-only"))
        XCTAssertEqual(intermediateLeaf.leaf?.authorityKeyID.map { rootIDs.contains($0) }, false, "its issuer is no trusted root")
        // A chain whose issuer the trust store does hold is no missing intermediate, whatever its AIA says.
        var issuedByARoot = try XCTUnwrap(intermediateLeaf.leaf)
        issuedByARoot.authorityKeyID = rootIDs.first
        let problem = TLSProblem.classify(
            message: "unable to get local issuer certificate", verifyResult: 20, chain: [issuedByARoot], host: "localhost", trustedKeyIDs: rootIDs)
        XCTAssertNotEqual(problem.kind, "incomplete-chain", "\(problem)")
    }

    func testExpiryThresholds() async throws {
        let (inspector, peer) = try inspector()
        let soon = await inspector.inspect(peer.url("expires-in-10-days"))
        XCTAssertEqual(soon.daysLeft, 10)
        XCTAssertEqual(TLSInspector.findings(for: soon, checkID: "t").first?.severity, .failure)
        let later = await inspector.inspect(peer.url("expires-in-40-days"))
        XCTAssertEqual(later.daysLeft, 40)
        XCTAssertEqual(TLSInspector.findings(for: later, checkID: "t").first?.severity, .warning)
    }

    func testFailuresWithoutTLS() async throws {
        let (inspector, peer) = try inspector()
        let refused = await inspector.inspect("https://127.0.0.1:1/")
        XCTAssertEqual(refused.failure, .connectionRefused(host: "127.0.0.1", port: 1))
        let unresolvable = await inspector.inspect("https://no-such-host.invalid/")
        XCTAssertEqual(unresolvable.failure, .nameResolution(host: "no-such-host.invalid"))
        let plain = await inspector.inspect("http://localhost:\(peer.ports["trusted"] ?? 0)/")
        XCTAssertNotNil(plain.failure, "plain http to a TLS port gets no HTTP answer")
    }

    func testTimeoutIsClassified() async throws {
        // A listener that never answers: connect succeeds, the request times out.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in(
            sin_family: sa_family_t(AF_INET), sin_port: 0, sin_addr: in_addr(s_addr: inet_addr("127.0.0.1")), sin_zero: (0, 0, 0, 0, 0, 0, 0, 0))
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        listen(listener, 4)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let client = HTTPClient(configuration: .init(connectTimeout: 1, totalTimeout: 1))
        let started = Date()
        do {
            _ = try await client.send(HTTPRequest(url: "https://127.0.0.1:\(port)/"))
            XCTFail("expected a timeout")
        } catch let failure as HTTPFailure {
            XCTAssertEqual(failure, .timeout(url: "https://127.0.0.1:\(port)/", seconds: 1))
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 3)
    }

    func testAKeystoneWithOnlyV2IsRefusedClearly() async throws {
        let (inspector, peer) = try inspector()
        let keystone = KeystoneClient(client: inspector.client)
        do {
            _ = try await keystone.discover(authURL: "https://localhost:\(peer.ports["keystone-v2-only"] ?? 0)/v2.0")
            XCTFail("a v2.0-only Keystone must be refused")
        } catch let error as KeystoneError {
            XCTAssertEqual(error, .v2Only(url: "https://localhost:\(peer.ports["keystone-v2-only"] ?? 0)"))
            XCTAssertTrue(error.message.contains("only the v2.0 API"))
        }
        do {
            _ = try await keystone.discover(authURL: peer.url("trusted"))
            XCTFail("something that is not Keystone must be refused")
        } catch let error as KeystoneError {
            XCTAssertEqual(error, .noVersion3(url: "https://localhost:\(peer.ports["trusted"] ?? 0)/v3", status: 200))
        }
        // An auth URL that names v3 goes straight to the token request; when nothing takes it there, the version
        // document still tells the operator why, as when it is asked first.
        for (label, expected) in [
            ("keystone-v2-only", KeystoneError.v2Only(url: "https://localhost:\(peer.ports["keystone-v2-only"] ?? 0)")),
            ("trusted", .noVersion3(url: "https://localhost:\(peer.ports["trusted"] ?? 0)/v3", status: 200)),
        ] {
            let credentials = try CloudCredentials.from(
                variables: [
                    "OS_AUTH_URL": "https://localhost:\(peer.ports[label] ?? 0)/v3", "OS_USERNAME": "admin", "OS_PASSWORD": "pw",
                    "OS_USER_DOMAIN_NAME": "Default", "OS_PROJECT_NAME": "admin", "OS_PROJECT_DOMAIN_NAME": "Default",
                ], source: "test")
            do {
                _ = try await keystone.authenticate(credentials)
                XCTFail("\(label) has no v3 token endpoint")
            } catch let error as KeystoneError {
                XCTAssertEqual(error, expected, label)
            }
        }
    }
}
