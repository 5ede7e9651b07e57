import CloudProbe
import DemoCloud
import Foundation
import StepEngine
import TestSupport
import XCTest

/// What the smoke test boots, chosen as its words say and as Nova and Neutron will take it: a network with a router to
/// the external network (Neutron refuses a floating IP for one without, 404), a flavor the image fits (Nova refuses a
/// disk below the image's min_disk, 400); a choice that would be refused is a finding before anything is made. The
/// demo cloud answers those cases as real Neutron and Nova do.
final class SmokeChoiceTests: XCTestCase {
    func demo(_ faults: String) async throws -> (DemoCloud, SmokeTest) {
        let password = "choice-" + UUID().uuidString
        let cloud = try DemoCloud(
            directory: TestPaths.scratch("choice-demo"), adminPassword: password,
            scenario: try DemoScenario.parse("name: choice\nfaults: [\(faults)]\n", source: "choice"))
        var credentials = try OpenrcParser.load(path: cloud.directory + "/admin-openrc")
        credentials.secret = SecretValue(password)
        let client = HTTPClient(configuration: .init(caBundle: cloud.caBundle, resolve: cloud.resolve))
        let session = try await KeystoneClient(client: client).authenticate(credentials)
        return (cloud, SmokeTest(api: OpenStackAPI(client: client, session: session), region: nil))
    }

    func options(network: String? = nil, flavor: String? = nil, _ demo: DemoCloud) -> SmokeTest.Options {
        SmokeTest.Options(image: nil, flavor: flavor, network: network, timeout: 10, sshPort: demo.sshPort)
    }

    func testAnUnroutedNetworkIsNeverChosenAndNamedOneIsRefusedBeforeAnythingIsMade() async throws {
        let (cloud, smoke) = try await demo("unrouted-network")
        defer { cloud.shutdown() }
        // "isolated" is listed before "private"; only "private" has a router to the external network.
        let passed = await smoke.run(options(cloud), created: { _ in }, deleted: { _ in })
        XCTAssertTrue(passed.contains { $0.target == "choice" && $0.observed.contains("network private") }, "\(passed)")
        XCTAssertFalse(passed.contains { $0.severity == .failure }, "\(passed)")
        let made = cloud.serversCreated

        let refused = await smoke.run(options(network: "isolated", cloud), created: { _ in }, deleted: { _ in })
        XCTAssertTrue(
            refused.contains { $0.severity == .failure && $0.observed.contains("isolated has no router with a gateway on an external network") },
            "\(refused)")
        XCTAssertEqual(cloud.serversCreated, made, "nothing was made for it")
    }

    func testTheFlavorFitsTheImagesMinimumDisk() async throws {
        let (cloud, smoke) = try await demo("big-image")
        defer { cloud.shutdown() }
        // The image needs 5 GB: m1.tiny (1 GB) is the smallest by RAM but Nova would refuse it; m1.small (20 GB) fits.
        let passed = await smoke.run(options(cloud), created: { _ in }, deleted: { _ in })
        XCTAssertTrue(passed.contains { $0.target == "choice" && $0.observed.contains("flavor m1.small") }, "\(passed)")
        XCTAssertFalse(passed.contains { $0.severity == .failure }, "\(passed)")
        let made = cloud.serversCreated

        let refused = await smoke.run(options(flavor: "m1.tiny", cloud), created: { _ in }, deleted: { _ in })
        XCTAssertTrue(
            refused.contains { $0.severity == .failure && $0.observed.contains("m1.tiny has 512 MB of RAM and 1 GB of disk") && $0.observed.contains("Nova would refuse it") },
            "\(refused)")
        XCTAssertEqual(cloud.serversCreated, made, "nothing was made for it")
        XCTAssertTrue(cloud.resourceCounts == (0, 0, 0), "\(cloud.resourceCounts)")
    }

    /// The pages of a list: Nova's and Neutron's `<key>_links`, Glance's `next` (a path from its root).
    func testListsArePaged() {
        XCTAssertEqual(
            OpenStackAPI.nextPage(
                ["flavors_links": [["rel": "next", "href": "https://nova.example.org:8774/v2.1/flavors/detail?limit=100&marker=7"]]],
                key: "flavors", from: "https://nova.example.org:8774/v2.1/flavors/detail?limit=100"),
            "https://nova.example.org:8774/v2.1/flavors/detail?limit=100&marker=7")
        XCTAssertEqual(
            OpenStackAPI.nextPage(["next": "/v2/images?marker=abc&limit=100"], key: "images", from: "https://glance.example.org/image/v2/images?limit=100"),
            "https://glance.example.org/image/v2/images?marker=abc&limit=100")
        XCTAssertNil(OpenStackAPI.nextPage(["networks": []], key: "networks", from: "https://neutron.example.org:9696/v2.0/networks?limit=100"))
    }
}

