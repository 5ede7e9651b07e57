import Foundation
import StepEngine
import TerminalUI
import TestSupport
import Wizard
import WizardTUI
import XCTest

/// The runner with a real state file and the headless terminal: effects reach the engine and come back.
final class TUIAppTests: XCTestCase {
    let screens = [
        (
            name: "1.yaml",
            text: "id: first\ntitle: First\nrequired: true\ntext: t\ninputs:\n  - {key: first.name, label: Name, type: text, help: h}\n"
        ),
        (
            name: "2.yaml",
            text:
                "id: second\ntitle: Second\nrequired: true\ntext: t\ninputs:\n  - {key: second.name, label: Other, type: text, help: h, default: d}\ndepends_on: [first]\n"
        ),
        (name: "3.yaml", text: "id: third\ntitle: Third\nrequired: false\ntext: t\nchecks: [later.check]\ndepends_on: [second]\n"),
    ]

    func makeApp() throws -> (TUIApp, StateStore, HeadlessTerminal) {
        let registry = CapabilityRegistry([
            Capability(id: "later.check", kind: .check, title: "Later", availability: .notYetAvailable("a later part"))
        ])
        let catalog = try WizardCatalog(screens: try ScreenLoader.load(files: screens), registry: registry)
        let store = try StateStore(directory: StateDirectory(path: TestPaths.scratch("app")))
        try store.createSession(named: "lab")
        let terminal = HeadlessTerminal(rows: 24, columns: 80)
        return (try TUIApp(terminal: terminal, catalog: catalog, store: store, frameTracePath: nil), store, terminal)
    }

    func press(_ app: TUIApp, _ keys: KeyEvent...) {
        for key in keys {
            app.dispatch(.key(key))
            app.settle()
        }
    }

    /// Ctrl-Z reaches the terminal as a suspension (the real one stops the process there), with the field and the step
    /// as they were when it comes back.
    func testCtrlZSuspendsThroughTheTerminalAndChangesNothing() throws {
        let (app, _, terminal) = try makeApp()
        press(app, .character("x"))
        let before = app.state
        press(app, .control("z"))
        XCTAssertEqual(terminal.suspensions, 1)
        XCTAssertEqual(app.state, before, "nothing typed, nothing moved")
    }

    func testRunChangeWithStalePromptAndAnUnavailableStep() throws {
        let (app, store, terminal) = try makeApp()
        let session = try XCTUnwrap(store.session(named: "lab"))
        XCTAssertEqual(app.state.sessionName, "lab")
        press(app, .character("x"), .enter, .enter)
        wait(app) { $0.currentStep == "second" }
        XCTAssertEqual(app.state.steps.map(\.status), [.passed, .pending, .blocked])
        XCTAssertEqual(try store.answers(session: session.id ?? 0)["first.name"]?.value, .text("x"))
        XCTAssertEqual(try store.answers(session: session.id ?? 0)["second.name"]?.source, .default)

        press(app, .escape, .control("u"), .character("y"), .enter)
        XCTAssertEqual(app.state.overlay, .staleChange(key: "first.name", value: .text("y"), steps: ["first"], selected: 1))
        let size = terminal.size
        terminal.present(WizardView(catalog: app.reducer.catalog).render(app.state, rows: size.rows, columns: size.columns))
        XCTAssertTrue(terminal.screen?.text().contains("means these finished steps must run again") ?? false)
        press(app, .left, .enter)
        XCTAssertNil(app.state.overlay)
        XCTAssertEqual(app.state.steps.first?.status, .stale)
        XCTAssertEqual(try store.answers(session: session.id ?? 0)["first.name"]?.value, .text("y"))

        press(app, .enter)
        wait(app) { $0.steps.first?.status == .passed && $0.currentStep == "second" }
        press(app, .enter, .enter)
        wait(app) { $0.currentStep == "third" }
        press(app, .enter)
        wait(app) { $0.outcomes["third"] != nil }
        XCTAssertEqual(app.state.outcomes["third"]?.word, "not available")
        XCTAssertTrue(try store.attempts(session: session.id ?? 0, step: "third").isEmpty, "nothing is pretended")
        XCTAssertEqual(try store.session(named: "lab")?.openStep, "third")
    }

    /// A run started long after the last one is timed from when it starts: the clock was read only while a step ran,
    /// so the first run after 95 s on a form was cancelled at once as past its 90 s limit.
    func testARunStartedAfterAnIdleSpellIsTimedFromItsStart() throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        let screen = (name: "1.yaml", text: "id: only\ntitle: Only\nrequired: true\ntext: t\nchecks: [atmosphere.api-verify]\n")
        let registry = CapabilityRegistry([Capability(id: "atmosphere.api-verify", kind: .check, title: "API", availability: .available)])
        let catalog = try WizardCatalog(screens: try ScreenLoader.load(files: [screen]), registry: registry)
        let store = try StateStore(directory: StateDirectory(path: TestPaths.scratch("idle")))
        try store.createSession(named: "lab")
        let app = try TUIApp(
            terminal: HeadlessTerminal(rows: 24, columns: 80), catalog: catalog, store: store, frameTracePath: nil,
            clock: { clock.now })
        app.handle(.enter)
        wait(app) { $0.running == nil && $0.steps.first?.status == .warned }
        // Its only step done, the wizard shows its end screen; the operator closes it and stays.
        XCTAssertEqual(app.state.overlay, .endOfRun(offset: 0))
        app.handle(.escape)

        clock.now += 95
        app.handle(.enter)
        XCTAssertEqual(app.state.running?.startedAt, clock.now, "the run is timed from the key that started it")
        app.dispatch(.tick(clock.now + 1))
        XCTAssertFalse(app.state.log.contains { $0.contains("time limit") }, "\(app.state.log)")
        wait(app) { $0.running == nil }
        XCTAssertEqual(app.state.steps.first?.status, .warned, "the run ended by itself, not cancelled: \(app.state.log)")
    }
}

/// A clock a test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date

    init(_ start: Date) { value = start }

    var now: Date {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
