import CloudProbe
import Foundation
import StepEngine
import TestSupport
import XCTest

/// What the smoke test chooses and what it calls SSH, against real Nova and Neutron.
extension RealNovaTests {
    func options(network: String? = nil, flavor: String? = nil, image: String? = nil, sshPort: Int) -> SmokeTest.Options {
        var options = SmokeTest.Options(image: image, flavor: flavor, network: network, timeout: 30, sshPort: sshPort)
        options.pollInterval = 0.5
        return options
    }

    func servers(_ cloud: Cloud) async throws -> Int { try await cloud.list("nova", "/servers?all_tenants=1", "servers").count }

    /// A listener that accepts and says nothing, on every address (so the floating IP in 127.0.113.0/24 reaches it):
    /// the server boots, the floating IP is attached, and the SSH stage fails naming what it saw; nothing is left.
    func testASilentListenerAtTheFloatingIPIsNoSSH() async throws {
        let cloud = try await cloud()
        let silent = try BannerListener(nil, anyAddress: true)
        defer { silent.stop() }
        var smokeOptions = options(sshPort: silent.port)
        smokeOptions.timeout = 5
        let findings = await smokeTest(cloud).run(smokeOptions, created: { _ in }, deleted: { _ in })
        XCTAssertTrue(findings.contains { $0.target == "server" && $0.severity == .ok }, "\(findings)")
        let failure = try XCTUnwrap(findings.first { $0.severity == .failure }, "\(findings)")
        XCTAssertTrue(failure.observed.contains("accepts connections but sends no SSH banner"), failure.observed)
        XCTAssertTrue(failure.observed.contains("127.0.113."), failure.observed)
        let left = try await cloud.settledLeftovers()
        XCTAssertEqual(left, [], "the failed run removed what it made")
    }

    /// A network with no router to the external network: never picked; named, it is a finding before anything is made
    /// (real Neutron would refuse the floating IP with 404 only after the server booted).
    func testAnUnroutedNetworkIsNotChosenAndNamedIsRefusedFirst() async throws {
        let cloud = try await cloud()
        let network = try await cloud.call("POST", "neutron", "/networks", ["network": ["name": "isolated"]])["network"] as? [String: Any]
        let networkID = try XCTUnwrap(network?["id"] as? String)
        cleanups.append { try await cloud.call("DELETE", "neutron", "/networks/\(networkID)") }
        try await cloud.call(
            "POST", "neutron", "/subnets", ["subnet": ["network_id": networkID, "cidr": "10.9.0.0/24", "ip_version": 4, "name": "isolated-subnet"]])
        let ssh = try BannerListener("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", anyAddress: true)
        defer { ssh.stop() }

        let before = try await servers(cloud)
        let refused = await smokeTest(cloud).run(options(network: "isolated", sshPort: ssh.port), created: { _ in }, deleted: { _ in })
        XCTAssertTrue(
            refused.contains { $0.severity == .failure && $0.observed.contains("isolated has no router with a gateway on an external network") },
            "\(refused)")
        let after = try await servers(cloud)
        XCTAssertEqual(after, before, "nothing was booted for it")

        let passed = await smokeTest(cloud).run(options(sshPort: ssh.port), created: { _ in }, deleted: { _ in })
        XCTAssertTrue(passed.contains { $0.target == "choice" && $0.observed.contains("network selfservice") }, "\(passed)")
        XCTAssertFalse(passed.contains { $0.severity == .failure }, "\(passed)")
        let left = try await cloud.settledLeftovers()
        XCTAssertEqual(left, [])
    }

    /// An image that needs 5 GB of disk: the smallest flavor by RAM (m1.tiny, 1 GB disk) would be refused by Nova (400),
    /// so the smoke test takes the smallest that fits; m1.tiny named is a finding before anything is made.
    func testTheFlavorFitsTheImagesMinimumDisk() async throws {
        let cloud = try await cloud()
        let glance = "https://glance.cloud.test:\(cloud.peer.ports["glance"] ?? 0)/v2"
        let image = try await cloud.peer.admin(
            "POST", glance + "/images",
            ["name": "needs-5gb", "disk_format": "raw", "container_format": "bare", "min_disk": 5, "visibility": "public"],
            session: cloud.session)
        let imageID = try XCTUnwrap(image["id"] as? String)
        cleanups.append { try await cloud.peer.admin("DELETE", glance + "/images/\(imageID)", session: cloud.session) }
        let upload = try await cloud.peer.client().send(
            HTTPRequest(
                method: "PUT", url: glance + "/images/\(imageID)/file",
                headers: cloud.session.authHeaders + [("Content-Type", "application/octet-stream")], body: Data(count: 8192)))
        XCTAssertEqual(upload.status, 204, upload.errorMessage)
        let flavor = try await cloud.call(
            "POST", "nova", "/flavors", ["flavor": ["name": "m1.roomy", "ram": 1024, "vcpus": 1, "disk": 10, "id": "roomy"]])
        XCTAssertNotNil(flavor["flavor"])
        cleanups.append { try await cloud.call("DELETE", "nova", "/flavors/roomy") }
        let ssh = try BannerListener("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", anyAddress: true)
        defer { ssh.stop() }

        let before = try await servers(cloud)
        let refused = await smokeTest(cloud).run(options(flavor: "m1.tiny", image: "needs-5gb", sshPort: ssh.port), created: { _ in }, deleted: { _ in })
        XCTAssertTrue(
            refused.contains { $0.severity == .failure && $0.observed.contains("m1.tiny has 512 MB of RAM and 1 GB of disk") && $0.observed.contains("Nova would refuse it") },
            "\(refused)")
        let after = try await servers(cloud)
        XCTAssertEqual(after, before, "nothing was booted for it")

        let passed = await smokeTest(cloud).run(options(image: "needs-5gb", sshPort: ssh.port), created: { _ in }, deleted: { _ in })
        XCTAssertTrue(passed.contains { $0.target == "choice" && $0.observed.contains("flavor m1.roomy") }, "\(passed)")
        XCTAssertFalse(passed.contains { $0.severity == .failure }, "\(passed)")
        let left = try await cloud.settledLeftovers()
        XCTAssertEqual(left, [])
    }
}
