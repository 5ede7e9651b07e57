import Foundation
import StepEngine
import TerminalUI
import TestSupport
import Wizard
import WizardTUI
import XCTest

/// Answers the wizard works out, and previews written to a file, through the runner with a real state file.
extension TUIAppTests {
    /// The whole catalog, a session "lab" open at `step`.
    func makeFullApp(at step: String) throws -> (TUIApp, StateStore, Engine) {
        let catalog = try WizardCatalog.load()
        let store = try StateStore(directory: StateDirectory(path: TestPaths.scratch("answers-app")))
        let session = try store.createSession(named: "lab")
        let engine = Engine(store: store, plan: catalog.plan, session: session)
        try engine.setAnswers([Answer(key: "session.name", value: .text("lab"), source: .typed)])
        try store.setOpenStep(step, session: session.id ?? 0)
        let app = try TUIApp(terminal: HeadlessTerminal(rows: 24, columns: 80), catalog: catalog, store: store, frameTracePath: nil)
        return (app, store, engine)
    }

    /// A derived answer is marked; once the operator overwrites it, Ctrl-R brings the worked-out value back.
    func testCtrlRRestoresTheWorkedOutAnswer() throws {
        let (app, _, engine) = try makeFullApp(at: "provider")
        app.dispatch(.key(.enter))  // resume at the open step
        XCTAssertEqual(app.state.currentStep, "provider")
        XCTAssertEqual(app.state.values["provider.name"], .text("lab"), "worked out from the session's name")
        XCTAssertEqual(app.state.sources["provider.name"], .derived)
        let index = try XCTUnwrap(app.state.fields.firstIndex { $0.input.key == "provider.name" })
        XCTAssertEqual(app.state.focus, .field(index))
        XCTAssertTrue(WizardView(catalog: try WizardCatalog.load()).helpLine(app.state.fields[index].input, app.state).hasPrefix("(worked out"))
        app.handle(.control("r"))
        app.settle()
        XCTAssertEqual(try engine.storedAnswers()["provider.name"]?.source, .derived, "nothing to restore: unchanged")

        app.handle(.control("u"))
        for character in "other" { app.handle(.character(character)) }
        app.handle(.tab)
        app.handle(.backTab)
        app.settle()
        XCTAssertEqual(try engine.storedAnswers()["provider.name"]?.value, .text("other"))
        XCTAssertEqual(try engine.storedAnswers()["provider.name"]?.source, .typed)
        XCTAssertTrue(app.reducer.isRestorable(app.state.fields[index].input, app.state))
        app.handle(.control("r"))
        app.settle()
        XCTAssertEqual(try engine.storedAnswers()["provider.name"]?.value, .text("lab"))
        XCTAssertEqual(try engine.storedAnswers()["provider.name"]?.source, .derived)
        XCTAssertEqual(app.state.fields[index].editor.text, "lab", "the field shows it again")
    }

    /// Ctrl-S in a preview writes it, exactly as shown (tabs and whole lines), to a 0600 file whose path the box shows.
    func testAPreviewIsWrittenToAFileExactly() throws {
        let (app, store, _) = try makeFullApp(at: "dns")
        app.dispatch(.key(.enter))
        let lines = ["vm113-10.demo.test.\tIN\tA\t127.0.113.10", "openstack endpoint set --url " + String(repeating: "https://keystone.demo.test:5000/v3/", count: 4)]
        app.dispatch(.actionPlanned(step: "dns", preview: lines))
        app.handle(.control("s"))
        app.settle()
        let path = try XCTUnwrap(app.state.savedPreview)
        XCTAssertTrue(path.hasPrefix(store.directory.path + "/previews/dns-"), path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), lines.joined(separator: "\n") + "\n")
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        XCTAssertEqual(mode, 0o600)
        if case .actionPreview = app.state.overlay {} else { XCTFail("the preview stays open: \(String(describing: app.state.overlay))") }
        let view = WizardView(catalog: try WizardCatalog.load())
        let text = view.render(app.state, rows: 24, columns: 80).text()
        XCTAssertTrue(text.contains("Written, exactly as shown, to"), text)
        XCTAssertTrue(text.contains("vm113-10.demo.test.     IN      A       127.0.113.10"), "tabs expanded to 8-column stops: \(text)")
    }
}
