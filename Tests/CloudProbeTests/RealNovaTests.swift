import CloudProbe
import Foundation
import StepEngine
import TestSupport
import XCTest

/// The smoke test against real Nova, Neutron, Cinder and Placement (Tests/Peers/compute_peer.py, started once for the
/// class): `apply --until exercise-cloud` boots, attaches, reaches the SSH banner and leaves nothing in any service; a kill
/// -9 at each stage and a resume leave nothing; a silent listener is no SSH; the network and flavor choices are the
/// ones real Neutron and Nova take, or findings before anything is made.
final class RealNovaTests: XCTestCase {
    nonisolated(unsafe) static var peer: OpenStackPeer?
    override class func setUp() { peer = OpenStackPeer(compute: true) }
    override class func tearDown() { peer = nil }

    let binary = TestPaths.executable("atmo-connect")
    /// What a test added to the shared cloud (a network, an image, a flavor), removed after it whatever its result.
    var cleanups: [@Sendable () async throws -> Void] = []

    override func tearDown() async throws {
        for cleanup in cleanups.reversed() { try await cleanup() }
        cleanups = []
    }

    func requirePeer() throws -> OpenStackPeer {
        try XCTUnwrap(Self.peer, Peers.python == nil ? Peers.missingVenv : "the real-Nova peer did not start:\n\(OpenStackPeer.lastError)")
    }

    /// The admin's view of one service, by its public name (the peer's client resolves it to 127.0.0.1).
    struct Cloud: Sendable {
        let peer: OpenStackPeer
        let session: KeystoneSession

        func url(_ service: String, _ path: String) -> String {
            let port = peer.ports[service] ?? 0
            let root = ["nova": "/v2.1", "neutron": "/v2.0", "cinder": "/v3/\(session.projectID)"][service] ?? ""
            return "https://\(service).cloud.test:\(port)\(root)\(path)"
        }

        @discardableResult
        func call(_ method: String, _ service: String, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
            try await peer.admin(method, url(service, path), body, session: session)
        }

        func list(_ service: String, _ path: String, _ key: String) async throws -> [[String: Any]] {
            try await call("GET", service, path)[key] as? [[String: Any]] ?? []
        }

        /// What the smoke test could have left, in every project: servers, floating IPs, the servers' ports, volumes and
        /// Placement allocations. Empty when nothing is left.
        func leftovers() async throws -> [String] {
            var left = try await list("nova", "/servers/detail?all_tenants=1", "servers").map { "server \($0["id"] ?? "")" }
            left += try await list("neutron", "/floatingips", "floatingips").map { "floating IP \($0["floating_ip_address"] ?? "")" }
            left += try await list("neutron", "/ports?device_owner=compute:nova", "ports").map { "port \($0["id"] ?? "")" }
            left += try await list("cinder", "/volumes/detail?all_tenants=1", "volumes").map { "volume \($0["id"] ?? "") \($0["status"] ?? "")" }
            for provider in try await list("placement", "/resource_providers", "resource_providers") {
                let uuid = provider["uuid"] as? String ?? ""
                let allocations = try await call("GET", "placement", "/resource_providers/\(uuid)/allocations")["allocations"] as? [String: Any]
                left += (allocations ?? [:]).keys.map { "allocation of \($0) on \(uuid)" }
            }
            return left.sorted()
        }

        /// Waits until `leftovers` is empty (Cinder completes a delete after its 202), up to `seconds`.
        func settledLeftovers(_ seconds: TimeInterval = 30) async throws -> [String] {
            let deadline = Date().addingTimeInterval(seconds)
            var left = try await leftovers()
            while !left.isEmpty, Date() < deadline {
                try await Task.sleep(nanoseconds: 300_000_000)
                left = try await leftovers()
            }
            return left
        }
    }

    func cloud() async throws -> Cloud {
        let peer = try requirePeer()
        return Cloud(peer: peer, session: try await peer.adminSession())
    }

    /// A SmokeTest as the wizard makes it, on the admin's session.
    func smokeTest(_ cloud: Cloud) -> SmokeTest {
        SmokeTest(api: OpenStackAPI(client: cloud.peer.client(), session: cloud.session), region: nil)
    }
}
