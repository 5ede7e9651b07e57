import AtmoModel
import Foundation

/// Everything add_new_provider.py needs, from the session's answers and what the cloud reported.
public struct ProviderSettings: Sendable {
    public var name: String
    public var isPublic: Bool
    public var adminUsername: String
    public var adminTenant: String
    public var adminPassword: SecretValue
    public var authURL: String
    public var adminURL: String
    public var region: String
    public var authVersion: String
    public var publicRouters: [String]
    public var networkName: String
    public var topology: String
    public var dnsNameservers: [String]
    public var adminRoleName: String
    public var userRoleName: String
    public var domain: String
    public var secret: SecretValue
    public var hostnameFormat: String

    /// Creates settings; URLs are reduced to scheme://host:port, as Atmosphere wants them.
    public init(
        name: String, isPublic: Bool, adminUsername: String, adminTenant: String, adminPassword: SecretValue,
        authURL: String, adminURL: String, region: String, authVersion: String = "3.x_password", publicRouters: [String],
        networkName: String, topology: String, dnsNameservers: [String], adminRoleName: String, userRoleName: String,
        domain: String, secret: SecretValue, hostnameFormat: String
    ) {
        self.name = name
        self.isPublic = isPublic
        self.adminUsername = adminUsername
        self.adminTenant = adminTenant
        self.adminPassword = adminPassword
        self.authURL = Self.root(authURL)
        self.adminURL = Self.root(adminURL)
        self.region = region
        self.authVersion = authVersion
        self.publicRouters = publicRouters
        self.networkName = networkName
        self.topology = topology
        self.dnsNameservers = dnsNameservers
        self.adminRoleName = adminRoleName
        self.userRoleName = userRoleName
        self.domain = domain
        self.secret = secret
        self.hostnameFormat = hostnameFormat
    }

    /// The JSON for `add_new_provider.py --from-json`: every field present, so only the review prompt remains.
    public func json() -> String { json(password: adminPassword.reveal(), secret: secret.reveal()) }

    /// The JSON with its secrets masked, for previews and reports: masked as values, before encoding (a secret with a
    /// quote or backslash is escaped in the JSON text, where a search for it would miss).
    public func redactedJSON() -> String { json(password: Redactor.mask, secret: Redactor.mask) }

    static func root(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = ""
        components.query = nil
        return components.string ?? url
    }
}
