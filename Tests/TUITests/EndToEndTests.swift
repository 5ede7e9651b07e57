import Foundation
import StepEngine
import TestSupport
import XCTest

/// The real binary in tmux: typed keys in, captured screens out.
final class EndToEndTests: XCTestCase {
    let binary = TestPaths.executable("atmo-connect")
    var state: String!
    var sessions: [TmuxSession] = []

    override func setUp() { state = TestPaths.scratch("tui") + "/state" }
    override func tearDown() { sessions.forEach { $0.close() } }

    func launch(columns: Int = 100, rows: Int = 30, environment: String = "TERM=tmux-256color LANG=C.UTF-8", arguments: String = "") -> TmuxSession {
        let command = "env \(environment) \(binary) --state-dir \(state!) \(arguments); echo EXIT=$?; sleep 60"
        let session = TmuxSession(command: command, columns: columns, rows: rows)
        sessions.append(session)
        return session
    }

    /// Names the session "lab" and passes the welcome step.
    func startLab(_ tmux: TmuxSession) {
        nameLabAndContinue(tmux)
        XCTAssertTrue(tmux.waitFor("step 2 of 15"), tmux.screen())
        XCTAssertTrue(tmux.waitFor("✔*Welcome and session"), tmux.screen())
    }

    /// Names the session "lab" on the welcome screen, then continues past it.
    func nameLabAndContinue(_ tmux: TmuxSession) {
        XCTAssertTrue(tmux.waitFor("Welcome and session"), tmux.screen())
        tmux.press("C-u")
        tmux.type("lab")
        tmux.press("Enter")
        XCTAssertTrue(tmux.waitFor("session lab"), tmux.screen())
        tmux.press("Enter")
    }

    /// Types into the openrc path field (the second on prerequisites) and leaves it, which saves it.
    func enterOpenrcPath(_ tmux: TmuxSession, _ path: String) {
        tmux.press("Tab", "C-u")
        tmux.type(path)
        tmux.press("Tab")
        XCTAssertTrue(tmux.waitFor("▸ OpenStack password"), tmux.screen())
    }

    /// The stored answer for `key`, once it is `expected` (the wizard writes off its drawing thread, a moment after the
    /// screen moved on), or as it is after 5 s.
    func storedAnswer(_ key: String, becoming expected: AnswerValue? = nil) throws -> AnswerValue? {
        let store = try StateStore(directory: StateDirectory(path: state))
        let session = try XCTUnwrap(try store.session(named: "lab"))
        let deadline = Date().addingTimeInterval(5)
        var value = try store.answers(session: session.id ?? 0)[key]?.value
        while let expected, value != expected, Date() < deadline {
            usleep(20_000)
            value = try store.answers(session: session.id ?? 0)[key]?.value
        }
        return value
    }

    func testWalkTheFirstScreensAndQuit() throws {
        let tmux = launch()
        startLab(tmux)
        enterOpenrcPath(tmux, "/root/lab-openrc")
        XCTAssertEqual(try storedAnswer("cloud.openrc_path", becoming: .text("/root/lab-openrc")), .text("/root/lab-openrc"), "saved as the field is left")
        tmux.press("F10")
        XCTAssertTrue(tmux.waitFor("Quit atmo-connect?"), tmux.screen())
        tmux.press("Enter")
        XCTAssertTrue(tmux.waitFor("EXIT=0"), tmux.screen())
    }

    /// Operators spend minutes on a form: a run started after idling longer than the step's time limit is timed from
    /// its own start, so it runs to its end instead of being cancelled at once as past its limit. The limit is the
    /// screen's (time_limit_seconds, 90 s for prerequisites): a copy of the screens with 4 s lets the test idle 6 s.
    func testARunStartedAfterIdlingLongerThanTheRunLimitRunsToItsEnd() throws {
        let screens = TestPaths.scratch("screens")
        for name in try FileManager.default.contentsOfDirectory(atPath: TestPaths.repository + "/screens") where name.hasSuffix(".yaml") {
            var text = try String(contentsOfFile: TestPaths.repository + "/screens/" + name, encoding: .utf8)
            if name.hasSuffix("prerequisites.yaml") {
                XCTAssertTrue(text.contains("time_limit_seconds: 90\n"), text)
                text = text.replacingOccurrences(of: "time_limit_seconds: 90\n", with: "time_limit_seconds: 4\n")
            }
            try text.write(toFile: screens + "/" + name, atomically: true, encoding: .utf8)
        }
        let tmux = launch(columns: 120, rows: 40, arguments: "--screens-dir \(screens)")
        startLab(tmux)
        Thread.sleep(forTimeInterval: 6)
        // Enter accepts each field, then runs the checks (the openrc at ~/openrc is missing: they fail, quickly).
        for _ in 0..<15 where !tmux.screen().contains("Result:") {
            tmux.press("Enter")
            _ = tmux.waitFor("Result:", timeout: 0.3)
        }
        XCTAssertTrue(tmux.waitFor("Result: failed", timeout: 60), tmux.screen())
        XCTAssertFalse(tmux.screen().contains("time limit"), tmux.screen())
        tmux.press("F2")
        XCTAssertTrue(tmux.waitFor("prerequisites: failed"), tmux.screen())
        XCTAssertFalse(tmux.screen().contains("cancelling"), tmux.screen())
    }

    func testResizeBelowTheMinimumAndBack() {
        let tmux = launch()
        XCTAssertTrue(tmux.waitFor("Welcome and session"))
        tmux.resize(columns: 60, rows: 20)
        XCTAssertTrue(tmux.waitFor("terminal too small (need 80x24, have 60x20)"), tmux.screen())
        tmux.resize(columns: 100, rows: 30)
        XCTAssertTrue(tmux.waitFor("Steps  (* required)"), tmux.screen())
        XCTAssertFalse(tmux.screen().contains("too small"))
    }

    func testUTF8InputRoundTrip() throws {
        let tmux = launch()
        startLab(tmux)
        tmux.press("Tab", "C-u")
        tmux.type("/srv/café/日本")
        XCTAssertTrue(tmux.waitFor("[/srv/café/日本"), tmux.screen())
        tmux.press("BSpace")
        tmux.type("本")
        tmux.press("Tab")
        XCTAssertTrue(tmux.waitFor("▸ OpenStack password"), tmux.screen())
        XCTAssertEqual(try storedAnswer("cloud.openrc_path", becoming: .text("/srv/café/日本")), .text("/srv/café/日本"))
    }

    func testTheSecretFieldNeverShowsItsValue() throws {
        let secret = "canary-Pass-42x"
        let tmux = launch()
        startLab(tmux)
        tmux.press("Tab", "Tab")
        XCTAssertTrue(tmux.waitFor("▸ OpenStack password"), tmux.screen())
        tmux.type(secret)
        XCTAssertTrue(tmux.waitFor("•••••••••••••••"), tmux.screen())
        tmux.press("Tab")
        XCTAssertTrue(tmux.waitFor("▸ CA bundle"), tmux.screen())
        XCTAssertFalse(tmux.screen().contains(secret))
        XCTAssertFalse(tmux.screen().contains("canary"))
        tmux.press("F10", "Enter")
        XCTAssertTrue(tmux.waitFor("EXIT=0"), tmux.screen())
        XCTAssertNil(TestPaths.bytes(ofDatabase: state + "/state.db").range(of: Data(secret.utf8)))
        XCTAssertNil(FileManager.default.contents(atPath: state + "/atmo-connect.log")?.range(of: Data(secret.utf8)))
    }

    /// At 80x24 a form with more fields than rows says so ("▲/▼ N more") and keeps the focused field in view: the
    /// provider step's required secret is reached with its focus mark showing, and so is its last field.
    func testALongFormAt80x24ShowsItsFocusAndWhatIsMore() throws {
        let tmux = launch(columns: 80, rows: 24)
        startLab(tmux)
        // To the step list, then down to the provider step and open it.
        tmux.press("BTab")
        for _ in 0..<7 { tmux.press("Down") }
        tmux.press("Enter")
        XCTAssertTrue(tmux.waitFor("step 9 of 15"), tmux.screen())
        XCTAssertTrue(tmux.waitFor("▼ 2 more"), "the form says what it has no room for: \(tmux.screen())")
        XCTAssertFalse(tmux.screen().contains("without asking"), "the wizard always asks: no consent box \(tmux.screen())")
        for _ in 0..<9 { tmux.press("Tab") }
        XCTAssertTrue(tmux.waitFor("▸ Provider secret"), tmux.screen())
        for _ in 0..<3 { tmux.press("Tab") }
        XCTAssertTrue(tmux.waitFor("▸ Use an existing provide"), "the last field, in view with its mark: \(tmux.screen())")
        XCTAssertTrue(tmux.screen().contains("▲ 2 more"), "and what is above it: \(tmux.screen())")
    }

    /// A half-typed field survives Ctrl-C and quitting: it is saved as the wizard ends, and the next start shows it.
    func testAHalfTypedFieldSurvivesCtrlCAndResume() throws {
        let tmux = launch()
        startLab(tmux)
        tmux.press("Tab", "C-u")
        tmux.type("/half/typed/openrc")
        XCTAssertTrue(tmux.waitFor("/half/typed/openrc"), tmux.screen())
        tmux.press("C-c")
        XCTAssertTrue(tmux.waitFor("Quit atmo-connect?"), tmux.screen())
        tmux.press("Enter")
        XCTAssertTrue(tmux.waitFor("EXIT=0"), tmux.screen())
        XCTAssertEqual(try storedAnswer("cloud.openrc_path"), .text("/half/typed/openrc"), "saved as the wizard ended")
        let again = launch()
        XCTAssertTrue(again.waitFor("Resume"), again.screen())
        again.press("Enter")
        XCTAssertTrue(again.waitFor("/half/typed/openrc"), "the next start shows it: \(again.screen())")
    }

    /// Ctrl-Z stops the wizard as a shell job (the shell's screen comes back); fg continues it with its screen whole.
    func testCtrlZThenFgRestoresTheScreen() throws {
        let tmux = TmuxSession(command: "env PS1='shell$ ' HOME=\(TestPaths.scratch("ctrlz-home")) bash --norc --noprofile -i")
        sessions.append(tmux)
        XCTAssertTrue(tmux.waitFor("shell$"), tmux.screen())
        tmux.type("env TERM=tmux-256color LANG=C.UTF-8 \(binary) --state-dir \(state!)")
        tmux.press("Enter")
        XCTAssertTrue(tmux.waitFor("Welcome and session"), tmux.screen())
        tmux.press("C-z")
        XCTAssertTrue(tmux.waitFor("Stopped"), "the shell has the job stopped: \(tmux.screen())")
        XCTAssertFalse(tmux.screen().contains("Steps  (* required)"), "the shell's screen is back: \(tmux.screen())")
        tmux.type("fg")
        tmux.press("Enter")
        XCTAssertTrue(tmux.waitFor("Steps  (* required)"), "the wizard's screen is back whole: \(tmux.screen())")
        XCTAssertTrue(tmux.screen().contains("Welcome and session"), tmux.screen())
        tmux.press("F10", "Enter")
        XCTAssertTrue(tmux.waitFor("shell$"), "and it quits as ever: \(tmux.screen())")
    }

    /// Esc in a field being edited undoes the edit and stays on the step; a second Esc goes to the previous step.
    func testEscInAnEditedFieldKeepsTheStepAndTheOldValue() throws {
        let tmux = launch()
        startLab(tmux)
        enterOpenrcPath(tmux, "/root/lab-openrc")
        tmux.press("BTab")
        XCTAssertTrue(tmux.waitFor("▸ openrc"), tmux.screen())
        tmux.press("C-u")
        tmux.type("/half/typed")
        XCTAssertTrue(tmux.waitFor("/half/typed"), tmux.screen())
        tmux.press("Escape")
        XCTAssertTrue(tmux.waitFor("[/root/lab-openrc"), "the old value is back: \(tmux.screen())")
        XCTAssertTrue(tmux.screen().contains("step 2 of 15"), "still on the step: \(tmux.screen())")
        XCTAssertFalse(tmux.screen().contains("/half/typed"), tmux.screen())
        XCTAssertEqual(try storedAnswer("cloud.openrc_path"), .text("/root/lab-openrc"), "nothing of the edit was saved")
        tmux.press("Escape")
        XCTAssertTrue(tmux.waitFor("step 1 of 15"), "then Esc goes back: \(tmux.screen())")
    }

    func testBracketedPasteIsOneEdit() throws {
        let tmux = launch()
        startLab(tmux)
        tmux.press("Tab", "C-u")
        tmux.paste("/pasted/path\nwith-newline")
        XCTAssertTrue(tmux.waitFor("[/pasted/path with-newline"), tmux.screen())
        tmux.press("Tab")
        XCTAssertTrue(tmux.waitFor("▸ OpenStack password"), tmux.screen())
        XCTAssertEqual(try storedAnswer("cloud.openrc_path", becoming: .text("/pasted/path with-newline")), .text("/pasted/path with-newline"))
    }

    func testKillDashNineThenResumeAtTheSameStepWithTheAnswers() throws {
        let first = launch()
        startLab(first)
        enterOpenrcPath(first, "/root/kill-openrc")
        // The answer is written off the drawing thread a moment after the screen moves on: the kill comes after it.
        XCTAssertEqual(try storedAnswer("cloud.openrc_path", becoming: .text("/root/kill-openrc")), .text("/root/kill-openrc"))
        let pids = ProcessTable.pids(of: binary, containing: [state])
        XCTAssertEqual(pids.count, 1, "one wizard process")
        pids.forEach { kill($0, SIGKILL) }
        XCTAssertTrue(first.waitFor("EXIT=137"), first.screen())

        let second = launch()
        XCTAssertTrue(second.waitFor("Resume lab at Prerequisites?"), second.screen())
        second.press("Enter")
        XCTAssertTrue(second.waitFor("[/root/kill-openrc"), second.screen())
        XCTAssertTrue(second.screen().contains("step 2 of 15"))
        XCTAssertTrue(second.screen().contains("✔*Welcome and session"))
    }

    func testColourOnlyWithoutNoColor() {
        // The panes inherit this process's environment: say exactly what each one has.
        let coloured = launch(environment: "-u NO_COLOR TERM=tmux-256color LANG=C.UTF-8")
        startLab(coloured)
        let escaped = coloured.screen(escapes: true)
        XCTAssertNotNil(escaped.range(of: "\u{1b}[32m"), "the passed step in green: \(escaped.prefix(400).debugDescription)")
        let colouredScreen = coloured.screen(escapes: true)
        XCTAssertNil(colouredScreen.range(of: "\u{1b}[30m\u{1b}[40m"), "nothing drawn black on black")
        state = TestPaths.scratch("tui") + "/state"
        let plain = launch(environment: "TERM=tmux-256color LANG=C.UTF-8 NO_COLOR=1")
        XCTAssertTrue(plain.waitFor("Welcome and session"))
        let plainScreen = plain.screen(escapes: true)
        for code in 31...37 { XCTAssertNil(plainScreen.range(of: "\u{1b}[\(code)m"), "NO_COLOR: no colour \(code)") }
    }

    func testRefusalOnADumbTerminalOrAPipe() {
        let dumb = launch(environment: "TERM=dumb LANG=C.UTF-8")
        XCTAssertTrue(dumb.waitFor("EXIT=8"), "8: the wizard cannot start here (2 is check's): \(dumb.screen())")
        XCTAssertTrue(dumb.screen().contains("cannot move the cursor"), dumb.screen())
        XCTAssertTrue(dumb.screen().contains("atmo-connect apply --answers FILE"))
        let piped = TmuxSession(command: "env TERM=tmux-256color \(binary) --state-dir \(state!) | cat; echo EXIT=${PIPESTATUS[0]}; sleep 60")
        sessions.append(piped)
        XCTAssertTrue(piped.waitFor("not a terminal"), piped.screen())
    }

    func testFrameTraceRecordsEveryKeystroke() throws {
        let trace = TestPaths.scratch("trace") + "/frames"
        let tmux = launch(environment: "TERM=tmux-256color LANG=C.UTF-8 ATMO_CONNECT_FRAME_TRACE=\(trace)")
        XCTAssertTrue(tmux.waitFor("Welcome and session"))
        tmux.type("abcdefghij")
        XCTAssertTrue(tmux.waitFor("my-cloudabcdefghij"), tmux.screen())
        let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").compactMap { Int($0) }
        XCTAssertGreaterThanOrEqual(lines.count, 10)
        XCTAssertTrue(lines.allSatisfy { $0 > 0 })
    }
}
