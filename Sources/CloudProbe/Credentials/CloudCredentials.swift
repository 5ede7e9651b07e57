import AtmoModel
import Foundation

/// How to authenticate to a cloud, from an openrc, clouds.yaml or the environment. The secret stays masked.
public struct CloudCredentials: Sendable, Equatable {
    /// The kind of authentication.
    public enum Method: Sendable, Equatable {
        case password
        case applicationCredential
    }

    public var source: String
    public var authURL: String
    public var method: Method
    public var username: String?
    public var userID: String?
    public var userDomainName: String?
    public var userDomainID: String?
    public var projectName: String?
    public var projectID: String?
    public var projectDomainName: String?
    public var projectDomainID: String?
    public var applicationCredentialID: String?
    public var applicationCredentialName: String?
    /// The password or application credential secret; nil when it must be asked for.
    public var secret: SecretValue?
    public var regionName: String?
    /// public, internal or admin.
    public var interface: String
    public var caCert: String?
    public var insecure: Bool
    /// Things the operator should know about these credentials.
    public var warnings: [String]

    /// Builds credentials from OS_* variables (an openrc's or the environment's).
    public static func from(variables: [String: String], source: String, secretMustBeAsked: Bool = false) throws -> CloudCredentials {
        func value(_ name: String) -> String? { variables[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let authURL = value("OS_AUTH_URL") else {
            throw LocatedProblem(
                path: source, line: nil, key: "OS_AUTH_URL", problem: "no auth URL is set",
                remedy: "Set OS_AUTH_URL to Keystone's public endpoint, such as https://cloud.example.org:5000/v3.")
        }
        let authType = value("OS_AUTH_TYPE")?.lowercased() ?? "password"
        let method: Method = authType.contains("applicationcredential") ? .applicationCredential : .password
        var credentials = CloudCredentials(
            source: source, authURL: authURL, method: method,
            username: value("OS_USERNAME"), userID: value("OS_USER_ID"),
            userDomainName: value("OS_USER_DOMAIN_NAME") ?? value("OS_DOMAIN_NAME") ?? value("OS_DEFAULT_DOMAIN"),
            userDomainID: value("OS_USER_DOMAIN_ID"),
            projectName: value("OS_PROJECT_NAME") ?? value("OS_TENANT_NAME"), projectID: value("OS_PROJECT_ID") ?? value("OS_TENANT_ID"),
            projectDomainName: value("OS_PROJECT_DOMAIN_NAME") ?? value("OS_DOMAIN_NAME") ?? value("OS_DEFAULT_DOMAIN"),
            projectDomainID: value("OS_PROJECT_DOMAIN_ID"),
            applicationCredentialID: value("OS_APPLICATION_CREDENTIAL_ID"), applicationCredentialName: value("OS_APPLICATION_CREDENTIAL_NAME"),
            secret: nil, regionName: value("OS_REGION_NAME"),
            interface: normalizedInterface(value("OS_INTERFACE") ?? value("OS_ENDPOINT_TYPE") ?? "public"),
            caCert: value("OS_CACERT"),
            insecure: ["true", "1", "yes"].contains(value("OS_INSECURE")?.lowercased() ?? "")
                || value("OS_VERIFY")?.lowercased() == "false",
            warnings: [])
        let secretName = method == .applicationCredential ? "OS_APPLICATION_CREDENTIAL_SECRET" : "OS_PASSWORD"
        if !secretMustBeAsked, let secret = value(secretName) { credentials.secret = SecretValue(secret) }
        try credentials.validate()
        return credentials
    }

    /// Checks that the credentials name a user and a scope, and notes what the operator should know.
    mutating func validate() throws {
        switch method {
        case .password:
            guard username != nil || userID != nil else {
                throw LocatedProblem(
                    path: source, line: nil, key: "OS_USERNAME", problem: "no user name or id is set",
                    remedy: "Set OS_USERNAME (and OS_USER_DOMAIN_NAME) or OS_USER_ID.")
            }
            if userID == nil && userDomainName == nil && userDomainID == nil {
                throw LocatedProblem(
                    path: source, line: nil, key: "OS_USER_DOMAIN_NAME", problem: "the user's domain is not set",
                    remedy: "Set OS_USER_DOMAIN_NAME (usually Default); Keystone v3 needs it with a user name.")
            }
            guard projectName != nil || projectID != nil else {
                throw LocatedProblem(
                    path: source, line: nil, key: "OS_PROJECT_NAME", problem: "no project is set",
                    remedy: "Set OS_PROJECT_NAME (and OS_PROJECT_DOMAIN_NAME) or OS_PROJECT_ID: the catalog needs a project scope.")
            }
        case .applicationCredential:
            guard applicationCredentialID != nil || applicationCredentialName != nil else {
                throw LocatedProblem(
                    path: source, line: nil, key: "OS_APPLICATION_CREDENTIAL_ID", problem: "no application credential is named",
                    remedy: "Set OS_APPLICATION_CREDENTIAL_ID and OS_APPLICATION_CREDENTIAL_SECRET.")
            }
        }
        if insecure {
            warnings.append(
                "\(source) turns TLS verification off (OS_INSECURE/verify: false); atmo-connect verifies anyway, and this hides certificate problems from the OpenStack client."
            )
        }
        if interface != "public" {
            warnings.append("\(source) uses the \(interface) interface; Atmosphere uses the public endpoints, which atmo-connect checks.")
        }
        if authURL.trimmingCharacters(in: CharacterSet(charactersIn: "/")).hasSuffix("/v2.0") {
            warnings.append("\(source) uses Keystone v2.0 (\(authURL)), removed in 2018; atmo-connect looks for v3 at the same host.")
        }
    }

    static func normalizedInterface(_ raw: String) -> String {
        switch raw.lowercased() {
        case "internal", "internalurl": "internal"
        case "admin", "adminurl": "admin"
        default: "public"
        }
    }
}
