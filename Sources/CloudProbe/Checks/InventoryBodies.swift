import Foundation

/// The list pages and documents the inventory checks read, as the services' API references give them: only the
/// fields read. An answer without its list is a failed read, never an empty list.
enum InventoryBodies {
    /// Which key holds a page's items (images, flavors, networks, ...): told to the decoder through its user info.
    static let listKey = CodingUserInfoKey(rawValue: "atmo.inventory.list-key")

    /// One item of any list: an image, flavor, network, router, role or volume type.
    struct Item: Decodable {
        struct Gateway: Decodable {
            var networkID: String?
            enum CodingKeys: String, CodingKey { case networkID = "network_id" }
        }
        var id: String?
        var name: String?
        var external: Bool?
        var gateway: Gateway?

        enum CodingKeys: String, CodingKey {
            case id, name
            case external = "router:external"
            case gateway = "external_gateway_info"
        }
    }

    /// One page: its items, and the next page as Glance (a relative `next`) or Nova and Neutron (`KEY_links`) give it.
    struct Page: Decodable {
        struct Link: Decodable {
            var rel: String?
            var href: String?
        }
        var items: [Item]
        var next: String?
        var links: [Link]?

        init(from decoder: Decoder) throws {
            let key = listKey.flatMap { decoder.userInfo[$0] as? String } ?? ""
            let container = try decoder.container(keyedBy: NamedKey.self)
            items = try container.decode([Item].self, forKey: NamedKey(key))
            next = try? container.decodeIfPresent(String.self, forKey: NamedKey("next"))
            links = try? container.decodeIfPresent([Link].self, forKey: NamedKey(key + "_links"))
        }
    }

    /// `GET /v2.0/subnets`: their allocation pools.
    struct Subnets: Decodable {
        struct Subnet: Decodable {
            struct Pool: Decodable {
                var start: String
                var end: String
            }
            var allocationPools: [Pool]?
            enum CodingKeys: String, CodingKey { case allocationPools = "allocation_pools" }
        }
        var subnets: [Subnet]
    }

    /// `GET /v2.0/network-ip-availabilities/{id}`.
    struct Availability: Decodable {
        struct Counts: Decodable {
            var totalIPs: Int
            var usedIPs: Int
            enum CodingKeys: String, CodingKey {
                case totalIPs = "total_ips"
                case usedIPs = "used_ips"
            }
        }
        var availability: Counts
        enum CodingKeys: String, CodingKey { case availability = "network_ip_availability" }
    }

    /// `GET /v2.0/ports`: only how many.
    struct Ports: Decodable {
        struct Port: Decodable {}
        var ports: [Port]
    }
}
