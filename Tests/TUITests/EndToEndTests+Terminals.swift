import Foundation
import StepEngine
import TestSupport
import XCTest

/// The real binary in terminals that are not the developer's: another locale, another terminfo, keys the wizard does
/// not know, and an operator who skips a step.
extension EndToEndTests {
    /// LANG=C: every cell is ASCII, and the marks keep their meaning (+ passed, o not run, > the open step, | the rule).
    func testUnderLANGCTheScreenIsASCIIAndKeepsItsMarks() throws {
        let tmux = launch(environment: "TERM=tmux-256color LANG=C LC_ALL=C")
        nameLabAndContinue(tmux)
        XCTAssertTrue(tmux.waitFor("+*Welcome and session"), tmux.screen())
        let screen = tmux.screen()
        XCTAssertTrue(screen.contains(">o*Prerequisites"), screen)
        XCTAssertTrue(screen.contains("| Prerequisites"), screen)
        XCTAssertTrue(screen.contains("step 2 of 15"), screen)
        let foreign = screen.unicodeScalars.filter { !$0.isASCII }
        XCTAssertTrue(foreign.isEmpty, "non-ASCII on a C-locale screen: \(String(String.UnicodeScalarView(foreign)))\n\(screen)")
    }

    /// End, Home, Delete and PgUp as tmux sends them under TERM=xterm-256color, whose terminfo does not list tmux's
    /// End and Home: the step and the answer stay as they were, and no piece of a sequence is typed into the field.
    func testEndHomeDeleteAndPgUpInATextFieldLeaveTheStepAndTheAnswer() throws {
        let tmux = launch(environment: "TERM=xterm-256color LANG=C.UTF-8")
        startLab(tmux)
        enterOpenrcPath(tmux, "/root/lab-openrc")
        tmux.press("BTab")
        XCTAssertTrue(tmux.waitFor("▸ openrc file"), tmux.screen())
        for key in ["End", "Home", "End", "DC", "PPage", "Home", "NPage"] {
            tmux.press(key)
            usleep(100_000)
        }
        tmux.press("Tab")
        XCTAssertTrue(tmux.waitFor("▸ OpenStack password"), tmux.screen())
        let screen = tmux.screen()
        XCTAssertTrue(screen.contains("step 2 of 15"), "no key went back a step: \(screen)")
        XCTAssertTrue(screen.contains("[/root/lab-openrc "), screen)
        for piece in ["[4~", "[1~", "[3~", "[5~", "[6~", "4~", "OF", "OH"] {
            XCTAssertFalse(screen.contains("openrc" + piece), "\(piece) typed into the field: \(screen)")
        }
        XCTAssertEqual(try storedAnswer("cloud.openrc_path", becoming: .text("/root/lab-openrc")), .text("/root/lab-openrc"))
        // Esc and F10 in one burst: the Esc closes the log and the F10 is still F10, not lost inside the Esc.
        tmux.press("F2")
        XCTAssertTrue(tmux.waitFor("─ Log "), tmux.screen())
        tmux.press("Escape", "F10")
        XCTAssertTrue(tmux.waitFor("Quit atmo-connect?"), tmux.screen())
        XCTAssertFalse(tmux.screen().contains("─ Log "), tmux.screen())
    }

    /// An optional step is skipped from its screen after a yes: the wizard moves on, and `status` says skipped.
    func testAnOptionalStepIsSkippedFromItsScreenAndStatusSaysSo() throws {
        let tmux = launch()
        startLab(tmux)
        tmux.press("BTab")
        tmux.press("Down", "Enter")
        XCTAssertTrue(tmux.waitFor("step 3 of 15"), tmux.screen())
        XCTAssertTrue(tmux.waitFor("^S skip"), "the key is in the hints: \(tmux.screen())")
        tmux.press("C-s")
        XCTAssertTrue(tmux.waitFor("Skip this step?"), tmux.screen())
        tmux.press("Left", "Enter")
        XCTAssertTrue(tmux.waitFor("step 4 of 15"), tmux.screen())
        XCTAssertTrue(tmux.waitFor("» Exercise the cloud"), tmux.screen())
        tmux.press("C-q")
        XCTAssertTrue(tmux.waitFor("Quit atmo-connect?"), "Ctrl-Q quits as F10 does: \(tmux.screen())")
        tmux.press("Enter")
        XCTAssertTrue(tmux.waitFor("EXIT=0"), tmux.screen())
        let status = ChildProcess.run([binary, "status", "--state-dir", state])
        XCTAssertNotNil(status.output.range(of: #"exercise-cloud\s+skipped"#, options: .regularExpression), status.output)
        XCTAssertNotNil(status.output.range(of: #"prerequisites\s+\*\s+pending"#, options: .regularExpression), status.output)
    }

    /// After a restart, F2 shows what happened before it (the journal, with times), and the log file has a line for
    /// the step's run and its outcome.
    func testTheLogSurvivesARestart() throws {
        let first = launch()
        startLab(first)
        first.press("F10", "Enter")
        XCTAssertTrue(first.waitFor("EXIT=0"), first.screen())
        let second = launch()
        XCTAssertTrue(second.waitFor("Resume lab at Prerequisites?"), second.screen())
        second.press("Enter")
        second.press("C-o")
        XCTAssertTrue(second.waitFor("─ Log "), "Ctrl-O opens the log: \(second.screen())")
        XCTAssertTrue(second.waitFor("step-passed welcome: "), "the first run's history: \(second.screen())")
        XCTAssertNotNil(second.screen().range(of: #"\d\d-\d\d \d\d:\d\d:\d\d session-created"#, options: .regularExpression), second.screen())
        let log = try String(contentsOfFile: state + "/atmo-connect.log", encoding: .utf8)
        XCTAssertTrue(log.contains("step welcome: run started"), log)
        XCTAssertTrue(log.contains("step welcome: passed after"), log)
    }
}

/// TERM=linux has no alternate screen: the wizard clears what it drew as it gives the terminal back.
extension EndToEndTests {
    func testUnderTERMLinuxTheScreenIsGivenBackClean() throws {
        let tmux = launch(environment: "TERM=linux LANG=C.UTF-8")
        nameLabAndContinue(tmux)
        XCTAssertTrue(tmux.waitFor("step 2 of 15"), tmux.screen())
        tmux.press("F10")
        XCTAssertTrue(tmux.waitFor("Quit"), tmux.screen())
        tmux.press("Enter")
        XCTAssertTrue(tmux.waitFor("EXIT=0"), tmux.screen())
        let screen = tmux.screen()
        for drawn in ["Prerequisites", "step 2 of 15", "Steps", "│"] {
            XCTAssertFalse(screen.contains(drawn), "the wizard's screen is left behind (\(drawn)):\n\(screen)")
        }
    }
}
