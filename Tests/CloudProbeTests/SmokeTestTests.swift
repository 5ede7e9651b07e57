import CloudProbe
import DemoCloud
import Foundation
import StepEngine
import TestSupport
import Wizard
import XCTest

/// The smoke test against the demo cloud: the success path, a failure at each stage (everything made is removed), and
/// kill -9 in the middle followed by a resume that removes exactly what was made.
final class SmokeTestTests: XCTestCase {
    let binary = TestPaths.executable("atmo-connect")

    func start() throws -> (DemoCloud, String) {
        let password = "demo-" + UUID().uuidString
        return (try DemoCloud(directory: TestPaths.scratch("smoke-demo"), adminPassword: password), password)
    }

    func engine(_ demo: DemoCloud, _ password: String) throws -> (Engine, WizardCatalog) {
        let catalog = try WizardCatalog.load()
        let store = try StateStore(directory: StateDirectory(path: TestPaths.scratch("smoke-state") + "/state"))
        let engine = Engine(store: store, plan: catalog.plan, session: try store.createSession(named: "smoke"))
        try engine.setAnswers([
            Answer(key: "cloud.openrc_path", value: .text(demo.directory + "/admin-openrc"), source: .typed),
            Answer(key: "cloud.cacert", value: .text(demo.caBundle), source: .typed),
            Answer(key: "cloud.resolve", value: .list(demo.resolve), source: .typed),
            Answer(key: "smoke.ssh_port", value: .integer(demo.sshPort), source: .typed),
            Answer(key: "smoke.timeout_seconds", value: .integer(30), source: .typed),
        ])
        try engine.setSecret(SecretValue(password), for: "cloud.password")
        return (engine, catalog)
    }

    func testTheSmokeTestRunsEveryStageAndRemovesEverything() async throws {
        let (demo, password) = try start()
        defer { demo.shutdown() }
        let (engine, catalog) = try engine(demo, password)
        let screen = try XCTUnwrap(catalog.screen("exercise-cloud"))
        guard case let .needsConsent(plan) = try await StepExecution.execute(screen, engine: engine, catalog: catalog) else {
            return XCTFail("a yes first")
        }
        XCTAssertTrue(plan.previewLines.contains { $0.contains("a 1 GiB volume, attached to the server") }, "\(plan.previewLines)")
        XCTAssertEqual(demo.serversCreated, 0, "nothing made before the yes")
        guard case let .finished(result) = try await StepExecution.execute(screen, engine: engine, catalog: catalog, consent: true) else {
            return XCTFail()
        }
        XCTAssertEqual(result.outcome, .passed, "\(result.findings)")
        let targets = result.findings.map(\.target)
        XCTAssertEqual(Array(targets.prefix(5)), ["choice", "server", "ssh", "volume", targets[4]], "\(result.findings)")
        XCTAssertTrue(result.findings.contains { $0.target == "ssh" && $0.observed.contains(":\(demo.sshPort) answers") }, "\(result.findings)")
        XCTAssertEqual(
            result.findings.filter { $0.observed == "removed" }.map { String($0.target.split(separator: " ")[0]) },
            ["attachment", "volume", "floatingip", "server"])
        XCTAssertTrue(demo.resourceCounts == (0, 0, 0), "\(demo.resourceCounts)")
        let created = try engine.store.events(session: engine.session.id, kind: .cloudCreated, step: "exercise-cloud").map(\.detail)
        let removed = try engine.store.events(session: engine.session.id, kind: .cloudDeleted, step: "exercise-cloud").map(\.detail)
        XCTAssertEqual(created.count, 4)
        XCTAssertEqual(Set(created), Set(removed), "every creation has its removal in the state database")
    }

    func testAFailureAtEachStageRemovesWhatWasMade() async throws {
        let (demo, password) = try start()
        defer { demo.shutdown() }
        let (engine, catalog) = try engine(demo, password)
        try engine.setAnswers([Answer(key: "smoke.timeout_seconds", value: .integer(30), source: .typed)])
        let screen = try XCTUnwrap(catalog.screen("exercise-cloud"))
        var faults = DemoFaults()
        faults.serverError = true
        demo.set(faults: faults)
        let error = try await runConsented(screen, engine, catalog)
        XCTAssertTrue(error.findings.contains { $0.observed.contains("went to ERROR: No valid host was found") }, "\(error.findings)")
        XCTAssertEqual(error.findings.filter { $0.observed == "removed" }.map { String($0.target.prefix(6)) }, ["server"])

        faults = DemoFaults()
        faults.noFreeFloatingIPs = true
        demo.set(faults: faults)
        let pool = try await runConsented(screen, engine, catalog)
        XCTAssertTrue(pool.findings.contains { $0.observed.contains("HTTP 409: No more IP addresses available") }, "\(pool.findings)")

        faults = DemoFaults()
        faults.volumeError = true
        demo.set(faults: faults)
        let volume = try await runConsented(screen, engine, catalog)
        XCTAssertTrue(volume.findings.contains { $0.observed.contains("went to error") }, "\(volume.findings)")
        XCTAssertEqual(
            volume.findings.filter { $0.observed == "removed" }.map { String($0.target.split(separator: " ")[0]) },
            ["volume", "floatingip", "server"])

        faults = DemoFaults()
        faults.noSSH = true
        demo.set(faults: faults)
        try engine.setAnswers([Answer(key: "smoke.timeout_seconds", value: .integer(30), source: .typed)])
        let started = Date()
        // Below the screen's 30 s minimum, for the test's sake: the test itself, with a 3 s stage limit.
        let ssh = await (try await direct(demo, password)).run(
            SmokeTest.Options(image: nil, flavor: nil, network: nil, timeout: 3, sshPort: demo.sshPort),
            created: { _ in }, deleted: { _ in })
        XCTAssertLessThan(Date().timeIntervalSince(started), 20)
        XCTAssertTrue(ssh.contains { $0.observed.contains("SSH at ") && $0.observed.contains(":\(demo.sshPort): not reached within 3 s") }, "\(ssh)")
        XCTAssertEqual(ssh.filter { $0.observed == "removed" }.count, 2, "the floating IP and the server")
        XCTAssertTrue(demo.resourceCounts == (0, 0, 0), "\(demo.resourceCounts)")

        // Something accepts at the floating IP and says nothing: no SSH server, whatever a connect says.
        faults = DemoFaults()
        faults.silentSSH = true
        demo.set(faults: faults)
        let silent = await (try await direct(demo, password)).run(
            SmokeTest.Options(image: nil, flavor: nil, network: nil, timeout: 3, sshPort: demo.sshPort),
            created: { _ in }, deleted: { _ in })
        XCTAssertTrue(
            silent.contains { $0.severity == .failure && $0.observed.contains("accepts connections but sends no SSH banner") }, "\(silent)")
        XCTAssertTrue(demo.resourceCounts == (0, 0, 0), "\(demo.resourceCounts)")
    }

    func direct(_ demo: DemoCloud, _ password: String) async throws -> SmokeTest {
        var credentials = try OpenrcParser.load(path: demo.directory + "/admin-openrc")
        credentials.secret = SecretValue(password)
        let client = HTTPClient(configuration: .init(caBundle: demo.caBundle, resolve: demo.resolve))
        return SmokeTest(api: OpenStackAPI(client: client, session: try await KeystoneClient(client: client).authenticate(credentials)), region: nil)
    }

    /// Runs the step with a yes and expects it to fail.
    func runConsented(_ screen: Screen, _ engine: Engine, _ catalog: WizardCatalog) async throws -> StepResult {
        guard case let .finished(result) = try await StepExecution.execute(screen, engine: engine, catalog: catalog, consent: true) else {
            XCTFail("with a yes it runs")
            throw XCTSkip()
        }
        XCTAssertEqual(result.outcome, .failed, "\(result.findings)")
        return result
    }
}

/// kill -9 while the server boots, then a resume: the server the killed run made is removed, then the test runs again.
extension SmokeTestTests {
    func testKillDuringTheSmokeTestThenResumeRemovesExactlyWhatWasMade() throws {
        let lab = try DemoApplyTests.makeLab()
        defer { lab.demo.shutdown() }
        let (demo, password, state, answers) = (lab.demo, lab.password, lab.state, lab.answers)
        demo.set(buildSeconds: 30)
        let arguments = [binary, "apply", "--answers", answers, "--state-dir", state, "--until", "exercise-cloud"]
        let first = ChildProcess.start(arguments, environment: lab.environment)
        let deadline = Date().addingTimeInterval(60)
        while demo.serversCreated == 0, Date() < deadline { usleep(50_000) }
        XCTAssertEqual(demo.serversCreated, 1, first.output)
        usleep(500_000)
        kill(first.pid, SIGKILL)
        XCTAssertEqual(first.wait().signal, SIGKILL)
        XCTAssertEqual(demo.resourceCounts.servers, 1, "the killed run left its server behind")

        demo.set(buildSeconds: 1)
        let resumed = ChildProcess.run(arguments, environment: lab.environment)
        XCTAssertEqual(resumed.status, 0, resumed.output)
        XCTAssertNotNil(
            resumed.output.range(of: #"ok\s+cloud.smoke-test: server \S+: removed \(left by an interrupted run\)"#, options: .regularExpression),
            resumed.output)
        XCTAssertEqual(demo.serversCreated, 2, "one server removed, one made and removed by the new run")
        XCTAssertTrue(demo.resourceCounts == (0, 0, 0), "\(demo.resourceCounts)")
        XCTAssertFalse(resumed.output.contains(password))
        XCTAssertNil(TestPaths.bytes(ofDatabase: state + "/state.db").range(of: Data(password.utf8)))
    }
}
