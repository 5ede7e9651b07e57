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

/// The admin API's bodies (projects, users, roles): what the atmoadmin step sends and reads.
extension KeystoneBodies {
    /// What the admin API creates or changes: a project, a user, a password (only the fields given are sent).
    struct Creation: Encodable {
        var name: String?
        var domainID: String?
        var password: String?
        var defaultProjectID: String?
        var description: String?
        var enabled: Bool?

        init(name: String? = nil, domainID: String? = nil, password: String? = nil, defaultProjectID: String? = nil, description: String? = nil) {
            (self.name, self.domainID, self.password, self.defaultProjectID, self.description) = (
                name, domainID, password, defaultProjectID, description
            )
            enabled = name == nil ? nil : true
        }

        enum CodingKeys: String, CodingKey {
            case name, password, description, enabled
            case domainID = "domain_id"
            case defaultProjectID = "default_project_id"
        }
    }

    /// A thing Keystone lists or returns: only its id is read.
    struct Entry: Decodable { var id: String }

    /// Where the decoder is told which top-level key to read.
    static let keyInfo = CodingUserInfoKey(rawValue: "atmo.keystone.key")

    /// The answer's one top-level key (`projects`, `user`, ...), whatever else the body holds (`links`).
    struct Keyed<Value: Decodable>: Decodable {
        var value: Value

        init(from decoder: Decoder) throws {
            let key = KeystoneBodies.keyInfo.flatMap { decoder.userInfo[$0] as? String } ?? ""
            value = try decoder.container(keyedBy: NamedKey.self).decode(Value.self, forKey: NamedKey(key))
        }
    }
}
