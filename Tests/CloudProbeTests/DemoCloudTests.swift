import CloudProbe
import DemoCloud
import Foundation
import StepEngine
import TestSupport
import Wizard
import XCTest

/// The demo cloud answers the wizard's checks as the real services do: `check` passes against it, and the atmoadmin
/// step finds or creates its account there.
final class DemoCloudTests: XCTestCase {
    let binary = TestPaths.executable("atmo-connect")

    func testCheckPassesAgainstTheDemoCloud() throws {
        let password = "demo-" + UUID().uuidString
        let demo = try DemoCloud(directory: TestPaths.scratch("demo"), adminPassword: password)
        defer { demo.shutdown() }
        let arguments =
            [binary, "check", "--openrc", demo.directory + "/admin-openrc", "--cacert", demo.caBundle, "--json"]
            + demo.resolve.flatMap { ["--resolve", $0] }
        let run = ChildProcess.run(arguments, environment: ["OS_PASSWORD": password])
        XCTAssertEqual(run.status, 0, run.output)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], run.output)
        XCTAssertEqual(json["worst"] as? String, "ok", run.output)
        XCTAssertTrue(run.output.contains("40 free of 41 addresses (Neutron's IP availability)"), run.output)
        XCTAssertFalse(run.output.contains(password))

        let wrong = ChildProcess.run(arguments, environment: ["OS_PASSWORD": "not-the-password"])
        XCTAssertEqual(wrong.status, 3, "Keystone refusing: could not check. \(wrong.output)")
        XCTAssertTrue(wrong.output.contains("refused the credentials"), wrong.output)
    }

    func testAtmoadminOnTheDemoCloud() async throws {
        let password = "demo-" + UUID().uuidString
        let demo = try DemoCloud(directory: TestPaths.scratch("demo"), adminPassword: password)
        defer { demo.shutdown() }
        let catalog = try WizardCatalog.load()
        let store = try StateStore(directory: StateDirectory(path: TestPaths.scratch("demo-state") + "/state"))
        let engine = Engine(store: store, plan: catalog.plan, session: try store.createSession(named: "demo"))
        try engine.setAnswers([
            Answer(key: "cloud.openrc_path", value: .text(demo.directory + "/admin-openrc"), source: .typed),
            Answer(key: "cloud.cacert", value: .text(demo.caBundle), source: .typed),
            Answer(key: "cloud.resolve", value: .list(demo.resolve), source: .typed),
        ])
        try engine.setSecret(SecretValue(password), for: "cloud.password")
        try engine.setSecret(SecretValue("atmoadmin-" + UUID().uuidString), for: "atmoadmin.password")
        let screen = try XCTUnwrap(catalog.screen("atmoadmin"))
        guard case .needsConsent = try await StepExecution.execute(screen, engine: engine, catalog: catalog) else { return XCTFail("a yes first") }
        guard case let .finished(made) = try await StepExecution.execute(screen, engine: engine, catalog: catalog, consent: true) else {
            return XCTFail()
        }
        XCTAssertEqual(made.outcome, .passed, "\(made.findings)")
        XCTAssertTrue(made.findings.contains { $0.checkID == "keystone.atmoadmin-login" && $0.observed.contains("roles: admin") }, "\(made.findings)")
        guard case let .finished(again) = try await StepExecution.execute(screen, engine: engine, catalog: catalog) else {
            return XCTFail("no question")
        }
        XCTAssertEqual(
            again.findings.filter { $0.checkID == "keystone.atmoadmin" }.map { String($0.observed.prefix(6)) }, ["exists", "exists", "alread"])
    }
}
