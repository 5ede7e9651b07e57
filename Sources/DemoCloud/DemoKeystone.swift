import Foundation

/// Keystone v3 as the reference documents it: the 300 version list at the root, the v3 document, password
/// authentication with X-Subject-Token and a catalog, and the admin calls that find or create atmoadmin.
struct DemoKeystone {
    let state: DemoState
    let base: String
    let region: String

    func handle(_ request: DemoRequest) -> DemoResponse {
        let parts = request.parts
        let version: [String: Any] = [
            "id": "v3.14", "status": "stable", "updated": "2020-04-07T00:00:00Z",
            "links": [["rel": "self", "href": "\(base)/v3/"]],
            "media-types": [["base": "application/json", "type": "application/vnd.openstack.identity-v3+json"]],
        ]
        if parts.isEmpty { return .json(300, ["versions": ["values": [version]]]) }
        guard parts[0] == "v3" else { return .keystoneError(404, "Not Found", "The resource could not be found.") }
        if parts.count == 1 { return .json(200, ["version": version]) }
        if parts[1] == "auth", parts.count == 3, parts[2] == "tokens", request.method == "POST" { return authenticate(request) }
        guard let token = state.locked({ $0.token(request.headers["x-auth-token"]) }) else {
            return .keystoneError(401, "Unauthorized", "The request you have made requires authentication.")
        }
        guard state.locked({ $0.isAdmin(token) }) else {
            return .keystoneError(403, "Forbidden", "You are not authorized to perform the requested action: identity:\(parts[1]).")
        }
        return admin(request, Array(parts.dropFirst()))
    }

    private func authenticate(_ request: DemoRequest) -> DemoResponse {
        let identity = (request.json["auth"] as? [String: Any])?["identity"] as? [String: Any]
        let user = (identity?["password"] as? [String: Any])?["user"] as? [String: Any] ?? [:]
        let scope = ((request.json["auth"] as? [String: Any])?["scope"] as? [String: Any])?["project"] as? [String: Any] ?? [:]
        func domainID(_ object: [String: Any]?) -> String? {
            guard let domain = object?["domain"] as? [String: Any] else { return nil }
            if let id = domain["id"] as? String { return id }
            return (domain["name"] as? String).map { $0.lowercased() == "default" ? "default" : $0 }
        }
        return state.locked { state -> DemoResponse in
            let found = state.users.values.first { candidate in
                if let id = user["id"] as? String { return candidate.id == id }
                return candidate.name == user["name"] as? String && candidate.domainID == domainID(user)
            }
            guard let found, found.password == user["password"] as? String else {
                return .keystoneError(401, "Unauthorized", "The request you have made requires authentication.")
            }
            let project = state.projects.values.first { candidate in
                if let id = scope["id"] as? String { return candidate.id == id }
                return candidate.name == scope["name"] as? String && candidate.domainID == domainID(scope)
            }
            guard let project, !state.roles(user: found.id, project: project.id).isEmpty else {
                return .keystoneError(401, "Unauthorized", "The request you have made requires authentication.")
            }
            let (id, token) = state.issueToken(user: found.id, project: project.id)
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let body: [String: Any] = [
                "token": [
                    "methods": ["password"], "expires_at": formatter.string(from: token.expires), "issued_at": formatter.string(from: Date()),
                    "user": [
                        "id": found.id, "name": found.name,
                        "domain": ["id": found.domainID, "name": found.domainID == "default" ? "Default" : found.domainID],
                        "password_expires_at": NSNull(),
                    ],
                    "project": [
                        "id": project.id, "name": project.name,
                        "domain": ["id": project.domainID, "name": project.domainID == "default" ? "Default" : project.domainID],
                    ],
                    "roles": state.roles(user: found.id, project: project.id).map { ["id": $0.id, "name": $0.name] },
                    "catalog": catalog(state, project: project.id), "is_domain": false,
                ]
            ]
            return .json(201, body, headers: [("X-Subject-Token", id), ("Vary", "X-Auth-Token")])
        }
    }

    private func catalog(_ state: DemoState, project: String) -> [[String: Any]] {
        let names = ["identity": "keystone", "compute": "nova", "image": "glance", "network": "neutron", "volumev3": "cinderv3"]
        return state.endpoints.keys.sorted().map { type in
            [
                "type": type, "name": names[type] ?? type, "id": DemoState.id(),
                "endpoints": (state.endpoints[type] ?? []).map { endpoint in
                    [
                        "id": endpoint.id, "interface": endpoint.interface, "region": region, "region_id": region,
                        "url": endpoint.url.replacingOccurrences(of: "%(project_id)s", with: project),
                    ]
                },
            ]
        }
    }
}
