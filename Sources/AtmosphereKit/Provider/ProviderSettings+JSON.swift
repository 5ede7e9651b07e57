import AtmoModel
import Foundation

extension ProviderSettings {
    /// One of Atmosphere's default security rules, `["TCP", 22, 23]` in its JSON: protocol, first and last port.
    public struct SecurityRule: Encodable, Sendable, Equatable {
        public var ipProtocol: String
        public var fromPort: Int
        public var toPort: Int

        /// Creates a rule.
        public init(ipProtocol: String, fromPort: Int, toPort: Int) {
            self.ipProtocol = ipProtocol
            self.fromPort = fromPort
            self.toPort = toPort
        }

        /// As Atmosphere writes it: a three-item list.
        public func encode(to encoder: any Encoder) throws {
            var list = encoder.unkeyedContainer()
            try list.encode(ipProtocol)
            try list.encode(fromPort)
            try list.encode(toPort)
        }
    }

    /// Atmosphere's DEFAULT_RULES (reference 1.8) without the CyVerse-only port 4200 entries: given so the script does not ask.
    public static var defaultSecurityRules: [SecurityRule] {
        [
            ("ICMP", -1, -1), ("UDP", 20, 20), ("TCP", 20, 21), ("TCP", 22, 23), ("UDP", 22, 23), ("TCP", 80, 80), ("TCP", 115, 115),
            ("TCP", 389, 389), ("UDP", 389, 389), ("TCP", 443, 443), ("TCP", 636, 636), ("UDP", 636, 636),
            ("TCP", 1024, 4199), ("UDP", 1024, 4199), ("TCP", 4201, 65535), ("UDP", 4201, 65535),
        ].map { SecurityRule(ipProtocol: $0.0, fromPort: $0.1, toPort: $0.2) }
    }

    /// The file add_new_provider.py reads, as Codable values: JSONEncoder sorts its keys by itself, where
    /// JSONSerialization's sort goes through ICU's collation data; JSONEncoder's sort compares code points, on every
    /// machine alike.
    private struct Document: Encodable {
        struct Provider: Encodable {
            var name: String
            var `public`: Bool
        }
        struct Admin: Encodable {
            var username, password, tenant: String
        }
        struct Credential: Encodable {
            var adminURL, authURL, regionName, authVersion, publicRouters, networkName: String
            enum CodingKeys: String, CodingKey {
                case adminURL = "admin_url", authURL = "auth_url", regionName = "region_name"
                case authVersion = "ex_force_auth_version", publicRouters = "public_routers", networkName = "network_name"
            }
        }
        struct CloudConfig: Encodable {
            struct Network: Encodable {
                var dnsNameservers: [String]
                var topology: String
                var defaultSecurityRules: [SecurityRule]
                enum CodingKeys: String, CodingKey {
                    case dnsNameservers = "dns_nameservers", topology, defaultSecurityRules = "default_security_rules"
                }
            }
            struct User: Encodable {
                var adminRoleName, userRoleName, domain, secret: String
                enum CodingKeys: String, CodingKey {
                    case adminRoleName = "admin_role_name", userRoleName = "user_role_name", domain, secret
                }
            }
            struct Deploy: Encodable {
                var hostnameFormat: String
                enum CodingKeys: String, CodingKey { case hostnameFormat = "hostname_format" }
            }
            var network: Network
            var user: User
            var deploy: Deploy
        }
        var provider: Provider
        var admin: Admin
        var credential: Credential
        var cloudConfig: CloudConfig
        enum CodingKeys: String, CodingKey { case provider, admin, credential, cloudConfig = "cloud_config" }
    }

    func json(password: String, secret: String) -> String {
        let document = Document(
            provider: .init(name: name, public: isPublic),
            admin: .init(username: adminUsername, password: password, tenant: adminTenant),
            credential: .init(
                adminURL: adminURL, authURL: authURL, regionName: region, authVersion: authVersion,
                publicRouters: publicRouters.joined(separator: ","), networkName: networkName),
            cloudConfig: .init(
                network: .init(dnsNameservers: dnsNameservers, topology: topology, defaultSecurityRules: Self.defaultSecurityRules),
                user: .init(adminRoleName: adminRoleName, userRoleName: userRoleName, domain: domain, secret: secret),
                deploy: .init(hostnameFormat: hostnameFormat)))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Strings, booleans and integers always encode; a failure here would be a bug in these types, not in the answers.
        let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        // Readable at 80 columns: each security rule on a line of its own, as the preview shows it and the file holds it.
        return (try? ReadableJSON.render(data)) ?? String(decoding: data, as: UTF8.self) + "\n"
    }
}
