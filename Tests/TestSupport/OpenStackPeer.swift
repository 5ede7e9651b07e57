import CloudProbe
import Foundation
import StepEngine

/// Real Keystone, Glance, Neutron, Nova and Cinder API servers on loopback (Tests/Peers/openstack_peer.py), or with
/// `compute`, the cloud that boots servers behind them (Tests/Peers/compute_peer.py: RabbitMQ, Placement, Nova's workers
/// with the fake virt driver, Neutron's RPC server, Cinder's volume service).
public final class OpenStackPeer: @unchecked Sendable {
    public let workdir: String
    public let adminPassword: String
    public let ports: [String: Int]
    public let caBundle: String
    public let authURL: String
    public let resolve: [String]
    /// The seeded public image and the external network (`public`).
    public let imageID: String
    public let externalNetworkID: String
    /// What the peer's start took, from its first step to READY (compute peer only; 0 otherwise).
    public let startedSeconds: Double
    /// Every process group the peer started, as it recorded them.
    public let processGroups: [Int32]
    private let process: ChildProcess.Running

    /// Starts the services (about a minute with the venv in place; the compute peer about one and a half) or returns nil
    /// with the reason in `lastError`.
    public init?(compute: Bool = false) {
        guard let python = Peers.python else { return nil }
        workdir = TestPaths.scratch(compute ? "compute" : "openstack")
        adminPassword = "adm-" + UUID().uuidString
        process = ChildProcess.start(
            [python, Peers.directory + (compute ? "/compute_peer.py" : "/openstack_peer.py"), workdir],
            environment: ["ATMO_PEER_ADMIN_PASSWORD": adminPassword])
        // Longer than the peer's own limits (90 s for Keystone, 120 s for each other service), so a service that does not
        // come up is named by the peer, with the end of its log, rather than cut off here.
        guard process.waitForOutput("READY", timeout: 600),
            let data = FileManager.default.contents(atPath: workdir + "/peer.json"),
            let description = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            OpenStackPeer.lastError = String(process.output.suffix(3000))
            kill(process.pid, SIGTERM)
            _ = process.wait()
            return nil
        }
        ports = description["ports"] as? [String: Int] ?? [:]
        caBundle = description["ca"] as? String ?? ""
        authURL = description["auth_url"] as? String ?? ""
        resolve = description["resolve"] as? [String] ?? []
        imageID = description["image_id"] as? String ?? ""
        externalNetworkID = description["external_network_id"] as? String ?? ""
        startedSeconds = description["started_seconds"] as? Double ?? 0
        processGroups = (description["pids"] as? [Int] ?? []).map { Int32($0) }
    }

    nonisolated(unsafe) public static var lastError = ""

    deinit {
        kill(process.pid, SIGTERM)
        _ = process.wait()
        // The peer stops its process groups itself; one it could not stop is not left running.
        for group in processGroups where kill(-group, 0) == 0 { kill(-group, SIGKILL) }
    }

    /// The recorded process groups that still have a live (not zombie) member.
    public func runningGroups() -> [Int32] {
        processGroups.filter { group in
            let members = ChildProcess.run(["ps", "-o", "stat=", "--sid", String(group)]).stdout.split(separator: "\n")
            return members.contains { !$0.hasPrefix("Z") }
        }
    }

    /// An openrc for the admin account, without its password (given as OS_PASSWORD), as the peer wrote it.
    public func adminOpenrc() -> String { workdir + "/admin-openrc" }

    /// An HTTP client that trusts the peer's CA and resolves its names to 127.0.0.1.
    public func client(extraResolve: [String] = []) -> HTTPClient {
        HTTPClient(configuration: .init(caBundle: caBundle, resolve: resolve + extraResolve))
    }

    /// An admin session, for changing the cloud under test.
    public func adminSession() async throws -> KeystoneSession {
        var credentials = try OpenrcParser.load(path: adminOpenrc())
        credentials.secret = SecretValue(adminPassword)
        return try await KeystoneClient(client: client()).authenticate(credentials)
    }

    /// Sends an admin request and returns the JSON body (empty for no content).
    @discardableResult
    public func admin(
        _ method: String, _ url: String, _ body: [String: Any]? = nil, headers: [(name: String, value: String)] = [], session: KeystoneSession
    ) async throws -> [String: Any] {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let response = try await client().send(HTTPRequest(method: method, url: url, headers: session.authHeaders + headers, body: data))
        guard (200..<300).contains(response.status) else {
            throw NSError(
                domain: "peer", code: response.status,
                userInfo: [NSLocalizedDescriptionKey: "\(method) \(url): \(response.status) \(response.errorMessage)"])
        }
        return (try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]) ?? [:]
    }
}
