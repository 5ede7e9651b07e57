import DemoCloud
import Foundation
import StepEngine
import TestSupport
import Wizard
import XCTest

/// The TLS screen's protocol check against real TLS servers on loopback: the demo cloud's endpoints, one of them
/// offering nothing newer than TLS 1.1 and one nothing newer than TLS 1.2.
final class TLSProtocolCheckTests: XCTestCase {
    func testEachEndpointSaysWhichProtocolItNegotiates() async throws {
        let lab = try DemoLabSession(
            "protocol", scenario: "name: old-tls\nendpoints: {volumev3: tls-1.1, image: tls-1.2}\n",
            extra: "tls.api_hostname: demo.test\n")
        defer { lab.cloud.shutdown() }
        let (catalog, engine) = (lab.catalog, lab.engine)

        let screen = try XCTUnwrap(catalog.screen("tls"))
        XCTAssertTrue(screen.checks.contains("tls.protocol"), "the TLS screen names the check")
        guard case let .finished(result) = try await StepExecution.execute(screen, engine: engine, catalog: catalog) else {
            return XCTFail("the checks run")
        }
        let protocols = result.findings.filter { $0.checkID == "tls.protocol" }
        let byHost = Dictionary(
            protocols.map { ($0.target.split(separator: ":").first.map(String.init) ?? $0.target, $0) }, uniquingKeysWith: { first, _ in first })
        XCTAssertEqual(protocols.count, 5, "one finding per endpoint host and port: \(protocols)")
        for host in ["keystone", "nova", "neutron"] {
            let finding = try XCTUnwrap(byHost.first { $0.key.hasPrefix(host) }?.value, "\(host): \(protocols)")
            XCTAssertEqual(finding.severity, .ok, "\(finding)")
            XCTAssertEqual(finding.observed, "negotiates TLSv1.3")
        }
        let image = try XCTUnwrap(byHost.first { $0.key.hasPrefix("glance") }?.value, "\(protocols)")
        XCTAssertEqual(image.severity, .ok)
        XCTAssertEqual(image.observed, "negotiates TLSv1.2")
        let volume = try XCTUnwrap(byHost.first { $0.key.hasPrefix("cinder") }?.value, "\(result.findings.filter { $0.target.contains("cinder") })")
        XCTAssertEqual(volume.severity, .failure, "\(volume)")
        XCTAssertTrue(volume.observed.hasPrefix("offers only TLS below 1.2, which this host refuses"), volume.observed)
        XCTAssertTrue(volume.remedy.contains("ssl-min-ver TLSv1.2"), volume.remedy)
        XCTAssertEqual(result.outcome, .failed, "a refused handshake fails the step")
    }
}
