import DemoCloud
import Foundation
import StepEngine
import TerminalUI
import TestSupport
import Wizard
import WizardTUI
import XCTest

/// The accounts step run from the wizard against upstream's add_new_accounts.py: each user's line shows as the script
/// reports it, under the running step and in the log, before the step ends.
final class TUIProgressTests: XCTestCase {
    func testTheAccountsStepShowsEachUserAsTheScriptReportsIt() async throws {
        let password = "tui-progress-" + UUID().uuidString
        let cloud = try DemoCloud(directory: TestPaths.scratch("tui-progress-cloud"), adminPassword: password)
        defer { cloud.shutdown() }
        setenv("TUI_PROGRESS_PASSWORD", password, 1)
        let tree = try AtmosphereTree.make(.final, cloud: cloud)
        let users = (1...12).map { String(format: "member%02d", $0) }
        let catalog = try WizardCatalog.load()
        let store = try StateStore(directory: StateDirectory(path: TestPaths.scratch("tui-progress") + "/state"))
        let session = try store.createSession(named: "lab")
        let answers = """
            session.name: lab
            \(LabAnswers.atmosphere(tree))\(LabAnswers.cloud(cloud, passwordVariable: "TUI_PROGRESS_PASSWORD"))provider.public_routers: [public_router]
            provider.json_path: \(tree)/provider.json
            accounts.users: [\(users.joined(separator: ", "))]

            """
        let file = try AnswersFile.parse(answers, path: "a.yaml", inputs: catalog.plan.inputs, fileIsPrivate: false)
        let engine = try OpenedSession(session, store: store, catalog: catalog, file: file, event: .answersApplied).engine
        guard case let .finished(provider) = try await StepExecution.execute(try XCTUnwrap(catalog.screen("provider")), engine: engine, catalog: catalog, consent: true)
        else { return XCTFail("the provider step runs to its end with a yes") }
        XCTAssertEqual(provider.outcome, .passed, "\(provider.findings)")
        try store.setOpenStep("accounts", session: session.id ?? 0)

        // The wizard on the same state, as a restart would open it: resume at the accounts step, F5, run anyway, yes to
        // the preview.
        let app = try TUIApp(terminal: HeadlessTerminal(rows: 24, columns: 80), catalog: catalog, store: store, frameTracePath: nil)
        app.settle()
        XCTAssertEqual(app.state.overlay, .resumeOffer(session: "lab", step: "accounts", selected: 0))
        app.handle(.enter)
        XCTAssertEqual(app.state.currentStep, "accounts")
        app.handle(.function(5))
        // The steps before the provider were never run in this lab: the wizard asks, and the operator runs it anyway.
        wait(app) { state in if case .confirmBlocked(step: "accounts", _, _) = state.overlay { true } else { false } }
        app.handle(.left)
        app.handle(.enter)
        wait(app, seconds: 20) { state in if case .actionPreview = state.overlay { true } else { false } }
        app.handle(.enter)
        var seen: Set<String> = []
        let deadline = Date().addingTimeInterval(120)
        while app.state.outcomes["accounts"] == nil, Date() < deadline {
            app.processPendingEvents()
            if let line = app.state.running?.waitingOn, line.hasPrefix("user ") { seen.insert(line) }
            usleep(2_000)
        }
        app.settle()
        XCTAssertEqual(app.state.outcomes["accounts"]?.word, "passed", "\(app.state.log)")
        XCTAssertGreaterThan(seen.count, 1, "lines under the running step as it went: \(seen)")
        let logged = app.state.log.filter { $0.hasPrefix("accounts: user ") }
        XCTAssertEqual(logged.count, users.count, "a line a user in the log: \(app.state.log)")
        XCTAssertTrue(logged.first?.hasPrefix("accounts: user 1 of 12: member01: 1 new identities") ?? false, "\(logged)")
        XCTAssertTrue(logged.last?.hasPrefix("accounts: user 12 of 12: member12: ") ?? false, "\(logged)")
    }
}
