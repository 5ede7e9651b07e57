import AtmoModel
import Foundation

/// A provider as Atmosphere's database holds it: what a same-name provider must match before it is adopted, and who
/// has an identity on it. No secret is read.
public struct AtmosphereProvider: Sendable, Equatable, Decodable {
    public var id: Int
    public var name: String
    public var active: Bool?
    /// The provider's credentials without secrets: auth_url, admin_url, region_name, ex_force_auth_version and the network keys.
    public var credentials: [String: String?]
    /// The admin identity's user name and project (the AccountProvider), when there is one.
    public var admin: String?
    public var adminTenant: String?
    /// The users (lower-cased, as Atmosphere stores them) with an identity on this provider.
    public var users: [String]

    /// Creates a provider record (tests and the remote probe's parser).
    public init(id: Int, name: String, credentials: [String: String?] = [:], admin: String? = nil, adminTenant: String? = nil, users: [String] = []) {
        self.id = id
        self.name = name
        self.credentials = credentials
        self.admin = admin
        self.adminTenant = adminTenant
        self.users = users
    }

    /// A credential's value, nil when absent or null.
    public func credential(_ key: String) -> String? { credentials[key] ?? nil }

    /// Where this provider differs from what the wizard would create (auth URL, admin URL, region, admin identity), one
    /// line each; empty when adopting it is safe.
    public func differences(from settings: ProviderSettings) -> [String] {
        var differences: [String] = []
        func same(_ stored: String?, _ wanted: String) -> Bool {
            guard let stored else { return false }
            return Self.endpoint(stored) == Self.endpoint(wanted)
        }
        if !same(credential("auth_url"), settings.authURL) {
            differences.append("auth_url is \(credential("auth_url") ?? "not set"), this cloud's is \(settings.authURL)")
        }
        if !same(credential("admin_url"), settings.adminURL) {
            differences.append("admin_url is \(credential("admin_url") ?? "not set"), this cloud's is \(settings.adminURL)")
        }
        if credential("region_name") != settings.region {
            differences.append("region_name is \(credential("region_name") ?? "not set"), this cloud's is \(settings.region)")
        }
        if admin == nil {
            differences.append("it has no admin identity (AccountProvider): Atmosphere cannot create accounts on it")
        } else if admin?.lowercased() != settings.adminUsername.lowercased() {
            differences.append("its admin identity is \(admin ?? ""), not \(settings.adminUsername)")
        }
        return differences
    }

    /// scheme://host:port of a URL, lower-cased, with the default port made explicit: Atmosphere appends /v3/ or
    /// /v2.0/tokens itself, so the path says nothing about which cloud it is.
    static func endpoint(_ url: String) -> String {
        guard let components = URLComponents(string: url.trimmingCharacters(in: .whitespaces)), let scheme = components.scheme?.lowercased(),
            let host = components.host?.lowercased()
        else { return url }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        return "\(scheme)://\(host):\(port)"
    }
}

/// Reads Atmosphere's providers and identities from its database (through `manage.py shell`); failing to read them is an
/// error with its cause, never "no providers".
public enum AtmosphereProviders {
    /// The Python that reads them; it prints one result line and changes nothing.
    public static let snippet = """
        import json
        from core.models import Identity, Provider
        providers = []
        for provider in Provider.objects.all().order_by('id'):
            credentials = {}
            for credential in provider.providercredential_set.all():
                if credential.key in ('auth_url', 'admin_url', 'region_name', 'ex_force_auth_version', 'network_name', 'public_routers', 'router_name'):
                    credentials[credential.key] = credential.value
            admin = None
            admin_tenant = None
            account = provider.accountprovider_set.first()
            if account is not None:
                for credential in account.identity.credential_set.all():
                    if credential.key == 'key':
                        admin = credential.value
                    elif credential.key == 'ex_tenant_name':
                        admin_tenant = credential.value
            users = []
            for identity in Identity.objects.filter(provider=provider):
                users.append(identity.created_by.username)
            providers.append({'id': provider.id, 'name': provider.location, 'active': provider.active, 'credentials': credentials,
                              'admin': admin, 'admin_tenant': admin_tenant, 'users': sorted(users)})
        print('\(DjangoShell.marker)' + json.dumps({'providers': providers}))

        """

    /// The snippet's result line.
    public struct Listing: Decodable { public var providers: [AtmosphereProvider] }

    /// The providers, or an error saying why they could not be read.
    public static func list(install: AtmosphereInstall, environment: [String: String] = [:]) throws -> [AtmosphereProvider] {
        let result = try DjangoShell.run(install: install, code: snippet, environment: environment, timeout: 120)
        return try parse(result)
    }

    /// The providers a shell run printed, or why there are none to trust.
    public static func parse(_ result: DjangoShell.Result) throws -> [AtmosphereProvider] {
        guard let listing = result.decode(Listing.self) else {
            throw AtmosphereReadError.unreadable(
                what: "the providers", cause: result.tail.isEmpty ? "no output (status \(result.status))" : result.tail)
        }
        return listing.providers
    }
}

/// Reading what exists in Atmosphere failed: the wizard stops rather than take it for "nothing there".
public enum AtmosphereReadError: Problem, Equatable {
    case unreadable(what: String, cause: String)

    /// What failed and what to do.
    public var message: String {
        switch self {
        case let .unreadable(what, cause):
            "could not read \(what) from Atmosphere's database (manage.py shell): \(cause)"
        }
    }

    /// How to go on.
    public var remedy: String {
        "Nothing was changed. Run `./manage.py shell` in the checkout by hand to see the whole error (a broken import or an "
            + "unreachable database are the usual causes), fix it, then run this step again."
    }
}
