import AtmoModel
import Foundation

/// Servers, floating IPs and volumes: created, polled and deleted as Nova, Neutron and Cinder do it.
extension DemoServices {
    static func notFound(_ what: String, _ id: String) -> DemoResponse {
        .json(404, ["itemNotFound": ["code": 404, "message": "\(what) \(id) could not be found."]])
    }

    /// Nova's servers and volume attachments; nil when the path is not one of them.
    func servers(_ parts: [String], _ request: DemoRequest) -> DemoResponse? {
        guard let index = parts.firstIndex(of: "servers") else { return nil }
        let rest = Array(parts[(index + 1)...])
        return state.locked { state -> DemoResponse in
            switch (request.method, rest.count) {
            case ("GET", 0):
                let wanted = request.query["name"]
                let found = state.servers.values.filter { !$0.deleted && (wanted == nil || $0.name == wanted) }
                return .json(200, ["servers": found.map { ["id": $0.id, "name": $0.name, "links": [] as [Any]] as [String: Any] }])
            case ("GET", 1) where rest[0] == "detail":
                // What Atmosphere's instance monitor lists (all_tenants for an admin): the servers with status and project.
                let admin = state.projects.values.first { $0.name == "admin" }?.id ?? ""
                let found = state.servers.values.filter { !$0.deleted }
                return .json(
                    200,
                    [
                        "servers": found.map {
                            ["id": $0.id, "name": $0.name, "status": "ACTIVE", "tenant_id": admin, "links": [] as [Any]] as [String: Any]
                        }
                    ])
            case ("POST", 0):
                let body = request.json["server"] as? [String: Any] ?? [:]
                let network = ((body["networks"] as? [[String: Any]])?.first?["uuid"] as? String) ?? ""
                // Nova's check of the flavor against the image's min_disk.
                let minimum = state.faults.bigImage ? 5 : 0
                if let flavor = Self.flavors.first(where: { $0.0 == body["flavorRef"] as? String }), flavor.3 != 0, flavor.3 < minimum {
                    return .json(
                        400,
                        [
                            "badRequest": [
                                "code": 400,
                                "message":
                                    "Flavor's disk is smaller than the minimum size specified in image metadata. Flavor disk is \(flavor.3 << 30) bytes, minimum size is \(minimum << 30) bytes.",
                            ]
                        ])
                }
                let count = state.servers.count + 5
                let server = DemoState.Server(
                    id: UUID().uuidString.lowercased(), name: body["name"] as? String ?? "server", network: network,
                    created: Date(), fixedIP: "10.0.0.\(count)", portID: UUID().uuidString.lowercased())
                state.add(server)
                return .json(
                    202,
                    [
                        "server": [
                            "id": server.id, "links": [], "OS-DCF:diskConfig": "MANUAL",
                            "security_groups": [["name": "default"]], "adminPass": "demo-admin-pass",
                        ]
                    ])
            case ("GET", 1):
                guard let server = state.servers[rest[0]], !server.deleted else { return Self.notFound("Instance", rest[0]) }
                let active = Date().timeIntervalSince(server.created) >= state.buildSeconds
                let floating = state.floatingIPs.values.filter { $0.portID == server.portID }.map {
                    ["addr": $0.address, "version": 4, "OS-EXT-IPS:type": "floating"] as [String: Any]
                }
                if active && state.faults.serverError {
                    return .json(
                        200,
                        [
                            "server": [
                                "id": server.id, "name": server.name, "status": "ERROR",
                                "fault": ["code": 500, "message": "No valid host was found. There are not enough hosts available."],
                            ]
                        ])
                }
                return .json(
                    200,
                    [
                        "server": [
                            "id": server.id, "name": server.name, "status": active ? "ACTIVE" : "BUILD",
                            "OS-EXT-STS:task_state": active ? NSNull() : "spawning" as Any,
                            "addresses": ["private": [["addr": server.fixedIP, "version": 4, "OS-EXT-IPS:type": "fixed"]] + floating],
                        ]
                    ])
            case ("DELETE", 1):
                guard let server = state.servers[rest[0]], !server.deleted else { return Self.notFound("Instance", rest[0]) }
                state.deleteServer(server.id)
                for volume in state.volumes.values where volume.attachedTo == server.id { state.attach(volume: volume.id, to: nil) }
                return .noContent
            case ("POST", 2) where rest[1] == "os-volume_attachments":
                guard let server = state.servers[rest[0]], !server.deleted else { return Self.notFound("Instance", rest[0]) }
                guard let volumeID = (request.json["volumeAttachment"] as? [String: Any])?["volumeId"] as? String,
                    let volume = state.volumes[volumeID]
                else { return .json(404, ["itemNotFound": ["code": 404, "message": "Volume could not be found."]]) }
                guard volume.attachedTo == nil else {
                    return .json(400, ["badRequest": ["code": 400, "message": "Invalid volume: volume \(volumeID) status must be available"]])
                }
                state.attach(volume: volumeID, to: server.id)
                return .json(200, ["volumeAttachment": ["id": volumeID, "serverId": server.id, "volumeId": volumeID, "device": "/dev/vdb"]])
            case ("DELETE", 3) where rest[1] == "os-volume_attachments":
                guard state.volumes[rest[2]]?.attachedTo == rest[0] else { return Self.notFound("Volume attachment", rest[2]) }
                state.attach(volume: rest[2], to: nil)
                return DemoResponse(status: 202)
            default:
                return .json(404, ["itemNotFound": ["code": 404, "message": "The resource could not be found."]])
            }
        }
    }

    /// Neutron's ports and floating IPs; nil when the path is not one of them.
    func floatingIPs(_ parts: [String], _ request: DemoRequest) -> DemoResponse? {
        guard parts.count >= 2, ["ports", "floatingips"].contains(parts[1]) else { return nil }
        let notify = state.locked { $0.onFloatingIP }
        var event: (String, Bool)?
        let response = state.locked { state -> DemoResponse in
            func body(_ ip: DemoState.FloatingIP) -> [String: Any] {
                [
                    "id": ip.id, "floating_ip_address": ip.address, "floating_network_id": externalNetwork, "port_id": ip.portID ?? NSNull(),
                    "description": ip.description,
                    "status": ip.portID == nil ? "DOWN" : "ACTIVE", "router_id": ip.portID == nil ? NSNull() : router as Any,
                ]
            }
            let missing = DemoResponse.json(
                404, ["NeutronError": ["type": "FloatingIPNotFound", "message": "Floating IP \(parts.last ?? "") could not be found", "detail": ""]])
            switch (request.method, parts[1], parts.count) {
            case ("GET", "ports", 2):
                let device = request.query["device_id"], network = request.query["network_id"]
                let servers = state.servers.values.filter { !$0.deleted }.map {
                    [
                        "id": $0.portID, "device_id": $0.id, "device_owner": "compute:nova", "network_id": $0.network, "status": "DOWN",
                        "fixed_ips": [["ip_address": $0.fixedIP]],
                    ] as [String: Any]
                }
                // The router's gateway on the external network and its interface on the private one.
                let routers: [[String: Any]] = [
                    [
                        "id": routerGateway, "device_id": router, "device_owner": "network:router_gateway", "network_id": externalNetwork,
                        "status": "ACTIVE", "fixed_ips": [["subnet_id": externalSubnet, "ip_address": state.pool.first]],
                    ],
                    [
                        "id": routerInterface, "device_id": router, "device_owner": "network:router_interface", "network_id": privateNetwork,
                        "status": "ACTIVE", "fixed_ips": [["subnet_id": privateSubnet, "ip_address": "10.0.0.1"]],
                    ],
                ]
                let ports = (servers + routers).filter {
                    (device == nil || $0["device_id"] as? String == device) && (network == nil || $0["network_id"] as? String == network)
                }
                return .json(200, ["ports": ports])
            case ("POST", "floatingips", 2) where unreachable((request.json["floatingip"] as? [String: Any])?["port_id"] as? String, state):
                return unreachableAnswer((request.json["floatingip"] as? [String: Any])?["port_id"] as? String ?? "")
            case ("POST", "floatingips", 2):
                guard let first = IPRange.address(state.pool.first), let last = IPRange.address(state.pool.last) else { return .json(500, [:]) }
                let taken = Set(state.floatingIPs.values.map(\.address))
                // The first address is the router's gateway.
                guard !state.faults.noFreeFloatingIPs, let free = (first + 1...last).map(IPRange.text).first(where: { !taken.contains($0) }) else {
                    return .json(
                        409,
                        [
                            "NeutronError": [
                                "type": "IpAddressGenerationFailure", "message": "No more IP addresses available on network \(externalNetwork).",
                                "detail": "",
                            ]
                        ])
                }
                let spec = request.json["floatingip"] as? [String: Any] ?? [:]
                let ip = DemoState.FloatingIP(
                    id: UUID().uuidString.lowercased(), address: free, portID: spec["port_id"] as? String,
                    description: spec["description"] as? String ?? "")
                state.add(ip)
                return .json(201, ["floatingip": body(ip)])
            case ("GET", "floatingips", 2):
                let wanted = request.query["description"]
                return .json(200, ["floatingips": state.floatingIPs.values.filter { wanted == nil || $0.description == wanted }.map(body)])
            case ("GET", "floatingips", 3):
                return state.floatingIPs[parts[2]].map { .json(200, ["floatingip": body($0)]) } ?? missing
            case ("PUT", "floatingips", 3):
                guard let ip = state.floatingIPs[parts[2]] else { return missing }
                let port = (request.json["floatingip"] as? [String: Any])?["port_id"] as? String
                if unreachable(port, state) { return unreachableAnswer(port ?? "") }
                state.setPort(port, floatingIP: ip.id)
                event = (ip.address, port != nil)
                var updated = ip
                updated.portID = port
                return .json(200, ["floatingip": body(updated)])
            case ("DELETE", "floatingips", 3):
                guard let ip = state.floatingIPs[parts[2]] else { return missing }
                state.removeFloatingIP(ip.id)
                if ip.portID != nil { event = (ip.address, false) }
                return .noContent
            default:
                return .json(404, ["NeutronError": ["type": "HTTPNotFound", "message": "The resource could not be found.", "detail": ""]])
            }
        }
        if let event, !state.locked({ $0.faults.noSSH }) { notify?(event.0, event.1) }
        return response
    }

    /// Cinder's volumes; nil when the path is not one of them.
    func volumes(_ parts: [String], _ request: DemoRequest) -> DemoResponse? {
        guard parts.count >= 3, parts[0] == "v3", parts[2] == "volumes" else { return nil }
        return state.locked { state -> DemoResponse in
            func body(_ volume: DemoState.Volume) -> [String: Any] {
                let ready = Date().timeIntervalSince(volume.created) >= state.buildSeconds / 2
                let settled = volume.attachedTo != nil ? "in-use" : (ready ? (state.faults.volumeError ? "error" : "available") : "creating")
                return [
                    "id": volume.id, "name": volume.name, "size": volume.size,
                    "status": volume.deleting != nil ? "deleting" : settled,
                    "attachments": volume.attachedTo.map { [["server_id": $0, "volume_id": volume.id, "device": "/dev/vdb"]] } ?? [],
                ]
            }
            switch (request.method, parts.count) {
            case ("GET", 3):
                let wanted = request.query["name"]
                return .json(200, ["volumes": state.volumes.values.filter { wanted == nil || $0.name == wanted }.map(body)])
            case ("POST", 3):
                let spec = request.json["volume"] as? [String: Any] ?? [:]
                let volume = DemoState.Volume(
                    id: UUID().uuidString.lowercased(), name: spec["name"] as? String ?? "", size: spec["size"] as? Int ?? 1,
                    created: Date(), attachedTo: nil)
                state.add(volume)
                return .json(202, ["volume": body(volume)])
            case ("GET", 4) where parts[3] == "detail":
                // Cinder's detailed list, with the owning project as the admin sees it.
                let admin = state.projects.values.first { $0.name == "admin" }?.id ?? ""
                return .json(200, ["volumes": state.volumes.values.map { body($0).merging(["os-vol-tenant-attr:tenant_id": admin]) { $1 } }])
            case ("GET", 4):
                if let started = state.volumes[parts[3]]?.deleting, Date().timeIntervalSince(started) >= state.buildSeconds / 4 {
                    state.removeVolume(parts[3])
                }
                return state.volumes[parts[3]].map { .json(200, ["volume": body($0)]) } ?? Self.notFound("Volume", parts[3])
            case ("DELETE", 4):
                guard let volume = state.volumes[parts[3]] else { return Self.notFound("Volume", parts[3]) }
                guard volume.attachedTo == nil else {
                    return .json(
                        400,
                        [
                            "badRequest": [
                                "code": 400,
                                "message":
                                    "Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots or be disassociated from snapshots after volume transfer.",
                            ]
                        ])
                }
                // Accepted; the volume goes a little later (Cinder's volume service deletes it), as real Cinder does.
                state.startDeleting(volume.id)
                return DemoResponse(status: 202)
            default:
                return .json(404, ["itemNotFound": ["code": 404, "message": "The resource could not be found."]])
            }
        }
    }

    /// Whether Neutron would refuse a floating IP for `port`: its network has no router to the external network.
    private func unreachable(_ port: String?, _ state: DemoState) -> Bool {
        guard let port, let server = state.servers.values.first(where: { $0.portID == port }) else { return false }
        return server.network != privateNetwork
    }

    /// Neutron's 404 for it, in its words.
    private func unreachableAnswer(_ port: String) -> DemoResponse {
        .json(
            404,
            [
                "NeutronError": [
                    "type": "ExternalGatewayForFloatingIPNotFound",
                    "message":
                        "External network \(externalNetwork) is not reachable from subnet \(isolatedSubnet).  Therefore, cannot associate Port \(port) with a Floating IP.",
                    "detail": "",
                ]
            ])
    }
}
