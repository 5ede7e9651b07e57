import DemoCloud
import Foundation
import TestSupport
import XCTest

/// One finding per endpoint, always: whatever else failed on an endpoint, every endpoint of the catalog is named in the
/// catalog step's list and in the TLS list of `check --json`, a fact has one severity wherever it is said, and an
/// IP-literal endpoint's fix is a host name, never its address added to the certificate.
final class EndpointCoverageTests: XCTestCase {
    let binary = TestPaths.executable("atmo-connect")

    func testEveryEndpointIsNamedWithOneSeverityPerFact() throws {
        for scenario in ["wrong-host-glance", "self-signed-cinder", "ip-literal-nova"] {
            let password = "coverage-" + UUID().uuidString
            let demo = try DemoCloud(directory: TestPaths.scratch("coverage"), adminPassword: password, scenario: try DemoScenario.named(scenario))
            defer { demo.shutdown() }
            let run = ChildProcess.run(
                [binary, "check", "--json", "--openrc", demo.directory + "/admin-openrc", "--cacert", demo.caBundle]
                    + demo.resolve.flatMap { ["--resolve", $0] },
                environment: ["OS_PASSWORD": password])
            let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], run.output)
            let findings = try XCTUnwrap(document["findings"] as? [[String: String]], run.stdout)
            func targets(_ check: String) -> [String] { findings.filter { $0["check"] == check }.compactMap { $0["target"] } }

            // Every public endpoint in the catalog step's list, and in the TLS list (with Keystone's admin endpoint).
            for service in ["keystone", "nova", "glance", "neutron", "cinderv3"] {
                XCTAssertTrue(targets("catalog.endpoints").contains { $0.hasPrefix("\(service) public ") }, "\(scenario): \(service) in the catalog's list")
                XCTAssertTrue(targets("tls.endpoints").contains { $0.hasPrefix("\(service) public ") }, "\(scenario): \(service) in the TLS list")
            }
            XCTAssertTrue(findings.filter { $0["check"] == "catalog.endpoints" }.allSatisfy { $0["step"] == "openstack-config" }, scenario)

            // One fact, one severity: an endpoint's certificate failure is a failure in both lists, never an ok beside it.
            for target in Set(targets("tls.endpoints")) {
                let said = findings.filter { $0["target"] == target && ["tls.endpoints", "catalog.endpoints"].contains($0["check"] ?? "") }
                if said.contains(where: { $0["check"] == "tls.endpoints" && $0["severity"] == "failure" }) {
                    XCTAssertTrue(said.allSatisfy { $0["severity"] == "failure" }, "\(scenario): \(said)")
                }
            }
            // A service whose call failed on TLS says so as a failure too (Cinder's volume types included).
            for finding in findings where (finding["observed"] ?? "").hasPrefix("TLS: ") {
                XCTAssertEqual(finding["severity"], "failure", "\(scenario): \(finding)")
            }
            // No IP SAN advice anywhere.
            XCTAssertFalse(run.stdout.contains("127.0.0.1 among its subject alternative names"), "\(scenario): \(run.stdout)")
        }
    }
}
