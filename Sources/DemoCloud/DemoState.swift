import Foundation

/// Everything the demo cloud holds, in memory, behind one lock: Keystone's users, projects, roles and grants, the
/// tokens it issued, and what the other services list.
final class DemoState: @unchecked Sendable {
    struct User { var id, name, domainID, password: String; var defaultProject: String? }
    struct Project { var id, name, domainID: String }
    struct Role { var id, name: String }
    struct Token { var userID, projectID: String; var expires: Date }

    private let lock = NSLock()
    private(set) var users: [String: User] = [:]
    private(set) var projects: [String: Project] = [:]
    private(set) var roles: [String: Role] = [:]
    /// "project/user/role" for each grant.
    private(set) var grants: Set<String> = []
    private var tokens: [String: Token] = [:]
    struct Server { var id, name, network: String; var created: Date; var fixedIP: String; var portID: String; var deleted = false }
    struct FloatingIP { var id, address: String; var portID: String?; var description = "" }
    struct Volume { var id, name: String; var size: Int; var created: Date; var attachedTo: String?; var deleting: Date? = nil }
    private(set) var servers: [String: Server] = [:]
    private(set) var floatingIPs: [String: FloatingIP] = [:]
    private(set) var volumes: [String: Volume] = [:]
    /// Requests that carried a token to a plain-http endpoint (none should).
    var tokensOverPlainHTTP = 0
    /// Faults the scenario asks for.
    var faults = DemoFaults()
    /// Real seconds a server stays in BUILD (and a volume in creating): the cloud's timescale sets it.
    var buildSeconds: TimeInterval = 1
    /// The floating pool: first and last address (dotted), and what is taken besides floating IPs (the router's gateway).
    var pool = (first: "127.0.113.10", last: "127.0.113.50")
    /// Called when a floating IP is attached to or detached from a server: the demo's SSH stand-in listens there.
    var onFloatingIP: (@Sendable (String, Bool) -> Void)?

    // Compute, network and volume mutations, called inside `locked`.
    func add(_ server: Server) { servers[server.id] = server }
    func deleteServer(_ id: String) {
        servers[id]?.deleted = true; for (key, ip) in floatingIPs where ip.portID == servers[id]?.portID { floatingIPs[key]?.portID = nil }
    }
    func add(_ ip: FloatingIP) { floatingIPs[ip.id] = ip }
    func setPort(_ port: String?, floatingIP id: String) { floatingIPs[id]?.portID = port }
    func removeFloatingIP(_ id: String) { floatingIPs[id] = nil }
    func add(_ volume: Volume) { volumes[volume.id] = volume }

    /// The admin project's id (the owner of the demo's networks).
    var adminProjectID: String { projects.values.first { $0.name == "admin" }?.id ?? "" }
    func attach(volume: String, to server: String?) { volumes[volume]?.attachedTo = server }
    func removeVolume(_ id: String) { volumes[id] = nil }

    /// Starts deleting a volume: Cinder answers 202 and the volume goes some time later.
    func startDeleting(_ id: String) { volumes[id]?.deleting = Date() }

    /// The catalog's endpoints, by service type: (id, interface, url).
    var endpoints: [String: [(id: String, interface: String, url: String)]] = [:]

    init(adminPassword: String) {
        let admin = Role(id: Self.id(), name: "admin"), member = Role(id: Self.id(), name: "member"), reader = Role(id: Self.id(), name: "reader")
        for role in [admin, member, reader] { roles[role.id] = role }
        let project = Project(id: Self.id(), name: "admin", domainID: "default")
        projects[project.id] = project
        let user = User(id: Self.id(), name: "admin", domainID: "default", password: adminPassword, defaultProject: nil)
        users[user.id] = user
        grants.insert("\(project.id)/\(user.id)/\(admin.id)")
    }

    /// An id as Keystone makes them: 32 hex digits.
    static func id() -> String { UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased() }

    func locked<T>(_ body: (DemoState) throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        return try body(self)
    }

    // Mutations, called inside `locked`.
    func add(_ user: User) { users[user.id] = user }
    func add(_ project: Project) { projects[project.id] = project }
    func grant(project: String, user: String, role: String) { grants.insert("\(project)/\(user)/\(role)") }
    func setPassword(_ password: String, user: String) { users[user]?.password = password }

    /// The roles `user` holds on `project`.
    func roles(user: String, project: String) -> [Role] {
        roles.values.filter { grants.contains("\(project)/\(user)/\($0.id)") }.sorted { $0.name < $1.name }
    }

    /// A new token for the user on the project.
    func issueToken(user: String, project: String) -> (String, Token) {
        let token = Token(userID: user, projectID: project, expires: Date().addingTimeInterval(3600))
        let id = "gAAAAA" + Self.id() + Self.id()
        tokens[id] = token
        return (id, token)
    }

    func token(_ id: String?) -> Token? {
        guard let id, let token = tokens[id], token.expires > Date() else { return nil }
        return token
    }

    /// Whether the token's holder has the admin role on its project.
    func isAdmin(_ token: Token) -> Bool { roles(user: token.userID, project: token.projectID).contains { $0.name == "admin" } }
}

/// What the demo cloud gets wrong on purpose.
public struct DemoFaults: Sendable, Equatable {
    /// New servers go to ERROR instead of ACTIVE.
    public var serverError = false
    /// The floating pool has no free address.
    public var noFreeFloatingIPs = false
    /// Servers never answer SSH at their floating IP.
    public var noSSH = false
    /// Something accepts connections at the floating IP and says nothing (no SSH banner), as some networks do.
    public var silentSSH = false
    /// A second tenant network, listed first, that no router joins to the external network (Neutron then refuses a
    /// floating IP for its ports, 404).
    public var unroutedNetwork = false
    /// The image needs 5 GB of disk (min_disk), more than the smallest flavor has (Nova then refuses that flavor, 400).
    public var bigImage = false
    /// New volumes go to error instead of available.
    public var volumeError = false
    /// Glance lists no active image.
    public var noImage = false
    /// Neutron has no external network.
    public var noExternalNetwork = false

    /// No faults.
    public init() {}
}
