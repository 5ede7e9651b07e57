import CloudProbe
import DemoCloud
import Foundation
import StepEngine
import TestSupport
import XCTest

/// The same requests to the demo cloud and to the real Keystone, Glance, Neutron, Nova and Cinder: the same status codes,
/// the headers that matter, and bodies of the same shape (every key the demo sends exists in the real answer with the
/// same JSON type, and the keys the wizard reads are in both).
extension OpenStackCheckTests {
    struct Side {
        var client: HTTPClient
        var session: KeystoneSession
        var identityRoot: String

        func url(_ type: String, _ path: String) -> String {
            let base = (session.catalog.endpoint(types: [type])?.url ?? "")
            return base + path
        }

        func send(_ method: String, _ url: String, token: Bool = true, body: [String: Any]? = nil) async throws -> HTTPResponse {
            let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
            return try await client.send(
                HTTPRequest(method: method, url: url, headers: token ? session.authHeaders : [("Accept", "application/json")], body: data))
        }
    }

    /// Where the two shapes disagree, as paths: a key the demo has and the real one lacks, or another JSON type.
    static func differences(demo: Any, real: Any, path: String = "$") -> [String] {
        func kind(_ value: Any) -> String {
            switch value {
            case is NSNull: "null"
            case let number as NSNumber: String(describing: type(of: number)).contains("Boolean") ? "bool" : "number"
            case is String: "string"
            case is [Any]: "array"
            case is [String: Any]: "object"
            default: "other"
            }
        }
        // A null on one side and a value on the other is a field that is sometimes unset: same field, no difference.
        if kind(demo) == "null" || kind(real) == "null" { return [] }
        guard kind(demo) == kind(real) else { return ["\(path): demo \(kind(demo)), real \(kind(real))"] }
        if let demo = demo as? [String: Any], let real = real as? [String: Any] {
            return demo.keys.sorted().flatMap { key -> [String] in
                guard let other = real[key] else { return ["\(path).\(key): only in the demo"] }
                return Self.differences(demo: demo[key] as Any, real: other, path: "\(path).\(key)")
            }
        }
        if let demo = demo as? [Any], let real = real as? [Any], let first = demo.first, let other = real.first {
            return Self.differences(demo: first, real: other, path: "\(path)[0]")
        }
        return []
    }

    func json(_ response: HTTPResponse) -> Any { (try? JSONSerialization.jsonObject(with: response.body)) ?? [:] }

    func testTheDemoCloudAnswersInTheRealServicesShapes() async throws {
        let peer = try requirePeer()
        let password = "demo-" + UUID().uuidString
        let demo = try DemoCloud(directory: TestPaths.scratch("contract"), adminPassword: password)
        defer { demo.shutdown() }
        var demoCredentials = try OpenrcParser.load(path: demo.directory + "/admin-openrc")
        demoCredentials.secret = SecretValue(password)
        let demoClient = HTTPClient(configuration: .init(caBundle: demo.caBundle, resolve: demo.resolve))
        let demoSide = Side(
            client: demoClient, session: try await KeystoneClient(client: demoClient).authenticate(demoCredentials),
            identityRoot: "https://keystone.demo.test:\(demo.ports["identity"] ?? 0)")
        let realSide = Side(
            client: peer.client(), session: try await peer.adminSession(),
            identityRoot: "https://keystone.cloud.test:\(peer.ports["keystone"] ?? 0)")

        // What each check reads: (name, service, path, keys the wizard needs at the top level).
        let reads: [(String, String, String, [String])] = [
            ("identity versions", "", "/", ["versions"]),
            ("identity v3", "", "/v3", ["version"]),
            ("roles", "identity", "/roles", ["roles"]),
            ("roles by name", "identity", "/roles?name=admin", ["roles"]),
            ("projects by name", "identity", "/projects?name=admin", ["projects"]),
            ("users by name", "identity", "/users?name=admin", ["users"]),
            ("images", "image", "/v2/images?status=active&limit=100", ["images"]),
            ("flavors", "compute", "/flavors", ["flavors"]),
            ("flavors in detail", "compute", "/flavors/detail", ["flavors"]),
            ("networks", "network", "/v2.0/networks", ["networks"]),
            ("routers", "network", "/v2.0/routers", ["routers"]),
            ("subnets", "network", "/v2.0/subnets", ["subnets"]),
            ("volume types", "volumev3", "/types", ["volume_types"]),
        ]
        for (name, service, path, keys) in reads {
            let demoURL = service.isEmpty ? demoSide.identityRoot + path : demoSide.url(service, path)
            let realURL = service.isEmpty ? realSide.identityRoot + path : realSide.url(service, path)
            let (d, r) = (
                try await demoSide.send("GET", demoURL, token: !service.isEmpty), try await realSide.send("GET", realURL, token: !service.isEmpty)
            )
            XCTAssertEqual(d.status, r.status, "\(name): status")
            let (dj, rj) = (json(d), json(r))
            XCTAssertEqual(Self.differences(demo: dj, real: rj), [], "\(name): \(String(decoding: r.body.prefix(600), as: UTF8.self))")
            for key in keys {
                XCTAssertNotNil((dj as? [String: Any])?[key], "\(name): demo lacks \(key)")
                XCTAssertNotNil((rj as? [String: Any])?[key], "\(name): real lacks \(key)")
            }
        }

        // The token: 201, X-Subject-Token, the same body shape; a wrong password: 401 with Keystone's JSON error.
        func auth(_ side: Side, _ user: String, _ password: String) async throws -> HTTPResponse {
            try await side.send(
                "POST", side.identityRoot + "/v3/auth/tokens", token: false,
                body: [
                    "auth": [
                        "identity": [
                            "methods": ["password"], "password": ["user": ["name": user, "domain": ["name": "Default"], "password": password]],
                        ],
                        "scope": ["project": ["name": "admin", "domain": ["name": "Default"]]],
                    ]
                ])
        }
        let (dt, rt) = (try await auth(demoSide, "admin", password), try await auth(realSide, "admin", peer.adminPassword))
        XCTAssertEqual([dt.status, rt.status], [201, 201])
        XCTAssertNotNil(dt.header("X-Subject-Token"))
        XCTAssertNotNil(rt.header("X-Subject-Token"))
        XCTAssertEqual(Self.differences(demo: json(dt), real: json(rt)), [], "token")
        let (dw, rw) = (try await auth(demoSide, "admin", "wrong"), try await auth(realSide, "admin", "wrong"))
        XCTAssertEqual([dw.status, rw.status], [401, 401])
        XCTAssertEqual(Self.differences(demo: json(dw), real: json(rw)), [], "Keystone's 401")

        // Without a token, keystonemiddleware answers 401: each service as the real one does (HTML or JSON).
        for (service, path) in [("network", "/v2.0/networks"), ("image", "/v2/images"), ("compute", "/flavors"), ("volumev3", "/types")] {
            let (dn, rn) = (
                try await demoSide.send("GET", demoSide.url(service, path), token: false),
                try await realSide.send("GET", realSide.url(service, path), token: false)
            )
            XCTAssertEqual([dn.status, rn.status], [401, 401], service)
            XCTAssertEqual(
                dn.header("Content-Type")?.hasPrefix("text/html"), rn.header("Content-Type")?.hasPrefix("text/html"),
                "\(service): \(rn.header("Content-Type") ?? "-"): \(String(decoding: rn.body.prefix(300), as: UTF8.self))")
            XCTAssertEqual(Self.differences(demo: json(dn), real: json(rn)), [], "\(service)'s 401")
        }

        // Not found: Nova's and Neutron's error bodies.
        let missing = "/servers/00000000-0000-0000-0000-000000000000"
        let (dm, rm) = (
            try await demoSide.send("GET", demoSide.url("compute", missing)), try await realSide.send("GET", realSide.url("compute", missing))
        )
        XCTAssertEqual([dm.status, rm.status], [404, 404])
        XCTAssertEqual(Self.differences(demo: json(dm), real: json(rm)), [], "Nova's 404: \(String(decoding: rm.body, as: UTF8.self))")
    }
}
