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
        XCTAssertTrue(tmux.waitFor("Result:", timeout: 30), tmux.screen())
        let screen = tmux.screen()
        XCTAssertTrue(screen.contains("external network public: 40 free of 41 addresses"), screen)
        XCTAssertTrue(screen.contains("1 failure(s)") && screen.contains("no Atmosphere checkout on this server"),
                      "only the Atmosphere checkout is missing (no sandbox tree yet): \(screen)")
        tmux.press("F10")
        tmux.press("Enter")
        XCTAssertTrue(tmux.waitFor("EXIT=0"), tmux.screen())
        XCTAssertTrue(FileManager.default.fileExists(atPath: state + "/state.db"), "the session is kept where --state-dir says")
    }
}
