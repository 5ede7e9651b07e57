import AtmoModel
import Foundation

/// An authenticated, project-scoped Keystone session. The token is a secret: masked, memory only.
public struct KeystoneSession: Sendable {
    public var token: SecretValue
    public var identityURL: String
    public var userID: String
    public var userName: String
    public var projectID: String
    public var projectName: String
    public var roles: [String]
    public var catalog: ServiceCatalog
    public var expiresAt: String?

    /// Headers that carry the token.
    public var authHeaders: [(name: String, value: String)] { [("X-Auth-Token", token.reveal()), ("Accept", "application/json")] }
}

/// Why Keystone could not be used.
public enum KeystoneError: Problem, Equatable {
    case transport(url: String, HTTPFailure)
    case v2Only(url: String)
    case noVersion3(url: String, status: Int)
    case plainHTTPNotConfirmed(url: String)
    case secretMissing(source: String)
    case unauthorized(url: String, message: String)
    case noCatalog
    case unexpected(url: String, status: Int, message: String)

    /// What failed and where.
    public var message: String {
        switch self {
        case let .transport(url, failure): "Keystone at \(url): \(failure.message)"
        case let .v2Only(url): "Keystone at \(url) offers only the v2.0 API, removed from OpenStack in 2018"
        case let .noVersion3(url, status): "\(url) did not answer as Keystone v3 (HTTP \(status))"
        case let .plainHTTPNotConfirmed(url): "\(url) is plain http: the password would cross the network in clear"
        case let .secretMissing(source): "no password (or application credential secret) for the credentials in \(source)"
        case let .unauthorized(url, message): "Keystone at \(url) refused the credentials: \(message)"
        case .noCatalog: "the token has no service catalog (it is not scoped to a project)"
        case let .unexpected(url, status, message): "Keystone at \(url) answered HTTP \(status): \(message)"
        }
    }

    /// Whether Keystone refused the credentials themselves (HTTP 401).
    public var isUnauthorized: Bool {
        if case .unauthorized = self { return true }
        return false
    }

    /// What to do next.
    public var remedy: String {
        switch self {
        case let .transport(_, failure): failure.remedy
        case .v2Only: "Upgrade Keystone to v3, or point OS_AUTH_URL at a v3 endpoint."
        case .noVersion3: "Check OS_AUTH_URL: it should be Keystone's public endpoint, such as https://cloud.example.org:5000/v3."
        case .plainHTTPNotConfirmed: "Serve Keystone over https; or, for a test cloud only, allow exactly this URL (check: --allow-http URL)."
        case .secretMissing: "Set OS_PASSWORD (or the secret) in the environment, add it to secure.yaml, or type it when asked."
        case .unauthorized: "Check the user, password, domain and project: Keystone does not say which is wrong."
        case .noCatalog: "Set OS_PROJECT_NAME and OS_PROJECT_DOMAIN_NAME (or OS_PROJECT_ID)."
        case .unexpected: "Look at Keystone's log for this request."
        }
    }
}

/// Talks to Keystone v3: discovery, authentication, admin reads.
public struct KeystoneClient: Sendable {
    public let client: HTTPClient
    /// http:// URLs the operator explicitly allowed to carry credentials.
    public let allowedPlainHTTP: Set<String>

    /// A client; credentials are never sent over plain http unless the exact URL is allowed.
    public init(client: HTTPClient, allowedPlainHTTP: Set<String> = []) {
        self.client = client
        self.allowedPlainHTTP = allowedPlainHTTP
    }

    /// The v3 root for an auth URL (with or without /v3), confirmed by its version document. v2.0-only clouds are refused.
    public func discover(authURL: String) async throws -> String {
        var base = Self.withoutTrailingSlashes(authURL)
        if base.hasSuffix("/v2.0") { base.removeLast(5) }
        let v3 = base.hasSuffix("/v3") ? base : base + "/v3"
        let root = String(v3.dropLast(3))
        let response: HTTPResponse
        do {
            response = try await client.send(HTTPRequest(url: v3, headers: [("Accept", "application/json")]))
        } catch let failure as HTTPFailure {
            throw KeystoneError.transport(url: v3, failure)
        }
        if response.status == 200, let document = try? JSONDecoder().decode(KeystoneBodies.VersionDocument.self, from: response.body),
            document.version?.id?.hasPrefix("v3") == true
        {
            return v3
        }
        // No v3 here: ask the root which versions exist, to tell v2.0-only apart from a wrong URL.
        if let listing = try? await client.send(HTTPRequest(url: root + "/", headers: [("Accept", "application/json")])),
            let versions = (try? JSONDecoder().decode(KeystoneBodies.VersionListing.self, from: listing.body))?.versions?.values
        {
            let ids = versions.compactMap(\.id)
            if !ids.contains(where: { $0.hasPrefix("v3") }) && ids.contains(where: { $0.hasPrefix("v2") }) {
                throw KeystoneError.v2Only(url: root)
            }
        }
        throw KeystoneError.noVersion3(url: v3, status: response.status)
    }

    /// Authenticates and scopes to the credentials' project (an application credential carries its own scope).
    public func authenticate(_ credentials: CloudCredentials) async throws -> KeystoneSession {
        // An auth URL that names v3 is used as it is: asking it for its version document first would put a round trip
        // before every run. Only a URL without /v3, or one that then has no token endpoint, is asked (`discover`).
        let trimmed = Self.withoutTrailingSlashes(credentials.authURL)
        let namesV3 = trimmed.hasSuffix("/v3")
        let identity = namesV3 ? trimmed : try await discover(authURL: credentials.authURL)
        let policy = PlainHTTPPolicy(allowed: Array(allowedPlainHTTP) + client.configuration.plainHTTP.allowed)
        if !policy.mayCarryCredentials(identity + "/auth/tokens") {
            throw KeystoneError.plainHTTPNotConfirmed(url: identity)
        }
        guard let secret = credentials.secret else { throw KeystoneError.secretMissing(source: credentials.source) }
        let body = try JSONEncoder().encode(Self.authBody(credentials, secret: secret))
        let url = identity + "/auth/tokens"
        let response: HTTPResponse
        do {
            var request = HTTPRequest(method: "POST", url: url, headers: [("Accept", "application/json")], body: body)
            request.sendsSecret = true
            response = try await client.send(request)
        } catch let failure as HTTPFailure {
            throw KeystoneError.transport(url: namesV3 ? identity : url, failure)
        }
        switch response.status {
        case 201: break
        case 401: throw KeystoneError.unauthorized(url: identity, message: response.errorMessage)
        default:
            // No token endpoint where the URL said v3 would be: the version document tells a v2.0-only Keystone or a
            // wrong URL apart, as when it is asked first.
            if namesV3 { _ = try await discover(authURL: credentials.authURL) }
            throw KeystoneError.unexpected(url: url, status: response.status, message: response.errorMessage)
        }
        guard let tokenID = response.header("X-Subject-Token"),
            let token = (try? JSONDecoder().decode(KeystoneBodies.TokenDocument.self, from: response.body))?.token
        else {
            throw KeystoneError.unexpected(url: url, status: 201, message: "no token in the answer")
        }
        guard let catalog = token.catalog, let project = token.project else { throw KeystoneError.noCatalog }
        return KeystoneSession(
            token: SecretValue(tokenID), identityURL: identity, userID: token.user?.id ?? "",
            userName: token.user?.name ?? "", projectID: project.id ?? "", projectName: project.name ?? "",
            roles: (token.roles ?? []).compactMap(\.name), catalog: ServiceCatalog(services: catalog),
            expiresAt: token.expiresAt)
    }

    static func withoutTrailingSlashes(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    static func authBody(_ credentials: CloudCredentials, secret: SecretValue) -> KeystoneBodies.AuthRequest {
        typealias Body = KeystoneBodies.AuthRequest
        switch credentials.method {
        case .applicationCredential:
            var credential = Body.ApplicationCredential(secret: secret.reveal())
            if let id = credentials.applicationCredentialID {
                credential.id = id
            } else {
                credential.name = credentials.applicationCredentialName ?? ""
                credential.user =
                    credentials.userID.map { Body.User(id: $0) }
                    ?? Body.User(
                        name: credentials.username ?? "", domain: Body.Domain(name: credentials.userDomainName, id: credentials.userDomainID))
            }
            return Body(auth: Body.Auth(identity: Body.Identity(methods: ["application_credential"], applicationCredential: credential)))
        case .password:
            var user = Body.User(password: secret.reveal())
            if let id = credentials.userID {
                user.id = id
            } else {
                user.name = credentials.username ?? ""
                user.domain = Body.Domain(name: credentials.userDomainName, id: credentials.userDomainID)
            }
            let project =
                credentials.projectID.map { Body.Project(id: $0) }
                ?? Body.Project(
                    name: credentials.projectName ?? "", domain: Body.Domain(name: credentials.projectDomainName, id: credentials.projectDomainID))
            return Body(
                auth: Body.Auth(
                    identity: Body.Identity(methods: ["password"], password: Body.Password(user: user)), scope: Body.Scope(project: project)))
        }
    }
}
