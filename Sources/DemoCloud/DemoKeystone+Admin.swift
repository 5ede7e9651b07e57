import Foundation

extension DemoKeystone {
    /// /v3/domains, roles, projects, users, grants, services and endpoints, for an admin token.
    func admin(_ request: DemoRequest, _ path: [String]) -> DemoResponse {
        let query = request.query
        return state.locked { state -> DemoResponse in
            func domain(_ id: String) -> [String: Any] { ["id": id, "name": id == "default" ? "Default" : id, "enabled": true] }
            func project(_ p: DemoState.Project) -> [String: Any] {
                [
                    "id": p.id, "name": p.name, "domain_id": p.domainID, "enabled": true, "is_domain": false, "parent_id": p.domainID,
                    "description": "", "tags": [], "links": ["self": "\(base)/v3/projects/\(p.id)"],
                ]
            }
            func user(_ u: DemoState.User) -> [String: Any] {
                var body: [String: Any] = [
                    "id": u.id, "name": u.name, "domain_id": u.domainID, "enabled": true,
                    "password_expires_at": NSNull(), "options": [:], "links": ["self": "\(base)/v3/users/\(u.id)"],
                ]
                // Keystone leaves the key out when no default project is set.
                if let project = u.defaultProject { body["default_project_id"] = project }
                return body
            }
            let links: [String: Any] = ["self": "\(base)/v3/\(path.joined(separator: "/"))", "next": NSNull(), "previous": NSNull()]
            switch (request.method, path.count, path.first ?? "") {
            case ("GET", 1, "domains"):
                let domains = query["name"].map { $0.lowercased() == "default" ? ["default"] : [] } ?? ["default"]
                return .json(200, ["domains": domains.map(domain), "links": links])
            case ("GET", 2, "domains"):
                return path[1] == "default"
                    ? .json(200, ["domain": domain("default")])
                    : .keystoneError(404, "Not Found", "Could not find domain: \(path[1]).")
            case ("GET", 1, "roles"):
                let roles = state.roles.values.filter { query["name"] == nil || $0.name == query["name"] }.sorted { $0.name < $1.name }
                return .json(
                    200, ["roles": roles.map { ["id": $0.id, "name": $0.name, "domain_id": NSNull(), "description": NSNull()] }, "links": links])
            case ("GET", 1, "projects"):
                let found = state.projects.values.filter {
                    (query["name"] == nil || $0.name == query["name"]) && (query["domain_id"] == nil || $0.domainID == query["domain_id"])
                }
                return .json(200, ["projects": found.sorted { $0.name < $1.name }.map(project), "links": links])
            case ("POST", 1, "projects"):
                let body = request.json["project"] as? [String: Any] ?? [:]
                guard let name = body["name"] as? String else { return .keystoneError(400, "Bad Request", "Invalid input for field 'name'.") }
                let domainID = body["domain_id"] as? String ?? "default"
                if state.projects.values.contains(where: { $0.name == name && $0.domainID == domainID }) {
                    return .keystoneError(
                        409, "Conflict",
                        "Conflict occurred attempting to store project - it is not permitted to have two projects with the same name in the same domain : \(name)."
                    )
                }
                let created = DemoState.Project(id: DemoState.id(), name: name, domainID: domainID)
                state.add(created)
                return .json(201, ["project": project(created)])
            case ("GET", 1, "users"):
                let found = state.users.values.filter {
                    (query["name"] == nil || $0.name == query["name"]) && (query["domain_id"] == nil || $0.domainID == query["domain_id"])
                }
                return .json(200, ["users": found.sorted { $0.name < $1.name }.map(user), "links": links])
            case ("POST", 1, "users"):
                let body = request.json["user"] as? [String: Any] ?? [:]
                guard let name = body["name"] as? String else { return .keystoneError(400, "Bad Request", "Invalid input for field 'name'.") }
                let domainID = body["domain_id"] as? String ?? "default"
                if state.users.values.contains(where: { $0.name == name && $0.domainID == domainID }) {
                    return .keystoneError(
                        409, "Conflict",
                        "Conflict occurred attempting to store user - Duplicate entry found with name \(name) at domain ID \(domainID).")
                }
                let created = DemoState.User(
                    id: DemoState.id(), name: name, domainID: domainID, password: body["password"] as? String ?? "",
                    defaultProject: body["default_project_id"] as? String)
                state.add(created)
                return .json(201, ["user": user(created)])
            case ("PATCH", 2, "users"):
                guard let existing = state.users[path[1]] else { return .keystoneError(404, "Not Found", "Could not find user: \(path[1]).") }
                if let password = (request.json["user"] as? [String: Any])?["password"] as? String { state.setPassword(password, user: existing.id) }
                return .json(200, ["user": user(existing)])
            case (let method, 6, "projects") where path[2] == "users" && path[4] == "roles":
                let (projectID, userID, roleID) = (path[1], path[3], path[5])
                guard state.projects[projectID] != nil else { return .keystoneError(404, "Not Found", "Could not find project: \(projectID).") }
                guard state.users[userID] != nil else { return .keystoneError(404, "Not Found", "Could not find user: \(userID).") }
                guard state.roles[roleID] != nil else { return .keystoneError(404, "Not Found", "Could not find role: \(roleID).") }
                if method == "PUT" {
                    state.grant(project: projectID, user: userID, role: roleID)
                    return .noContent
                }
                return state.grants.contains("\(projectID)/\(userID)/\(roleID)")
                    ? .noContent
                    : .keystoneError(404, "Not Found", "Could not find role assignment.")
            default:
                return .keystoneError(404, "Not Found", "The resource could not be found.")
            }
        }
    }
}
