import AtmoModel
import Foundation

/// The account Atmosphere acts as: a project, a user in it, and the admin role granted there.
public struct AtmoadminSpec: Sendable, Equatable {
    public var domain: String
    public var project: String
    public var user: String
    public var role: String

    /// A spec, from the answers (the screens hold the guide's defaults: atmoadmin, atmoadmin, admin in the default domain).
    public init(domain: String, project: String, user: String, role: String) {
        self.domain = domain
        self.project = project
        self.user = user
        self.role = role
    }

    /// The same thing by hand, with python-openstackclient (the password is asked for, never on the command line).
    public var openstackCommands: [String] {
        [
            "openstack project create --domain \(domain) \(project)",
            "openstack user create --domain \(domain) --project \(project) --project-domain \(domain) --password-prompt \(user)",
            "openstack role add --project \(project) --project-domain \(domain) --user \(user) --user-domain \(domain) \(role)",
        ]
    }
}

/// What exists of the account now.
public struct AtmoadminSurvey: Sendable, Equatable {
    public var domainID: String
    public var projectID: String?
    public var userID: String?
    public var roleID: String
    public var granted: Bool

    /// Whether creating or granting is needed.
    public var complete: Bool { projectID != nil && userID != nil && granted }
}

/// Finds or creates the atmoadmin project, user and grant through the Keystone v3 API, with an admin session.
public struct KeystoneAdmin: Sendable {
    public let client: HTTPClient
    public let session: KeystoneSession
    /// Asked before every call: false once another run took the state over (the call is not made; `Displaced`).
    public let proceed: @Sendable () -> Bool

    /// Acts with `session`, which must hold an admin role.
    public init(client: HTTPClient, session: KeystoneSession, proceed: @escaping @Sendable () -> Bool = { true }) {
        self.client = client
        self.session = session
        self.proceed = proceed
    }

    /// What exists; a missing domain or role is an error (the wizard creates neither).
    public func survey(_ spec: AtmoadminSpec) async throws -> AtmoadminSurvey {
        let base = session.identityURL
        var domains = try await list("domains", "\(base)/domains?name=\(escaped(spec.domain))")
        if domains.isEmpty, let byID = try await object("domain", "\(base)/domains/\(escaped(spec.domain))") { domains = [byID] }
        guard let domainID = domains.first?.id else {
            throw KeystoneError.unexpected(url: "\(base)/domains", status: 404, message: "no domain named or with id \(spec.domain)")
        }
        guard let roleID = try await list("roles", "\(base)/roles?name=\(escaped(spec.role))").first?.id else {
            throw KeystoneError.unexpected(
                url: "\(base)/roles", status: 404,
                message: "no role named \(spec.role) (role names are exact: admin, not Admin, on most clouds)")
        }
        let projectID = try await list("projects", "\(base)/projects?name=\(escaped(spec.project))&domain_id=\(escaped(domainID))").first?.id
        let userID = try await list("users", "\(base)/users?name=\(escaped(spec.user))&domain_id=\(escaped(domainID))").first?.id
        var granted = false
        if let projectID, let userID {
            let response = try await send("HEAD", "\(base)/projects/\(projectID)/users/\(userID)/roles/\(roleID)")
            granted = response.status == 204
        }
        return AtmoadminSurvey(domainID: domainID, projectID: projectID, userID: userID, roleID: roleID, granted: granted)
    }

    /// Creates what is missing (and sets the password on an existing user when asked). `created` hears of each new
    /// thing the moment Keystone returns its id, so a crash cannot leave something nobody knows about.
    public func ensure(
        _ spec: AtmoadminSpec, password: SecretValue, resetPassword: Bool,
        created: (_ kind: String, _ id: String) throws -> Void
    ) async throws -> [Finding] {
        let base = session.identityURL
        var survey = try await survey(spec)
        var findings: [Finding] = []
        func note(_ target: String, _ observed: String) {
            findings.append(Finding(checkID: "keystone.atmoadmin", target: target, severity: .ok, observed: observed))
        }
        if let id = survey.projectID {
            note("project \(spec.project)", "exists (id \(id))")
        } else {
            let body = [
                "project": KeystoneBodies.Creation(
                    name: spec.project, domainID: survey.domainID, description: "Atmosphere's admin project (atmo-connect)")
            ]
            let id = try await create("project", "\(base)/projects", body)
            try created("project", id)
            survey.projectID = id
            note("project \(spec.project)", "created (id \(id))")
        }
        if let id = survey.userID {
            if resetPassword {
                _ = try await expect([200], "PATCH", "\(base)/users/\(id)", ["user": KeystoneBodies.Creation(password: password.reveal())])
                note("user \(spec.user)", "exists (id \(id)); password set")
                findings.append(Self.passwordShownOnce)
            } else {
                note("user \(spec.user)", "exists (id \(id)); its password is left as it is")
            }
        } else {
            let body = [
                "user": KeystoneBodies.Creation(
                    name: spec.user, domainID: survey.domainID, password: password.reveal(), defaultProjectID: survey.projectID ?? "")
            ]
            let id = try await create("user", "\(base)/users", body)
            try created("user", id)
            survey.userID = id
            note("user \(spec.user)", "created (id \(id))")
            findings.append(Self.passwordShownOnce)
        }
        if survey.granted {
            note("role \(spec.role)", "already granted on \(spec.project)")
        } else if let projectID = survey.projectID, let userID = survey.userID {
            _ = try await expect(
                [204], "PUT", "\(base)/projects/\(projectID)/users/\(userID)/roles/\(survey.roleID)", nil as [String: KeystoneBodies.Creation]?)
            try created("grant", "\(projectID)/\(userID)/\(survey.roleID)")
            note("role \(spec.role)", "granted on \(spec.project)")
        }
        return findings
    }

    /// The finding that tells a front end to show the password once (it is in no finding's text).
    public static let passwordShownOnce = Finding(
        checkID: "keystone.atmoadmin", target: "atmoadmin.password", severity: .info,
        observed: "set on the user: shown once now, stored nowhere")

    private func escaped(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+?/"))) ?? value
    }

    private func send(
        _ method: String, _ url: String, _ body: (some Encodable)? = nil as [String: KeystoneBodies.Creation]?
    ) async throws -> HTTPResponse {
        let data = try body.map { try JSONEncoder().encode($0) }
        guard proceed() else { throw Displaced() }
        do {
            return try await client.send(HTTPRequest(method: method, url: url, headers: session.authHeaders, body: data))
        } catch let failure as HTTPFailure {
            throw KeystoneError.transport(url: url, failure)
        }
    }

    private func expect(_ statuses: Set<Int>, _ method: String, _ url: String, _ body: (some Encodable)?) async throws -> HTTPResponse {
        let response = try await send(method, url, body)
        guard statuses.contains(response.status) else {
            if response.status == 403 {
                throw KeystoneError.unexpected(url: url, status: 403, message: "\(response.errorMessage) (the credentials need the admin role)")
            }
            throw KeystoneError.unexpected(url: url, status: response.status, message: response.errorMessage)
        }
        return response
    }

    /// The body's `key`; an answer that does not hold it as Keystone sends it is a failure, never "nothing there".
    private func decode<Value: Decodable>(_ type: Value.Type, _ key: String, from response: HTTPResponse, url: String) throws -> Value {
        let decoder = JSONDecoder()
        if let info = KeystoneBodies.keyInfo { decoder.userInfo[info] = key }
        do {
            return try decoder.decode(KeystoneBodies.Keyed<Value>.self, from: response.body).value
        } catch {
            throw KeystoneError.unexpected(
                url: url, status: response.status,
                message: "the answer has no readable \(key) (\(String(decoding: response.body.prefix(120), as: UTF8.self)))")
        }
    }

    private func list(_ key: String, _ url: String) async throws -> [KeystoneBodies.Entry] {
        try decode([KeystoneBodies.Entry].self, key, from: try await expect([200], "GET", url, nil as [String: KeystoneBodies.Creation]?), url: url)
    }

    private func object(_ key: String, _ url: String) async throws -> KeystoneBodies.Entry? {
        let response = try await send("GET", url)
        guard response.status == 200 else { return nil }
        return try decode(KeystoneBodies.Entry.self, key, from: response, url: url)
    }

    private func create(_ key: String, _ url: String, _ body: some Encodable) async throws -> String {
        try decode(KeystoneBodies.Entry.self, key, from: try await expect([201], "POST", url, body), url: url).id
    }
}
