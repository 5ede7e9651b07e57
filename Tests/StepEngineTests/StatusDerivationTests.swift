import Foundation
import StepEngine
import TestSupport
import XCTest

final class StatusDerivationTests: EngineTestCase {
    func testFreshPlanIsPendingThenBlocked() throws {
        try engine.setAnswers(SyntheticPlan.answers())
        XCTAssertEqual(try statuses(), ["s1": .pending, "s2": .blocked, "s3": .blocked, "s4": .blocked, "s5": .blocked])
        let s2 = try XCTUnwrap(engine.states().first { $0.stepID == "s2" })
        XCTAssertEqual(s2.reason, "waits for s1 (not run yet)")
    }

    func testPassedWarnedSkippedSatisfyDependents() async throws {
        try engine.setAnswers(SyntheticPlan.answers())
        try await complete("s1", .passed)
        try await complete("s2", .warned, findings: [Finding(checkID: "c", target: "t", severity: .warning, observed: "meh")])
        try await complete("s3", .skipped)
        XCTAssertEqual(try statuses(), ["s1": .passed, "s2": .warned, "s3": .skipped, "s4": .pending, "s5": .blocked])
        XCTAssertEqual(try engine.states().first { $0.stepID == "s2" }?.worstSeverity, .warning)
    }

    func testFailedStepBlocksDownstreamAndStaysFailed() async throws {
        try engine.setAnswers(SyntheticPlan.answers())
        try await complete("s1", .failed, findings: [Finding(checkID: "c", target: "t", severity: .failure, observed: "broken")])
        XCTAssertEqual(try status("s1"), .failed)
        XCTAssertEqual(try status("s2"), .blocked)
        XCTAssertEqual(try engine.states().first { $0.stepID == "s1" }?.worstSeverity, .failure)
    }

    func testFailedStepWhoseUpstreamRegressedIsBlocked() async throws {
        try engine.setAnswers(SyntheticPlan.answers())
        try await complete("s1")
        try await complete("s2", .failed)
        try await complete("s1", .failed)
        XCTAssertEqual(try status("s2"), .blocked)
    }

    func testThrowingStepIsRecordedAsFailedWithTheMessage() async throws {
        struct Boom: Error, CustomStringConvertible { var description: String { "the endpoint refused" } }
        try engine.setAnswers(SyntheticPlan.answers())
        let result = try await engine.run("s1") { throw Boom() }
        XCTAssertEqual(result.outcome, .failed)
        XCTAssertEqual(try store.attempts(session: engine.session.id ?? 0, step: "s1").last?.message, "the endpoint refused")
        XCTAssertEqual(try status("s1"), .failed)
    }

    func testCancelledStepIsInterruptedAndNeedsReobservation() async throws {
        try engine.setAnswers(SyntheticPlan.answers())
        let result = try await engine.run("s1") { throw CancellationError() }
        XCTAssertEqual(result.outcome, .interrupted)
        let state = try XCTUnwrap(engine.states().first { $0.stepID == "s1" })
        XCTAssertEqual(state.status, .pending)
        XCTAssertTrue(state.needsReobservation)
    }

    func testRunningWhileTheOwnerLivesAndReobservedWhenItIsGone() async throws {
        try engine.setAnswers(SyntheticPlan.answers())
        _ = try store.acquireLock()
        let open = try store.beginAttempt(session: engine.session.id ?? 0, step: "s1", inputHash: "x")
        XCTAssertEqual(try status("s1"), .running, "this process holds the lock and is alive")
        try store.releaseLock()
        let state = try XCTUnwrap(engine.states().first { $0.stepID == "s1" })
        XCTAssertEqual(state.status, .pending, "no live owner: an unfinished attempt is not trusted")
        XCTAssertTrue(state.needsReobservation)
        XCTAssertNil(try store.attempts(session: engine.session.id ?? 0).first { $0.id == open.id }?.outcome)
    }

    func testChangedInputMakesStepAndDownstreamStale() async throws {
        try engine.setAnswers(SyntheticPlan.answers())
        for step in ["s1", "s2", "s3"] { try await complete(step) }
        try engine.setAnswers([Answer(key: "s2.value", value: .text("changed"), source: .typed)])
        let states = try engine.states()
        XCTAssertEqual(states.map(\.status), [.passed, .stale, .stale, .blocked, .blocked])
        XCTAssertEqual(states[1].reason, "an answer it uses changed since it passed")
        XCTAssertEqual(states[2].reason, "the earlier step s2 is to run again")
    }

    func testSecretInputsDoNotAffectTheHash() async throws {
        try engine.setAnswers(SyntheticPlan.answers())
        try engine.setSecret(SecretValue("first-secret-value"), for: "s2.password")
        try await complete("s1")
        try await complete("s2")
        try engine.setSecret(SecretValue("second-secret-value"), for: "s2.password")
        XCTAssertEqual(try status("s2"), .passed)
    }

    func testChangingAnAnswerBackRestoresThePassedStatus() async throws {
        try engine.setAnswers(SyntheticPlan.answers())
        try await complete("s1")
        try engine.setAnswers([Answer(key: "s1.value", value: .text("other"), source: .typed)])
        XCTAssertEqual(try status("s1"), .stale)
        try engine.setAnswers([Answer(key: "s1.value", value: .text("s1-v1"), source: .typed)])
        XCTAssertEqual(try status("s1"), .passed)
    }

    func testResetStepForgetsAttemptsAndStalesDownstream() async throws {
        try engine.setAnswers(SyntheticPlan.answers())
        for step in ["s1", "s2"] { try await complete(step) }
        XCTAssertEqual(try store.resetStep("s1", session: engine.session.id ?? 0), 1)
        XCTAssertEqual(try status("s1"), .pending)
        XCTAssertEqual(try status("s2"), .stale)
        XCTAssertTrue(try store.events(session: engine.session.id).contains { $0.kind == "step-reset" && $0.stepID == "s1" })
    }
}
