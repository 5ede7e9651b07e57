import AtmoModel
import Foundation

/// Glance, Nova, Neutron and Cinder: what the wizard's checks read, in the services' shapes, behind keystonemiddleware.
struct DemoServices {
    let state: DemoState
    let externalNetwork = "9f3b2a6e1c7d4e5f8a9b0c1d2e3f4a5b"
    let externalSubnet = "2c4e6a8b0d1f3e5a7c9b1d3f5a7c9e1b"
    let router = "7a1c3e5b9d2f4a6c8e0b2d4f6a8c0e2d"
    let privateNetwork = "4b6d8f0a2c4e6a8c0e2b4d6f8a0c2e4b"
    let privateSubnet = "6d8f0a2c4e6a8c0e2b4d6f8a0c2e4b6d"
    /// The tenant network no router joins to the external one (the unrouted-network fault).
    let isolatedNetwork = "1e3a5c7e9b2d4f6a8c0e1d3f5b7a9c2e"
    let isolatedSubnet = "3a5c7e9b2d4f6a8c0e1d3f5b7a9c2e1e"
    /// The router's interface on the private network and its gateway on the external one.
    let routerInterface = "8c0e2b4d6f8a0c2e4b6d8f0a2c4e6a8c"
    let routerGateway = "0e2b4d6f8a0c2e4b6d8f0a2c4e6a8c0e"

    /// The service's answer, or keystonemiddleware's 401 page without a valid token.
    func handle(_ service: String, _ request: DemoRequest) -> DemoResponse {
        guard state.locked({ $0.token(request.headers["x-auth-token"]) }) != nil else {
            // keystonemiddleware answers in JSON when asked for it (Glance in webob's shape), else with an HTML page.
            guard request.headers["accept"]?.contains("application/json") == true else { return .middlewareUnauthorized }
            if service == "image" {
                return .json(
                    401,
                    [
                        "message":
                            "This server could not verify that you are authorized to access the document you requested. Either you supplied the wrong credentials (e.g., bad password), or your browser does not understand how to supply the credentials required.<br /><br />\n\n\n",
                        "code": "401 Unauthorized", "title": "Unauthorized",
                    ])
            }
            return .keystoneError(401, "Unauthorized", "The request you have made requires authentication.")
        }
        let parts = request.parts
        switch service {
        case "image": return image(parts, request)
        case "compute": return servers(parts, request) ?? compute(parts)
        case "network": return floatingIPs(parts, request) ?? network(parts, request)
        default: return volumes(parts, request) ?? volume(parts)
        }
    }

    private func image(_ parts: [String], _ request: DemoRequest) -> DemoResponse {
        guard parts == ["v2", "images"] else { return .json(404, ["message": "Not Found"]) }
        let images: [[String: Any]] =
            state.locked({ $0.faults.noImage })
            ? []
            : [
                [
                    "id": "5d0b1a9e-6f21-4c3a-9b8e-0f1d2c3b4a59", "name": "cirros-0.6.2", "status": "active",
                    "visibility": "public", "disk_format": "qcow2", "container_format": "bare",
                    "min_disk": state.locked { $0.faults.bigImage } ? 5 : 0, "min_ram": 0,
                    "size": 21_430_272, "self": "/v2/images/5d0b1a9e-6f21-4c3a-9b8e-0f1d2c3b4a59", "tags": [],
                ]
            ]
        return .json(200, ["images": images, "first": "/v2/images?status=active&limit=100", "schema": "/v2/schemas/images"])
    }

    /// The demo's flavors: id, name, RAM (MB), disk (GB).
    static let flavors = [("1", "m1.tiny", 512, 1), ("2", "m1.small", 2048, 20)]

    private func compute(_ parts: [String]) -> DemoResponse {
        guard parts.count >= 2, parts[0] == "v2.1", parts.last == "flavors" || parts.suffix(2) == ["flavors", "detail"] else {
            return .json(404, ["itemNotFound": ["code": 404, "message": "The resource could not be found."]])
        }
        // The list names flavors; only /flavors/detail has their sizes, as in Nova.
        let detail = parts.last == "detail"
        let flavors = Self.flavors.map { flavor -> [String: Any] in
            var body: [String: Any] = ["id": flavor.0, "name": flavor.1, "links": [["rel": "self", "href": "/v2.1/flavors/\(flavor.0)"]]]
            if detail { body.merge(["ram": flavor.2, "disk": flavor.3, "vcpus": 1]) { $1 } }
            return body
        }
        return .json(200, ["flavors": flavors])
    }

    private func network(_ parts: [String], _ request: DemoRequest) -> DemoResponse {
        guard parts.count >= 2, parts[0] == "v2.0" else {
            return .json(404, ["NeutronError": ["type": "HTTPNotFound", "message": "Not Found", "detail": ""]])
        }
        switch parts[1] {
        case "networks":
            let (noExternal, unrouted, admin) = state.locked { ($0.faults.noExternalNetwork, $0.faults.unroutedNetwork, $0.adminProjectID) }
            var networks: [[String: Any]] = [
                [
                    "id": externalNetwork, "name": "public", "router:external": !noExternal, "status": "ACTIVE", "subnets": [externalSubnet],
                    "shared": false, "project_id": admin, "tenant_id": admin,
                ],
                [
                    "id": privateNetwork, "name": "private", "router:external": false, "status": "ACTIVE", "subnets": [privateSubnet],
                    "shared": false, "project_id": admin, "tenant_id": admin,
                ],
            ]
            // Listed before the routed one, as a network made later with a lower id would be.
            if unrouted {
                networks.insert(
                    [
                        "id": isolatedNetwork, "name": "isolated", "router:external": false, "status": "ACTIVE", "subnets": [isolatedSubnet],
                        "shared": false, "project_id": admin, "tenant_id": admin,
                    ], at: 1)
            }
            return .json(200, ["networks": networks])
        case "subnets":
            let subnet: [String: Any] = [
                "id": externalSubnet, "network_id": externalNetwork, "name": "public-subnet", "ip_version": 4,
                "cidr": "127.0.113.0/24", "gateway_ip": "127.0.113.1",
                "allocation_pools": [["start": state.locked { $0.pool.first }, "end": state.locked { $0.pool.last }]],
            ]
            let wanted = request.query["network_id"]
            return .json(200, ["subnets": wanted == nil || wanted == externalNetwork ? [subnet] : []])
        case "routers":
            return .json(
                200,
                [
                    "routers": [
                        [
                            "id": router, "name": "public_router", "status": "ACTIVE",
                            "external_gateway_info": [
                                "network_id": externalNetwork, "enable_snat": true,
                                "external_fixed_ips": [["subnet_id": externalSubnet, "ip_address": state.locked { $0.pool.first }]],
                            ],
                        ]
                    ]
                ])
        case "network-ip-availabilities" where parts.count == 3:
            guard parts[2] == externalNetwork else {
                return .json(404, ["NeutronError": ["type": "NetworkNotFound", "message": "Network \(parts[2]) could not be found.", "detail": ""]])
            }
            let (total, used) = state.locked { state -> (Int, Int) in
                let total = IPRange("\(state.pool.first)-\(state.pool.last)")?.count ?? 0
                return (total, state.faults.noFreeFloatingIPs ? total : 1 + state.floatingIPs.count)
            }
            return .json(
                200,
                [
                    "network_ip_availability": [
                        "network_id": externalNetwork, "network_name": "public", "total_ips": total, "used_ips": used,
                        "subnet_ip_availability": [
                            [
                                "subnet_id": externalSubnet, "cidr": "127.0.113.0/24", "ip_version": 4,
                                "total_ips": total, "used_ips": used,
                            ]
                        ],
                    ]
                ])
        default:
            return .json(404, ["NeutronError": ["type": "HTTPNotFound", "message": "The resource could not be found.", "detail": ""]])
        }
    }

    private func volume(_ parts: [String]) -> DemoResponse {
        guard parts.count == 3, parts[0] == "v3", parts[2] == "types" else {
            return .json(404, ["itemNotFound": ["code": 404, "message": "The resource could not be found."]])
        }
        return .json(
            200,
            [
                "volume_types": [
                    [
                        "id": "6c8e0a2c-4e6a-4c0e-8b2d-4f6a8c0e2b4d", "name": "__DEFAULT__", "is_public": true,
                        "description": "Default Volume Type", "extra_specs": [:],
                    ]
                ]
            ])
    }
}
