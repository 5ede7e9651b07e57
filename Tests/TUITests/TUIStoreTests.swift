import Foundation
import StepEngine
import TerminalUI
import TestSupport
import Wizard
import WizardTUI
import XCTest

/// The TUI's state database work runs off the drawing thread, checked against a database another process holds.
final class TUIStoreTests: XCTestCase {
    /// The state database is written off the thread that draws and reads keys: while another process holds it locked
    /// (a backup, a slow disk), a key that saves an answer returns at once and the screen goes on; the answer is saved
    /// once the lock goes.
    func testALockedDatabaseDoesNotFreezeTheScreen() throws {
        let screen = (name: "1.yaml", text: "id: first\ntitle: First\nrequired: true\ntext: t\ninputs:\n  - {key: first.name, label: Name, type: text, help: h}\n")
        let catalog = try WizardCatalog(screens: try ScreenLoader.load(files: [screen]))
        let store = try StateStore(directory: StateDirectory(path: TestPaths.scratch("locked-app")))
        try store.createSession(named: "lab")
        let app = try TUIApp(terminal: HeadlessTerminal(rows: 24, columns: 80), catalog: catalog, store: store, frameTracePath: nil)
        let session = try XCTUnwrap(store.session(named: "lab"))
        let ready = TestPaths.scratch("locker") + "/locked"
        // Another process takes the write lock and keeps it for 2 s.
        let locker = ChildProcess.start([
            "/usr/bin/python3", "-c",
            "import sqlite3, sys, time\nc = sqlite3.connect(sys.argv[1], isolation_level=None)\nc.execute('BEGIN EXCLUSIVE')\nopen(sys.argv[2], 'w').close()\ntime.sleep(2)\nc.execute('COMMIT')",
            store.directory.databasePath, ready,
        ])
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: ready) && Date() < deadline { usleep(10_000) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: ready), "the other process holds the lock")

        let started = Date()
        app.dispatch(.key(.character("x")))
        app.dispatch(.key(.enter))
        let took = Date().timeIntervalSince(started)
        XCTAssertLessThan(took, 0.5, "the keys were handled without waiting for the database")
        XCTAssertNil(try? store.answers(session: session.id ?? 0)["first.name"], "not saved while the lock is held")

        app.settle()
        _ = locker.wait()
        XCTAssertEqual(try store.answers(session: session.id ?? 0)["first.name"]?.value, .text("x"), "saved once the lock went")
    }
}
