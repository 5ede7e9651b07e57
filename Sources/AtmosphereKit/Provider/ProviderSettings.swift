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

    /// Atmosphere's DEFAULT_RULES (reference 1.8) without the CyVerse-only port 4200 entries: given so the script does not ask.
    public static var defaultSecurityRules: [[Any]] {
        [
            ["ICMP", -1, -1], ["UDP", 20, 20], ["TCP", 20, 21], ["TCP", 22, 23], ["UDP", 22, 23], ["TCP", 80, 80], ["TCP", 115, 115],
            ["TCP", 389, 389], ["UDP", 389, 389], ["TCP", 443, 443], ["TCP", 636, 636], ["UDP", 636, 636],
            ["TCP", 1024, 4199], ["UDP", 1024, 4199], ["TCP", 4201, 65535], ["UDP", 4201, 65535],
        ]
    }

    /// The JSON for `add_new_provider.py --from-json`: every field present, so only the review prompt remains.
    public func json() -> String { json(password: adminPassword.reveal(), secret: secret.reveal()) }

    /// The JSON with its secrets masked, for previews and reports: masked as values, before encoding (a secret with a
    /// quote or backslash is escaped in the JSON text, where a search for it would miss).
    public func redactedJSON() -> String { json(password: Redactor.mask, secret: Redactor.mask) }

    private func json(password: String, secret: String) -> String {
        let object: [String: Any] = [
            "provider": ["name": name, "public": isPublic],
            "admin": ["username": adminUsername, "password": password, "tenant": adminTenant],
            "credential": [
                "admin_url": adminURL, "auth_url": authURL, "region_name": region, "ex_force_auth_version": authVersion,
                "public_routers": publicRouters.joined(separator: ","), "network_name": networkName,
            ],
            "cloud_config": [
                "network": ["dns_nameservers": dnsNameservers, "topology": topology, "default_security_rules": Self.defaultSecurityRules],
                "user": ["admin_role_name": adminRoleName, "user_role_name": userRoleName, "domain": domain, "secret": secret],
                "deploy": ["hostname_format": hostnameFormat],
            ],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func root(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = ""
        components.query = nil
        return components.string ?? url
    }
}
