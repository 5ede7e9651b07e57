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
        // The cloud checks and the Atmosphere sandbox pass; what they found stays in view until the operator moves on.
        XCTAssertTrue(tmux.waitFor("Result: passed", timeout: 30), tmux.screen())
        XCTAssertTrue(tmux.waitFor("✔*Prerequisites"), tmux.screen())
        Thread.sleep(forTimeInterval: 1)
        XCTAssertTrue(tmux.screen().contains("step 2 of 15"), "still on the step, a second later: \(tmux.screen())")
        XCTAssertTrue(tmux.screen().contains("✔ ok"), "its findings are on screen: \(tmux.screen())")
        XCTAssertTrue(tmux.screen().contains("< Next step >"), tmux.screen())
        tmux.press("Enter")
        XCTAssertTrue(tmux.waitFor("step 3 of 15"), tmux.screen())
        tmux.press("F2")
        XCTAssertTrue(tmux.waitFor("40 free of 41 addresses"), "the log has the checks' findings: \(tmux.screen())")
        tmux.press("Escape")
        tmux.press("F10")
        tmux.press("Enter")
        XCTAssertTrue(tmux.waitFor("EXIT=0"), tmux.screen())
        XCTAssertTrue(FileManager.default.fileExists(atPath: state + "/state.db"), "the session is kept where --state-dir says")
    }

    /// `demo` in tmux with a TMPDIR of its own (empty at the start), in a working folder of its own, once its first
    /// screen is up.
    func launchDemo(_ label: String) -> (tmux: TmuxSession, temporary: String) {
        let temporary = TestPaths.scratch(label)
        let working = TestPaths.scratch(label + "-cwd")
        let tmux = TmuxSession(
            command: "cd \(working) && env TMPDIR=\(temporary)/ TERM=tmux-256color LANG=C.UTF-8 \(binary) demo; echo EXIT=$?; sleep 60")
        XCTAssertTrue(tmux.waitFor("session demo · step 1 of 15", timeout: 10), tmux.screen())
        return (tmux, temporary)
    }

    /// Sends `signal` to this pane's wizard (not one another test's tmux is still ending).
    func signalWizard(of tmux: TmuxSession, _ signal: Int32) throws {
        let shell = try XCTUnwrap(tmux.panePID)
        let pids = ProcessTable.pids(of: binary, containing: ["demo"]).filter { ProcessTable.parent(of: $0) == shell }
        XCTAssertEqual(pids.count, 1, "one wizard")
        pids.forEach { kill($0, signal) }
    }

    /// Without --state-dir, nothing of the demo's cloud stays behind (its folder: CA, openrc, sandbox, provider JSON;
    /// its output), and what the quit box says is saved is: the session is kept in a folder the demo names as it ends.
    func testTheDemoLeavesNothingBehindButWhatItSaysItKeeps() throws {
        let (tmux, temporary) = launchDemo("demo-tmp")
        defer { tmux.close() }
        XCTAssertFalse(
            try FileManager.default.contentsOfDirectory(atPath: temporary).filter { $0.hasPrefix("atmo-connect-demo") }.isEmpty,
            "the demo works in the temporary folder")
        tmux.press("F10")
        tmux.press("Enter")
        XCTAssertTrue(tmux.waitFor("EXIT=0"), tmux.screen())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temporary), [])
        let screen = tmux.screen().replacingOccurrences(of: "\n", with: "")
        let kept = try XCTUnwrap(screen.range(of: #"kept in (/\S+?atmo-connect-demo-[0-9-]+)\."#, options: .regularExpression).map { String(screen[$0]) })
        let folder = String(kept.dropFirst("kept in ".count).dropLast())
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/state/state.db"), "the session is kept: \(screen)")
        XCTAssertTrue(screen.contains("atmo-connect status --state-dir \(folder)/state"), screen)
    }

    /// The wizard of `demo` killed outright (kill -9): the demo cloud stops with it and removes its folder, with the
    /// wizard's temporary state inside; nothing is left in TMPDIR.
    func testAKilledDemoLeavesNothingBehind() throws {
        let (tmux, temporary) = launchDemo("demo-kill")
        defer { tmux.close() }
        try signalWizard(of: tmux, SIGKILL)
        XCTAssertTrue(tmux.waitFor("EXIT=137"), tmux.screen())
        // The cloud notices its parent is gone within a second, then cleans up as on SIGTERM.
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, !((try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []).isEmpty { usleep(50_000) }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temporary), [])
    }

    /// SIGTERM, SIGINT or SIGHUP sent to the demo while the wizard has the screen: it ends as if the operator quit,
    /// removes its temporary folders (TMPDIR is as empty as it was), and exits 128 + the signal.
    func testASignalEndsTheDemoAndLeavesNothingBehind() throws {
        for (signal, status) in [(SIGTERM, 143), (SIGINT, 130), (SIGHUP, 129)] {
            let (tmux, temporary) = launchDemo("demo-signal")
            defer { tmux.close() }
            try signalWizard(of: tmux, signal)
            XCTAssertTrue(tmux.waitFor("EXIT=\(status)"), "signal \(signal): \(tmux.screen())")
            XCTAssertFalse(tmux.screen().contains("Steps  (* required)"), "the screen is given back: \(tmux.screen())")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temporary), [], "signal \(signal)")
        }
    }

    func testTheCleanDemoCanBeWalkedToTheFinalReport() throws {
        let state = TestPaths.scratch("demo-walk") + "/state"
        // The walk runs in an empty folder with an empty home: the demo writes into neither (its files go to its own folder).
        let (workingDirectory, home) = (TestPaths.scratch("demo-cwd"), TestPaths.scratch("demo-home"))
        let tmux = TmuxSession(
            command: "cd \(workingDirectory) && env HOME=\(home) TERM=tmux-256color LANG=C.UTF-8 \(binary) demo --state-dir \(state); echo EXIT=$?; sleep 60",
            columns: 120, rows: 40)
        defer { tmux.close() }
        XCTAssertTrue(tmux.waitFor("session demo · step 1 of 15", timeout: 5), tmux.screen())
        // Enter confirms each field, runs each step, says yes to each preview and closes the password box.
        let deadline = Date().addingTimeInterval(150)
        var screen = ""
        var endScreen: String?
        while Date() < deadline {
            screen = tmux.screen()
            if screen.contains("The last step is done") { endScreen = screen }
            // The final step warns without an Atmosphere API URL to check: that is its honest result here.
            if screen.contains("step 15 of 15"), screen.contains("Result: passed") || screen.contains("Result: warned") { break }
            if screen.contains("Result: failed") || screen.contains("Result: error") { break }
            tmux.press("Enter")
            usleep(250_000)
        }
        XCTAssertTrue(screen.contains("step 15 of 15") && screen.contains("Result: warned"), screen)
        let end = try XCTUnwrap(endScreen, "the end screen was shown")
        for part in ["Done (15):", "Nothing remains", "The report: ", "atmo-connect-report.md", "atmo-connect status"] {
            XCTAssertTrue(end.contains(part), "\(part) on the end screen: \(end)")
        }
        XCTAssertTrue(screen.contains("atmo-connect-report.md: report written"), screen)
        XCTAssertTrue(
            screen.contains("not verified through Atmosphere's API") && screen.contains("API URL was given"), "the one warning, and why: \(screen)")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: workingDirectory), [], "nothing in the working folder")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: home), [], "nothing in the home folder")
        let status = ChildProcess.run([binary, "status", "--state-dir", state]).output
        XCTAssertNil(status.range(of: #"\*\s+(pending|failed|blocked)"#, options: .regularExpression), "every required step is done: \(status)")

        // On quit the demo names the report it keeps, and the report is there afterwards.
        tmux.press("F10")
        tmux.press("Enter")
        XCTAssertTrue(tmux.waitFor("EXIT=0"), tmux.screen())
        let report = state + "/demo-files/atmo-connect-report.md"
        XCTAssertTrue(tmux.screen().replacingOccurrences(of: "\n", with: "").contains("The report: \(report)"), tmux.screen())
        XCTAssertTrue(try String(contentsOfFile: report, encoding: .utf8).hasPrefix("# atmo-connect report: demo"))
    }

    /// An expired certificate at 80x24: the finding and its fix are read in full on the step's own screen, page by page.
    func testALongFindingAt80x24IsReadableInFull() throws {
        let state = TestPaths.scratch("demo-expired") + "/state"
        let tmux = TmuxSession(
            command: "env TERM=tmux-256color LANG=C.UTF-8 \(binary) demo --scenario expired-neutron --state-dir \(state); echo EXIT=$?; sleep 60",
            columns: 80, rows: 24)
        defer { tmux.close() }
        XCTAssertTrue(tmux.waitFor("session demo · step 1 of 15", timeout: 5), tmux.screen())
        tmux.press("Enter")
        tmux.press("Enter")
        XCTAssertTrue(tmux.waitFor("step 2 of 15"), tmux.screen())
        for _ in 0..<15 where !tmux.screen().contains("Result:") {
            tmux.press("Enter")
            _ = tmux.waitFor("Result:", timeout: 0.3)
        }
        XCTAssertTrue(tmux.waitFor("Result: failed", timeout: 30), tmux.screen())
        // Every page of the findings, the open step's side only, until the last.
        var pages: [String] = []
        for _ in 0..<12 {
            let screen = tmux.screen()
            pages.append(screen.components(separatedBy: "\n").map { String($0.dropFirst(25)) }.joined(separator: "\n"))
            if !screen.contains("PgDn more") { break }
            tmux.press("NPage")
            usleep(300_000)
        }
        XCTAssertFalse(pages.last?.contains("PgDn more") ?? true, "the last page is reached: \(pages.last ?? "")")
        let text = pages.joined(separator: "\n").components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ")
        for part in ["certificate expired", "ago (on ", "Renew the certificate and reload", "haproxy (or the service) on the API", "(affects 2:"] {
            XCTAssertTrue(text.contains(part), "\(part) is on some page: \(text)")
        }
        XCTAssertFalse(text.contains("days left"), "no '(-N days left)' for an expired certificate: \(text)")
        XCTAssertFalse(text.contains("…"), "nothing cut: \(text)")
    }
}
