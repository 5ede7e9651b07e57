import Foundation

/// The Nova, Neutron, Cinder and Glance bodies the smoke test sends and reads, as their API references give them:
/// only the fields it uses. An answer without them is a failed call, never an empty one.
public enum OpenStackBodies {
    /// A server, network, port, floating IP, volume, image or flavor: what the test reads of any of them.
    public struct Item: Decodable, Sendable {
        public struct Fault: Decodable, Sendable { public var message: String? }
        public var id: String
        public var name: String?
        public var description: String?
        public var status: String?
        public var size: Int?
        public var ram: Int?
        public var external: Bool?
        public var floatingAddress: String?
        public var fault: Fault?
        /// An image's needs and a flavor's size.
        public var minDisk: Int?
        public var minRAM: Int?
        public var disk: Int?
        public var vcpus: Int?
        /// A network's owner and whether other projects may use it.
        public var shared: Bool?
        public var projectID: String?
        public var tenantID: String?
        /// A port's network and device; a router's gateway.
        public var networkID: String?
        public var deviceID: String?
        public var gateway: Gateway?

        /// A router's external gateway.
        public struct Gateway: Decodable, Sendable { public var networkID: String?
            enum CodingKeys: String, CodingKey { case networkID = "network_id" }
        }

        enum CodingKeys: String, CodingKey {
            case id, name, description, status, size, ram, fault, disk, vcpus, shared
            case external = "router:external"
            case floatingAddress = "floating_ip_address"
            case minDisk = "min_disk"
            case minRAM = "min_ram"
            case projectID = "project_id"
            case tenantID = "tenant_id"
            case networkID = "network_id"
            case deviceID = "device_id"
            case gateway = "external_gateway_info"
        }

        /// The project that owns it.
        public var owner: String? { projectID ?? tenantID }

        /// The name, else the id: how the operator would recognise it.
        public var label: String { name.flatMap { $0.isEmpty ? nil : $0 } ?? id }
    }

    /// No body: the type of a request that sends none.
    public struct Empty: Encodable, Sendable {}

    public struct Images: Decodable { public var images: [Item] }
    public struct Flavors: Decodable { public var flavors: [Item] }
    public struct Networks: Decodable { public var networks: [Item] }
    public struct Ports: Decodable { public var ports: [Item] }
    public struct Servers: Decodable { public var servers: [Item] }
    public struct FloatingIPs: Decodable { public var floatingips: [Item] }
    public struct Volumes: Decodable { public var volumes: [Item] }
    public struct Server: Decodable { public var server: Item }
    public struct FloatingIP: Decodable { public var floatingip: Item }
    public struct Volume: Decodable { public var volume: Item }

    /// `POST /servers`.
    struct ServerCreate: Encodable {
        struct Network: Encodable { var uuid: String }
        struct Body: Encodable {
            var name: String
            var imageRef: String
            var flavorRef: String
            var networks: [Network]
        }
        var server: Body
    }

    /// `POST /floatingips` and `PUT /floatingips/{id}`.
    struct FloatingIPChange: Encodable {
        struct Body: Encodable {
            var floatingNetworkID: String?
            var description: String?
            var portID: String?

            enum CodingKeys: String, CodingKey {
                case description
                case floatingNetworkID = "floating_network_id"
                case portID = "port_id"
            }
        }
        var floatingip: Body
    }

    /// `POST /volumes`.
    struct VolumeCreate: Encodable {
        struct Body: Encodable {
            var size: Int
            var name: String
        }
        var volume: Body
    }

    /// `POST /servers/{id}/os-volume_attachments`.
    struct VolumeAttach: Encodable {
        struct Body: Encodable { var volumeId: String }
        var volumeAttachment: Body
    }
}
