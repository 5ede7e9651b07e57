import CloudProbe
import DemoCloud
import Foundation
import StepEngine
import TestSupport
import XCTest

/// The demo cloud answers the smoke test's hard cases as real Neutron, Nova and Cinder do: the same requests to both,
/// the same status codes, error types and words, and bodies of the same shape.
extension RealNovaTests {
    /// One cloud's ids for the cases: an image that needs 5 GB of disk, a flavor too small for it and one that fits,
    /// a network with no router to the external one, and the external network.
    struct CaseCloud {
        var side: OpenStackCheckTests.Side
        var image: String
        var smallFlavor: String
        var roomyFlavor: String
        var isolated: String
        var external: String

        func call(_ method: String, _ service: String, _ path: String, _ body: [String: Any]? = nil) async throws -> (Int, [String: Any]) {
            let response = try await side.send(method, side.url(service, path), body: body)
            return (response.status, (try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]) ?? [:])
        }

        /// Waits until `path` answers 404; returns the statuses seen on the way.
        func statusesUntilGone(_ service: String, _ path: String) async throws -> [Int] {
            var seen: [Int] = []
            for _ in 0..<150 {
                let (status, _) = try await call("GET", service, path)
                seen.append(status)
                if status == 404 { break }
                try await Task.sleep(nanoseconds: 200_000_000)
            }
            return seen
        }

        /// Boots a server on `network` and waits until it is ACTIVE; returns its id and its port.
        func boot(on network: String) async throws -> (server: String, port: String) {
            let (status, body) = try await call(
                "POST", "compute", "/servers",
                ["server": ["name": "contract", "imageRef": image, "flavorRef": roomyFlavor, "networks": [["uuid": network]]]])
            XCTAssertEqual(status, 202, "\(body)")
            let server = try XCTUnwrap((body["server"] as? [String: Any])?["id"] as? String, "\(body)")
            for _ in 0..<150 {
                let (_, detail) = try await call("GET", "compute", "/servers/\(server)")
                if (detail["server"] as? [String: Any])?["status"] as? String == "ACTIVE" { break }
                try await Task.sleep(nanoseconds: 200_000_000)
            }
            let (_, ports) = try await call("GET", "network", "/v2.0/ports?device_id=\(server)")
            let port = try XCTUnwrap((ports["ports"] as? [[String: Any]])?.first?["id"] as? String, "\(ports)")
            return (server, port)
        }
    }

    func testTheDemoCloudAnswersTheSmokeTestsHardCasesAsTheRealServicesDo() async throws {
        let cloud = try await cloud()
        let password = "demo-" + UUID().uuidString
        let demo = try DemoCloud(
            directory: TestPaths.scratch("nova-contract"), adminPassword: password,
            scenario: try DemoScenario.parse("name: contract\nfaults: [unrouted-network, big-image]\n", source: "contract"))
        defer { demo.shutdown() }
        var credentials = try OpenrcParser.load(path: demo.directory + "/admin-openrc")
        credentials.secret = SecretValue(password)
        let demoClient = HTTPClient(configuration: .init(caBundle: demo.caBundle, resolve: demo.resolve))
        let demoSide = OpenStackCheckTests.Side(
            client: demoClient, session: try await KeystoneClient(client: demoClient).authenticate(credentials), identityRoot: "")
        let realSide = OpenStackCheckTests.Side(client: cloud.peer.client(), session: cloud.session, identityRoot: "")

        // The real cloud gets what the demo's faults describe: an image needing 5 GB, a flavor that fits, "isolated".
        let glance = "https://glance.cloud.test:\(cloud.peer.ports["glance"] ?? 0)/v2"
        let image = try await cloud.peer.admin(
            "POST", glance + "/images", ["name": "contract-5gb", "disk_format": "raw", "container_format": "bare", "min_disk": 5], session: cloud.session)
        let imageID = try XCTUnwrap(image["id"] as? String)
        cleanups.append { try await cloud.peer.admin("DELETE", glance + "/images/\(imageID)", session: cloud.session) }
        _ = try await cloud.peer.client().send(
            HTTPRequest(
                method: "PUT", url: glance + "/images/\(imageID)/file",
                headers: cloud.session.authHeaders + [("Content-Type", "application/octet-stream")], body: Data(count: 8192)))
        try await cloud.call("POST", "nova", "/flavors", ["flavor": ["name": "m1.contract", "ram": 1024, "vcpus": 1, "disk": 10, "id": "contract"]])
        cleanups.append { try await cloud.call("DELETE", "nova", "/flavors/contract") }
        let network = try await cloud.call("POST", "neutron", "/networks", ["network": ["name": "isolated"]])["network"] as? [String: Any]
        let isolated = try XCTUnwrap(network?["id"] as? String)
        cleanups.append { try await cloud.call("DELETE", "neutron", "/networks/\(isolated)") }
        try await cloud.call("POST", "neutron", "/subnets", ["subnet": ["network_id": isolated, "cidr": "10.8.0.0/24", "ip_version": 4]])

        func first(_ service: String, _ path: String, _ key: String) async throws -> String {
            let response = try await demoSide.send("GET", demoSide.url(service, path))
            let body = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
            return try XCTUnwrap((body?[key] as? [[String: Any]])?.first?["id"] as? String, "\(path): \(body ?? [:])")
        }
        let demoImage = try await first("image", "/v2/images", "images")
        let demoIsolated = try await first("network", "/v2.0/networks?name=isolated", "networks")
        let demoExternal = try await first("network", "/v2.0/networks?router:external=true", "networks")
        let sides = [
            ("demo", CaseCloud(side: demoSide, image: demoImage, smallFlavor: "1", roomyFlavor: "2", isolated: demoIsolated, external: demoExternal)),
            ("real", CaseCloud(side: realSide, image: imageID, smallFlavor: "1", roomyFlavor: "contract", isolated: isolated, external: cloud.peer.externalNetworkID)),
        ]
        var answers: [String: [String: (Int, [String: Any])]] = [:]
        for (name, side) in sides {
            var seen: [String: (Int, [String: Any])] = [:]
            // Nova: a flavor whose disk is below the image's min_disk.
            seen["small flavor"] = try await side.call(
                "POST", "compute", "/servers",
                ["server": ["name": "contract", "imageRef": side.image, "flavorRef": side.smallFlavor, "networks": [["uuid": side.isolated]]]])
            // Neutron: a floating IP for a port on a network with no router to the external network.
            let (server, port) = try await side.boot(on: side.isolated)
            seen["unrouted floating IP"] = try await side.call(
                "POST", "network", "/v2.0/floatingips", ["floatingip": ["floating_network_id": side.external, "port_id": port]])
            // A floating IP nothing is wired to: DOWN.
            let made = try await side.call("POST", "network", "/v2.0/floatingips", ["floatingip": ["floating_network_id": side.external]])
            seen["floating IP"] = made
            let addressID = (made.1["floatingip"] as? [String: Any])?["id"] as? String ?? ""
            let removedAddress = try await side.call("DELETE", "network", "/v2.0/floatingips/\(addressID)")
            XCTAssertEqual(removedAddress.0, 204, name)
            // Cinder: a delete is accepted (202) and completes later; the volume counts as gone at 404.
            let (_, volume) = try await side.call("POST", "volumev3", "/volumes", ["volume": ["size": 1, "name": "contract"]])
            let volumeID = (volume["volume"] as? [String: Any])?["id"] as? String ?? ""
            for _ in 0..<100 {
                let (_, current) = try await side.call("GET", "volumev3", "/volumes/\(volumeID)")
                if (current["volume"] as? [String: Any])?["status"] as? String == "available" { break }
                try await Task.sleep(nanoseconds: 200_000_000)
            }
            seen["volume delete"] = try await side.call("DELETE", "volumev3", "/volumes/\(volumeID)")
            let statuses = try await side.statusesUntilGone("volumev3", "/volumes/\(volumeID)")
            XCTAssertEqual(statuses.last, 404, "\(name): the deleted volume is gone in the end: \(statuses)")
            let removedServer = try await side.call("DELETE", "compute", "/servers/\(server)")
            XCTAssertEqual(removedServer.0, 204, name)
            let serverStatuses = try await side.statusesUntilGone("compute", "/servers/\(server)")
            XCTAssertEqual(serverStatuses.last, 404, "\(name): \(serverStatuses)")
            answers[name] = seen
        }
        let (demoAnswers, realAnswers) = (try XCTUnwrap(answers["demo"]), try XCTUnwrap(answers["real"]))
        XCTAssertEqual(realAnswers["small flavor"]?.0, 400)
        XCTAssertEqual(realAnswers["unrouted floating IP"]?.0, 404)
        XCTAssertEqual(realAnswers["volume delete"]?.0, 202)
        XCTAssertEqual((realAnswers["floating IP"]?.1["floatingip"] as? [String: Any])?["status"] as? String, "DOWN")
        for (name, real) in realAnswers.sorted(by: { $0.key < $1.key }) {
            let demoAnswer = try XCTUnwrap(demoAnswers[name])
            XCTAssertEqual(demoAnswer.0, real.0, "\(name): status")
            XCTAssertEqual(OpenStackCheckTests.differences(demo: demoAnswer.1, real: real.1), [], "\(name): \(real.1)")
        }
        func message(_ answer: (Int, [String: Any])?) -> String {
            ((answer?.1.values.first as? [String: Any])?["message"] as? String) ?? ""
        }
        XCTAssertTrue(message(demoAnswers["small flavor"]).hasPrefix("Flavor's disk is smaller than the minimum size specified in image metadata"))
        XCTAssertTrue(message(realAnswers["small flavor"]).hasPrefix("Flavor's disk is smaller than the minimum size specified in image metadata"))
        for answer in [demoAnswers["unrouted floating IP"], realAnswers["unrouted floating IP"]] {
            XCTAssertEqual((answer?.1["NeutronError"] as? [String: Any])?["type"] as? String, "ExternalGatewayForFloatingIPNotFound", "\(answer?.1 ?? [:])")
            XCTAssertTrue(message(answer).contains("is not reachable from subnet"), message(answer))
        }
        XCTAssertEqual((demoAnswers["floating IP"]?.1["floatingip"] as? [String: Any])?["status"] as? String, "DOWN")
        let left = try await cloud.settledLeftovers()
        XCTAssertEqual(left, [])
    }
}
