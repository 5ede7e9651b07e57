import Foundation

/// Glance, Nova, Neutron and Cinder: what the wizard's checks read, in the services' shapes, behind keystonemiddleware.
struct DemoServices {
    let state: DemoState
    let externalNetwork = "9f3b2a6e1c7d4e5f8a9b0c1d2e3f4a5b"
    let externalSubnet = "2c4e6a8b0d1f3e5a7c9b1d3f5a7c9e1b"
    let router = "7a1c3e5b9d2f4a6c8e0b2d4f6a8c0e2d"

    /// The service's answer, or keystonemiddleware's 401 page without a valid token.
    func handle(_ service: String, _ request: DemoRequest) -> DemoResponse {
        guard state.locked({ $0.token(request.headers["x-auth-token"]) }) != nil else { return .middlewareUnauthorized }
        let parts = request.parts
        switch service {
        case "image": return image(parts, request)
        case "compute": return compute(parts)
        case "network": return network(parts, request)
        default: return volume(parts)
        }
    }

    private func image(_ parts: [String], _ request: DemoRequest) -> DemoResponse {
        guard parts == ["v2", "images"] else { return .json(404, ["message": "Not Found"]) }
        let images: [[String: Any]] = [["id": "5d0b1a9e-6f21-4c3a-9b8e-0f1d2c3b4a59", "name": "cirros-0.6.2", "status": "active",
                                        "visibility": "public", "disk_format": "qcow2", "container_format": "bare", "min_disk": 0, "min_ram": 0,
                                        "size": 21_430_272, "self": "/v2/images/5d0b1a9e-6f21-4c3a-9b8e-0f1d2c3b4a59", "tags": []]]
        return .json(200, ["images": images, "first": "/v2/images?status=active&limit=100", "schema": "/v2/schemas/images"])
    }

    private func compute(_ parts: [String]) -> DemoResponse {
        guard parts.count >= 2, parts[0] == "v2.1", parts.last == "flavors" else {
            return .json(404, ["itemNotFound": ["code": 404, "message": "The resource could not be found."]])
        }
        let flavors = [("1", "m1.tiny"), ("2", "m1.small")].map { ["id": $0.0, "name": $0.1, "links": [] as [Any]] as [String: Any] }
        return .json(200, ["flavors": flavors])
    }

    private func network(_ parts: [String], _ request: DemoRequest) -> DemoResponse {
        guard parts.count >= 2, parts[0] == "v2.0" else { return .json(404, ["NeutronError": ["type": "HTTPNotFound", "message": "Not Found", "detail": ""]]) }
        switch parts[1] {
        case "networks":
            let networks: [[String: Any]] = [
                ["id": externalNetwork, "name": "public", "router:external": true, "status": "ACTIVE", "subnets": [externalSubnet], "shared": false],
                ["id": "4b6d8f0a2c4e6a8c0e2b4d6f8a0c2e4b", "name": "private", "router:external": false, "status": "ACTIVE", "subnets": [], "shared": false],
            ]
            return .json(200, ["networks": networks])
        case "subnets":
            let subnet: [String: Any] = ["id": externalSubnet, "network_id": externalNetwork, "name": "public-subnet", "ip_version": 4,
                                         "cidr": "203.0.113.0/24", "gateway_ip": "203.0.113.1",
                                         "allocation_pools": [["start": "203.0.113.10", "end": "203.0.113.50"]]]
            let wanted = request.query["network_id"]
            return .json(200, ["subnets": wanted == nil || wanted == externalNetwork ? [subnet] : []])
        case "routers":
            return .json(200, ["routers": [["id": router, "name": "public_router", "status": "ACTIVE",
                                            "external_gateway_info": ["network_id": externalNetwork, "enable_snat": true,
                                                                      "external_fixed_ips": [["subnet_id": externalSubnet, "ip_address": "203.0.113.10"]]]]]])
        case "network-ip-availabilities" where parts.count == 3:
            guard parts[2] == externalNetwork else { return .json(404, ["NeutronError": ["type": "NetworkNotFound", "message": "Network \(parts[2]) could not be found.", "detail": ""]]) }
            return .json(200, ["network_ip_availability": ["network_id": externalNetwork, "network_name": "public", "total_ips": 41, "used_ips": 1,
                                                           "subnet_ip_availability": [["subnet_id": externalSubnet, "cidr": "203.0.113.0/24", "ip_version": 4,
                                                                                       "total_ips": 41, "used_ips": 1]]]])
        default:
            return .json(404, ["NeutronError": ["type": "HTTPNotFound", "message": "The resource could not be found.", "detail": ""]])
        }
    }

    private func volume(_ parts: [String]) -> DemoResponse {
        guard parts.count == 3, parts[0] == "v3", parts[2] == "types" else {
            return .json(404, ["itemNotFound": ["code": 404, "message": "The resource could not be found."]])
        }
        return .json(200, ["volume_types": [["id": "6c8e0a2c-4e6a-4c0e-8b2d-4f6a8c0e2b4d", "name": "__DEFAULT__", "is_public": true,
                                             "description": "Default Volume Type", "extra_specs": [:]]]])
    }
}
