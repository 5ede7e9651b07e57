import AtmoModel
import CloudProbe
import DemoCloud
import Foundation
import StepEngine
import TestSupport
import XCTest

/// Each fault scenario of the demo cloud makes `atmo-connect check` report the right finding.
final class DemoScenarioTests: XCTestCase {
    let binary = TestPaths.executable("atmo-connect")

    func check(_ scenario: String, extra: (DemoCloud) -> [String] = { _ in [] }) throws -> (status: Int32, findings: [[String: String]], output: String) {
        let password = "demo-" + UUID().uuidString
        let demo = try DemoCloud(directory: TestPaths.scratch("scenario"), adminPassword: password, scenario: try DemoScenario.named(scenario))
        defer { demo.shutdown() }
        let run = ChildProcess.run(
            [binary, "check", "--openrc", demo.directory + "/admin-openrc", "--cacert", demo.caBundle, "--json"]
                + demo.resolve.flatMap { ["--resolve", $0] } + extra(demo), environment: ["OS_PASSWORD": password])
        let json = (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]) ?? [:]
        return (run.status, (json["findings"] as? [[String: String]] ?? []).filter { $0["severity"] == "failure" }, run.output)
    }

    /// A plain-http endpoint the operator names for a test cloud is a warning that says credentials go in clear, and its
    /// inventory is checked over it; unnamed, it is a failure and nothing is sent.
    func testAnAllowedHTTPEndpointIsAWarningNotAFailure() throws {
        let allowed = try check("plain-http-glance") { ["--allow-http", "http://glance.demo.test:\($0.ports["image"] ?? 0)"] }
        XCTAssertEqual(allowed.status, 1, "warnings only: \(allowed.output)")
        XCTAssertTrue(allowed.output.contains("plain http, allowed for a test cloud: credentials go to it in clear"), allowed.output)
        XCTAssertTrue(allowed.findings.isEmpty, "\(allowed.findings)")
    }

    /// check says which protocol each endpoint negotiated, as the wizard's TLS step does: below TLS 1.2 is a warning.
    func testCheckWarnsBelowTLS12() throws {
        let scenario = TestPaths.scratch("old-tls") + "/old-tls.yaml"
        try "name: old-tls\nendpoints: {volumev3: tls-1.1, image: tls-1.2}\n".write(toFile: scenario, atomically: true, encoding: .utf8)
        let result = try check(scenario)
        XCTAssertTrue(result.output.contains("negotiates TLSv1.2\""), result.output)
        XCTAssertTrue(
            result.output.contains("offers only TLS below 1.2") || result.output.contains("negotiates TLSv1.1, below TLS 1.2"),
            "cinder at TLS 1.1: \(result.output)")
        XCTAssertTrue(result.output.contains("\"check\" : \"tls.protocol\""), result.output)
    }

    func testEachFaultScenarioFailsTheRightCheckWithTheRightFinding() throws {
        let expected: [(String, String, String)] = [
            ("plain-http-glance", "catalog.endpoints", "plain http"),
            ("ip-literal-nova", "catalog.endpoints", "an IP address (127.0.0.1)"),
            ("expired-neutron", "tls.endpoints", "expired"),
            ("self-signed-cinder", "tls.endpoints", "self-signed"),
            ("wrong-host-glance", "tls.endpoints", "glance.demo.test"),
            ("glance-500", "cloud.inventory", "500"),
            ("no-image", "cloud.inventory", "no active image"),
            ("no-external-network", "neutron.external-network", "external"),
            ("no-free-floating-ips", "neutron.external-network", "0 free of 41 addresses"),
        ]
        for (scenario, checkID, words) in expected {
            let result = try check(scenario)
            XCTAssertEqual(result.status, 2, "\(scenario): failures\n\(result.output)")
            XCTAssertTrue(
                result.findings.contains { $0["check"] == checkID && ($0["observed"] ?? "").contains(words) },
                "\(scenario): a \(checkID) failure saying \(words):\n\(result.findings)")
        }
        XCTAssertEqual(try check("clean").status, 0)
        // A slow Glance: the checks wait for it (within their timeouts) and still pass, and the wait is real (2 s of the
        // cloud's time, which the test run shrinks).
        let started = Date()
        XCTAssertEqual(try check("slow-glance").status, 0)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), Timescale.fromEnvironment().seconds(2))
    }

    func testScenarioFilesAreStrict() throws {
        let path = TestPaths.scratch("scenario-file") + "/mine.yaml"
        try "name: mine\nendpoints: {image: expired}\nfaults: [no-ssh]\n".write(toFile: path, atomically: true, encoding: .utf8)
        let mine = try DemoScenario.named(path)
        XCTAssertEqual(mine.name, "mine")
        XCTAssertEqual(mine.endpoints, ["image": .expired])
        XCTAssertTrue(mine.faults.noSSH)
        XCTAssertThrowsError(try DemoScenario.parse("endpoints: {glance: expired}\n", source: "a")) { error in
            XCTAssertEqual((error as? DemoScenarioError)?.problem, "endpoints: no service glance (identity, compute, image, network, volumev3)")
        }
        XCTAssertThrowsError(try DemoScenario.parse("faults: [slow]\n", source: "a"))
        XCTAssertThrowsError(try DemoScenario.parse("fault: [no-ssh]\n", source: "a"))
    }
}
