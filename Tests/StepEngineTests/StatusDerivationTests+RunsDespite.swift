import Foundation
import StepEngine
import TestSupport
import XCTest

/// A step that fixes what an earlier step finds (`runs_despite`) is not held back by that step's failure; it still
/// waits for it to have run, and every other dependent stays blocked.
extension StatusDerivationTests {
    func testAStepThatFixesWhatAFailedStepFoundRunsDespiteItsFailure() async throws {
        let plan = try Plan(steps: [
            StepDefinition(id: "checks", title: "Checks"),
            StepDefinition(id: "fixer", title: "Fixer", dependsOn: ["checks"], runsDespite: ["checks"]),
            StepDefinition(id: "user", title: "User", dependsOn: ["checks"]),
        ])
        engine = Engine(store: store, plan: plan, session: try store.createSession(named: "fixing"))
        XCTAssertEqual(try statuses(), ["checks": .pending, "fixer": .blocked, "user": .blocked], "not run yet: it waits")
        try await complete("checks", .failed)
        XCTAssertEqual(try statuses(), ["checks": .failed, "fixer": .pending, "user": .blocked])
        // Its own failure then reads as a failure, mark and words alike, not as "waits for checks (failed)".
        try await complete("fixer", .failed)
        let fixer = try XCTUnwrap(engine.states().first { $0.stepID == "fixer" })
        XCTAssertEqual(fixer.status, .failed)
        XCTAssertNil(fixer.reason)
        try await complete("fixer", .passed)
        XCTAssertEqual(try status("fixer"), .passed, "a pass stands while the checks it fixes are still failed")
        XCTAssertEqual(try status("user"), .blocked)
    }
}
