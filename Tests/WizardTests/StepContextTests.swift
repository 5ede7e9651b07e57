import DemoCloud
import Foundation
import StepEngine
import TestSupport
import Wizard
import XCTest

/// Fail closed: when the session's answers cannot be read, a step does nothing and says why; it never runs on the
/// code's own defaults (which would, for instance, boot a server with the wrong port or look at /opt/dev/atmosphere).
final class StepContextTests: XCTestCase {
    func testUnreadableAnswersStopAStepBeforeItActs() async throws {
        let password = "context-" + UUID().uuidString
        let cloud = try DemoCloud(directory: TestPaths.scratch("context-cloud"), adminPassword: password)
        defer { cloud.shutdown() }
        setenv("CONTEXT_LAB_PASSWORD", password, 1)
        let catalog = try WizardCatalog.load()
        let directory = TestPaths.scratch("context") + "/state"
        let store = try StateStore(directory: StateDirectory(path: directory))
        let engine = Engine(store: store, plan: catalog.plan, session: try store.createSession(named: "lab"))
        let file = try AnswersFile.parse(
            "session.name: lab\n" + LabAnswers.cloud(cloud, passwordVariable: "CONTEXT_LAB_PASSWORD") + "smoke.ssh_port: \(cloud.sshPort)\n",
            path: "a.yaml", inputs: catalog.plan.inputs, fileIsPrivate: false)
        let resolution = try AnswerResolution.resolve(catalog: catalog, file: file, stored: [:])
        for (key, secret) in resolution.secrets { try engine.setSecret(secret, for: key) }
        try engine.setAnswers(resolution.toStore)

        // The answers table goes (a damaged database, a wrong schema): reading what exists fails.
        let dropped = ChildProcess.run([
            "/usr/bin/python3", "-c", "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute('DROP TABLE answer')\nc.commit()",
            directory + "/state.db",
        ])
        XCTAssertEqual(dropped.status, 0, dropped.output)
        for step in ["exercise-cloud", "prerequisites", "atmoadmin", "inventory"] {
            let screen = try XCTUnwrap(catalog.screen(step))
            guard case let .finished(result) = try await StepExecution.execute(screen, engine: engine, catalog: catalog, consent: true) else {
                return XCTFail("\(step): it stops with a result")
            }
            XCTAssertEqual(result.outcome, .failed, step)
            XCTAssertEqual(result.findings.map(\.checkID), ["state.answers"], "\(step): \(result.findings)")
            XCTAssertTrue(result.findings.first?.observed.contains("the session's answers cannot be read") ?? false, "\(result.findings)")
        }
        XCTAssertEqual(cloud.serversCreated, 0, "nothing was booted on defaults")
    }
}
