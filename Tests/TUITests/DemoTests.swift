import Foundation
import TestSupport
import XCTest

/// `atmo-connect demo` in tmux: the demo cloud starts, the wizard opens on it, and its prerequisites pass against it.
final class DemoTests: XCTestCase {
    let binary = TestPaths.executable("atmo-connect")

    func testDemoReachesTheFirstScreenQuicklyAndItsCloudChecksPass() throws {
        let state = TestPaths.scratch("demo-tui") + "/state"
        let started = Date()
        let tmux = TmuxSession(command: "env TERM=tmux-256color LANG=C.UTF-8 \(binary) demo --state-dir \(state); echo EXIT=$?; sleep 60")
        defer { tmux.close() }
        XCTAssertTrue(tmux.waitFor("session demo · step 1 of 15", timeout: 5), tmux.screen())
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "the first screen within 5 seconds")
        tmux.press("Enter")
        tmux.press("Enter")
        XCTAssertTrue(tmux.waitFor("step 2 of 15"), tmux.screen())
        // Through the fields to the run button: Enter confirms each field and moves on.
        for _ in 0..<12 { tmux.press("Enter") }
        // The cloud checks and the Atmosphere sandbox pass: the step is done and the next one opens.
        XCTAssertTrue(tmux.waitFor("step 3 of 15", timeout: 30), tmux.screen())
        XCTAssertTrue(tmux.screen().contains("✔*Prerequisites"), tmux.screen())
        tmux.press("F2")
        XCTAssertTrue(tmux.waitFor("40 free of 41 addresses"), "the log has the checks' findings: \(tmux.screen())")
        tmux.press("Escape")
        tmux.press("F10")
        tmux.press("Enter")
        XCTAssertTrue(tmux.waitFor("EXIT=0"), tmux.screen())
        XCTAssertTrue(FileManager.default.fileExists(atPath: state + "/state.db"), "the session is kept where --state-dir says")
    }

    /// Without --state-dir, nothing of the demo stays behind: not the cloud's folder (CA, openrc, sandbox, provider JSON),
    /// not its output, not the temporary state.
    func testTheDemoLeavesNothingBehind() throws {
        let temporary = TestPaths.scratch("demo-tmp")
        let tmux = TmuxSession(command: "env TMPDIR=\(temporary)/ TERM=tmux-256color LANG=C.UTF-8 \(binary) demo; echo EXIT=$?; sleep 60")
        defer { tmux.close() }
        XCTAssertTrue(tmux.waitFor("session demo · step 1 of 15", timeout: 10), tmux.screen())
        XCTAssertFalse(
            try FileManager.default.contentsOfDirectory(atPath: temporary).filter { $0.hasPrefix("atmo-connect-demo") }.isEmpty,
            "the demo works in the temporary folder")
        tmux.press("F10")
        tmux.press("Enter")
        XCTAssertTrue(tmux.waitFor("EXIT=0"), tmux.screen())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temporary).filter { $0.hasPrefix("atmo-connect-demo") }, [])
    }

    func testTheCleanDemoCanBeWalkedToTheFinalReport() throws {
        let state = TestPaths.scratch("demo-walk") + "/state"
        let tmux = TmuxSession(
            command: "env TERM=tmux-256color LANG=C.UTF-8 \(binary) demo --state-dir \(state); echo EXIT=$?; sleep 60",
            columns: 120, rows: 40)
        defer { tmux.close() }
        XCTAssertTrue(tmux.waitFor("session demo · step 1 of 15", timeout: 5), tmux.screen())
        // Enter confirms each field, runs each step, says yes to each preview and closes the password box.
        let deadline = Date().addingTimeInterval(150)
        var screen = ""
        while Date() < deadline {
            screen = tmux.screen()
            // The final step warns without an Atmosphere API URL to check: that is its honest result here.
            if screen.contains("step 15 of 15"), screen.contains("Result: passed") || screen.contains("Result: warned") { break }
            if screen.contains("Result: failed") || screen.contains("Result: error") { break }
            tmux.press("Enter")
            usleep(250_000)
        }
        XCTAssertTrue(screen.contains("step 15 of 15") && screen.contains("Result: warned"), screen)
        XCTAssertTrue(screen.contains("atmo-connect-report.md: report written"), screen)
        XCTAssertTrue(screen.contains("no Atmosphere API URL or token given"), "the one warning: \(screen)")
        let status = ChildProcess.run([binary, "status", "--state-dir", state]).output
        XCTAssertNil(status.range(of: #"\*\s+(pending|failed|blocked)"#, options: .regularExpression), "every required step is done: \(status)")
    }
}
