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
    /// The catalog's endpoints, by service type: (id, interface, url).
    var endpoints: [String: [(id: String, interface: String, url: String)]] = [:]

    init(adminPassword: String) {
        let admin = Role(id: Self.id(), name: "admin"), member = Role(id: Self.id(), name: "member"), reader = Role(id: Self.id(), name: "reader")
        for role in [admin, member, reader] { roles[role.id] = role }
        let project = Project(id: Self.id(), name: "admin", domainID: "default")
        projects[project.id] = project
        let user = User(id: Self.id(), name: "admin", domainID: "default", password: adminPassword, defaultProject: project.id)
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
