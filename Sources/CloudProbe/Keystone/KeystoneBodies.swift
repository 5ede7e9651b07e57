import Foundation

/// Keystone v3's JSON bodies as the Identity API reference gives them: only the fields atmo-connect reads; a field a
/// deployment leaves out decodes as absent, never as a failed read of the whole body.
enum KeystoneBodies {
    /// `GET /v3`: the version document.
    struct VersionDocument: Decodable {
        struct Version: Decodable { var id: String? }
        var version: Version?
    }

    /// `GET /`: the versions a Keystone offers.
    struct VersionListing: Decodable {
        struct Values: Decodable { var values: [VersionDocument.Version]? }
        var versions: Values?
    }

    /// `POST /v3/auth/tokens`: the token (its id comes in X-Subject-Token).
    struct TokenDocument: Decodable {
        var token: Token
    }

    struct Named: Decodable {
        var id: String?
        var name: String?
    }

    struct Token: Decodable {
        var user: Named?
        var project: Named?
        var roles: [Named]?
        var catalog: [Service]?
        var expiresAt: String?

        enum CodingKeys: String, CodingKey {
            case user, project, roles, catalog
            case expiresAt = "expires_at"
        }
    }

    /// One service of the token's catalog.
    struct Service: Decodable {
        var type: String?
        var name: String?
        var endpoints: [Endpoint]?
    }

    /// One endpoint of a service; `region_id` since Mitaka, `region` before it.
    struct Endpoint: Decodable {
        var id: String?
        var interface: String?
        var url: String?
        var regionID: String?
        var region: String?

        enum CodingKeys: String, CodingKey {
            case id, interface, url, region
            case regionID = "region_id"
        }
    }

    /// The body of `POST /v3/auth/tokens`: a password or an application credential, scoped to a project.
    struct AuthRequest: Encodable {
        struct Domain: Encodable {
            var id: String?
            var name: String?
            init(name: String?, id: String?) { (self.id, self.name) = id.map { ($0, nil) } ?? (nil, name ?? "Default") }
        }
        struct User: Encodable {
            var id: String?
            var name: String?
            var domain: Domain?
            var password: String?
        }
        struct ApplicationCredential: Encodable {
            var id: String?
            var name: String?
            var user: User?
            var secret: String
        }
        struct Password: Encodable { var user: User }
        struct Identity: Encodable {
            var methods: [String]
            var password: Password?
            var applicationCredential: ApplicationCredential?

            enum CodingKeys: String, CodingKey {
                case methods, password
                case applicationCredential = "application_credential"
            }
        }
        struct Project: Encodable {
            var id: String?
            var name: String?
            var domain: Domain?
        }
        struct Scope: Encodable { var project: Project }
        struct Auth: Encodable {
            var identity: Identity
            var scope: Scope?
        }
        var auth: Auth
    }
}
