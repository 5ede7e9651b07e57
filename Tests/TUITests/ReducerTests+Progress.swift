import TerminalUI
import WizardTUI
import XCTest

extension ReducerTests {
    /// A long step's progress (the accounts step's "user N of M") shows under the running step as it comes, and each
    /// line stays in the log.
    func testProgressLinesShowUnderTheRunningStepAndStayInTheLog() throws {
        let (running, _) = send(loaded(), Array(repeating: KeyEvent.tab, count: loaded().fields.count) + [.enter])
        XCTAssertEqual(running.running?.step, "prerequisites")
        var state = running
        for line in ["user 1 of 3: alice: 1 new identities", "user 2 of 3: bob: 1 new identities"] {
            state = reducer.reduce(state, .stepProgress(step: "prerequisites", line: line)).0
        }
        XCTAssertEqual(state.running?.waitingOn, "user 2 of 3: bob: 1 new identities")
        XCTAssertEqual(state.log.suffix(2), ["prerequisites: user 1 of 3: alice: 1 new identities", "prerequisites: user 2 of 3: bob: 1 new identities"])
        let screen = WizardView(catalog: catalog).render(state, rows: 24, columns: 80).text()
        XCTAssertTrue(screen.contains("user 2 of 3: bob"), screen)
        // A line for another step (finished meanwhile) changes nothing on screen.
        let other = reducer.reduce(state, .stepProgress(step: "accounts", line: "user 3 of 3: carol")).0
        XCTAssertEqual(other.running?.waitingOn, state.running?.waitingOn)
    }
}

extension ReducerTests {
    /// The end screen appears once the statuses after the last step are read, and counts it done.
    func testTheEndScreenCountsTheLastStepAsItFinishes() {
        var statuses = allPending()
        for id in statuses.keys where id != "final" { statuses[id] = .passed }
        var state = reducer.reduce(
            reducer.initialState(now: t0),
            .sessionLoaded(name: "lab", values: [:], statuses: statuses, openStep: "final", offerResume: false, secrets: [:])
        ).0
        state = reducer.reduce(state, .stepFinished(step: "final", outcome: .init(kind: .attempt(.warned), message: "1 warning", findings: []))).0
        XCTAssertNil(state.overlay, "not before the statuses say the last step is done")
        statuses["final"] = .warned
        state = reducer.reduce(state, .refreshed(values: [:], statuses: statuses, reasons: [:], sources: [:])).0
        XCTAssertEqual(state.overlay, .endOfRun(offset: 0))
        let screen = WizardView(catalog: catalog).render(state, rows: 40, columns: 120).text()
        XCTAssertTrue(screen.contains("Done (\(catalog.screens.count)):"), screen)
        XCTAssertFalse(screen.contains("Still to do"), screen)
    }
}
