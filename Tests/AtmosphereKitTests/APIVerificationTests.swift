import AtmosphereKit
import CloudProbe
import Foundation
import StepEngine
import TestSupport
import XCTest

/// The final check against a stand-in of Atmosphere's /api/v2 over HTTPS (paginated, token auth).
final class APIVerificationTests: XCTestCase {
    nonisolated(unsafe) static var server: ChildProcess.Running?
    nonisolated(unsafe) static var work = ""
    static let token = "tok-" + UUID().uuidString

    override class func setUp() {
        guard let python = Peers.python else { return }
        work = TestPaths.scratch("atmo-api")
        let data: [String: Any] = [
            "providers": [["id": 4, "name": "default"], ["id": 5, "name": "lab"], ["id": 6, "name": "other"]],
            "identities": [
                ["provider": ["id": 5], "user": ["username": "cmart"]], ["provider": ["id": 4], "user": ["username": "alice"]],
                ["provider": ["id": 5], "user": ["username": "bob"]],
            ],
            "sizes": [
                ["provider_id": 5, "name": "m1.tiny"], ["provider_id": 5, "name": "m1.small"], ["provider_id": 5, "name": "m1.large"],
                ["provider_id": 4, "name": "x"],
            ],
            "provider_machines": [["provider": ["id": 5]], ["provider": ["id": 4]]],
        ]
        let path = work + "/data.json"
        FileManager.default.createFile(atPath: path, contents: try? JSONSerialization.data(withJSONObject: data))
        let process = ChildProcess.start([python, Peers.directory + "/atmosphere_api.py", work, path], environment: ["ATMO_API_TOKEN": token])
        if process.waitForOutput("READY", timeout: 30) { server = process } else { kill(process.pid, SIGKILL) }
    }

    override class func tearDown() {
        if let server { kill(server.pid, SIGKILL); _ = server.wait() }
    }

    func verify(
        token: String = APIVerificationTests.token, provider: String = "lab", users: [String] = ["cmart", "bob"],
        scheme: String = "https"
    ) throws -> [Finding] {
        _ = try XCTUnwrap(Self.server, Peers.missingVenv)
        let port = try String(contentsOfFile: Self.work + "/port", encoding: .utf8)
        let client = HTTPClient(configuration: .init(caBundle: Self.work + "/ca.pem"))
        let semaphore = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var findings: [Finding] = []
        Task {
            findings = await AtmosphereAPIVerification.run(
                apiURL: "\(scheme)://localhost:\(port)/", token: SecretValue(token), provider: provider,
                users: users, client: client)
            semaphore.signal()
        }
        semaphore.wait()
        return findings
    }

    func testEverythingPresentAcrossPages() throws {
        let findings = try verify()
        XCTAssertEqual(findings.map(\.severity), [.ok, .ok, .ok, .ok, .ok], "\(findings)")
        XCTAssertEqual(findings.map(\.observed), ["present (id 5)", "present", "present", "3 size(s)", "1 image(s)"])
    }

    func testMissingIdentityWrongTokenPlainHTTPAndAnUnseenProvider() throws {
        let missing = try verify(users: ["cmart", "dave"])
        XCTAssertEqual(missing.first { $0.target == "identity of dave" }?.severity, .failure)
        let refused = try verify(token: "wrong")
        XCTAssertEqual(refused.map(\.severity), [.failure])
        XCTAssertTrue(refused[0].observed.hasPrefix("HTTP 401"))
        XCTAssertTrue(refused[0].remedy.contains("final.api_token"))
        let plain = try verify(scheme: "http")
        XCTAssertEqual(plain.first?.observed, "plain http: the API token would cross the network in clear")
        let unseen = try verify(provider: "newcloud")
        XCTAssertEqual(unseen.first?.observed, "not among the 3 provider(s) this token sees")
        XCTAssertTrue(unseen.first?.remedy.contains("identity") ?? false)
    }

    /// A TLS-terminating proxy in front of Django REST framework makes `next` links with http://: the token is not sent there.
    func testPagingToAPlainHTTPLinkSendsNoToken() throws {
        let python = try XCTUnwrap(Peers.python, Peers.missingVenv)
        let work = TestPaths.scratch("atmo-api-http")
        let data: [String: Any] = [
            "providers": [["id": 4, "name": "default"], ["id": 5, "name": "other"], ["id": 6, "name": "lab"]],
            "identities": [], "sizes": [], "provider_machines": [],
        ]
        FileManager.default.createFile(atPath: work + "/data.json", contents: try JSONSerialization.data(withJSONObject: data))
        let server = ChildProcess.start(
            [python, Peers.directory + "/atmosphere_api.py", work, work + "/data.json"],
            environment: ["ATMO_API_TOKEN": Self.token, "ATMO_API_NEXT_HTTP": "1"])
        defer { kill(server.pid, SIGKILL); _ = server.wait() }
        XCTAssertTrue(server.waitForOutput("READY", timeout: 30), server.output)
        let port = try String(contentsOfFile: work + "/port", encoding: .utf8)
        let client = HTTPClient(configuration: .init(caBundle: work + "/ca.pem"))
        let semaphore = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var findings: [Finding] = []
        Task {
            findings = await AtmosphereAPIVerification.run(
                apiURL: "https://localhost:\(port)", token: SecretValue(Self.token), provider: "lab",
                users: [], client: client)
            semaphore.signal()
        }
        semaphore.wait()
        let refused = try XCTUnwrap(findings.first { $0.severity == .failure }, "\(findings)")
        XCTAssertTrue(refused.observed.contains("is plain http: atmo-connect did not send the token"), refused.observed)
        XCTAssertTrue(refused.target.hasPrefix("http://localhost:"), refused.target)
        let log = (try? String(contentsOfFile: work + "/http-requests.log", encoding: .utf8)) ?? ""
        XCTAssertEqual(log, "", "no request reached the plain-http listener")
    }

    func testThePlainHTTPPolicyIsExactAboutHostsPortsAndPaths() {
        let policy = PlainHTTPPolicy(allowed: ["http://glance.test:9292", "http://nova.test:8774/v2.1/"])
        XCTAssertTrue(policy.mayCarryCredentials("https://anything.test/x"))
        XCTAssertTrue(policy.mayCarryCredentials("http://glance.test:9292/v2/images"))
        XCTAssertTrue(policy.mayCarryCredentials("http://nova.test:8774/v2.1/flavors/detail"))
        XCTAssertFalse(policy.mayCarryCredentials("http://glance.test.evil.org:9292/v2/images"), "a longer host name")
        XCTAssertFalse(policy.mayCarryCredentials("http://glance.test:9293/"), "another port")
        XCTAssertFalse(policy.mayCarryCredentials("http://nova.test:8774/v2.10/flavors"), "a path that only starts with the same letters")
        XCTAssertFalse(policy.mayCarryCredentials("http://keystone.test:5000/v3/auth/tokens"))
        XCTAssertFalse(PlainHTTPPolicy().mayCarryCredentials("http://glance.test:9292/"))
    }
}
