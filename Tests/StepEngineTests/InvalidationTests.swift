import Foundation
import StepEngine
import TestSupport
import XCTest

final class InvalidationTests: EngineTestCase {
    func testPreviewListsStaleStepsWithoutWriting() async throws {
        try engine.setAnswers(SyntheticPlan.answers())
        for step in ["s1", "s2", "s3", "s4"] { try await complete(step) }
        let before = try engine.storedAnswers()
        let eventsBefore = try store.eventCount()
        let preview = try engine.previewChange(key: "s2.value", value: .text("new"))
        XCTAssertEqual(preview, ["s2", "s3", "s4"])
        XCTAssertEqual(try engine.storedAnswers(), before, "a preview writes nothing")
        XCTAssertEqual(try store.eventCount(), eventsBefore)
        XCTAssertEqual(try status("s4"), .passed)
    }

    func testCommittingTheChangeReturnsTheSameListAndDerivesBlockedDownstream() async throws {
        try engine.setAnswers(SyntheticPlan.answers())
        for step in ["s1", "s2", "s3"] { try await complete(step) }
        let preview = try engine.previewChange(key: "s1.value", value: .text("new"))
        let stale = try engine.setAnswers([Answer(key: "s1.value", value: .text("new"), source: .typed)])
        XCTAssertEqual(stale, preview)
        XCTAssertEqual(stale, ["s1", "s2", "s3"])
        XCTAssertEqual(try statuses(), ["s1": .stale, "s2": .stale, "s3": .stale, "s4": .blocked, "s5": .blocked])
        XCTAssertTrue(try store.events(session: engine.session.id).contains { $0.kind == "steps-stale" && $0.detail == "s1, s2, s3" })
    }

    /// What a step finds and keeps as an answer of its own inputs is its result: it passes, not stale. An answer the
    /// operator changes while it runs leaves it stale.
    func testAStepsOwnObservationDoesNotMakeItStaleButAnOperatorsChangeDoes() async throws {
        try engine.setAnswers(SyntheticPlan.answers())
        let engine = self.engine!
        try await engine.run("s1") {
            try engine.setAnswers([Answer(key: "s1.value", value: .text("found"), source: .derived)])
            return StepResult(outcome: .passed, message: "ok")
        }
        XCTAssertEqual(try status("s1"), .passed, "its own observation")
        try await engine.run("s1") {
            try engine.setAnswers([Answer(key: "s1.value", value: .text("typed meanwhile"), source: .typed)])
            return StepResult(outcome: .passed, message: "ok")
        }
        XCTAssertEqual(try status("s1"), .stale, "the operator's change while it ran")
        try await complete("s1")
        try engine.setAnswers([Answer(key: "s1.value", value: .text("found again"), source: .derived)])
        XCTAssertEqual(try status("s1"), .stale, "a derived answer changed after the run (by another step) still counts")
    }

    func testAnUnchangedValueInvalidatesNothing() async throws {
        try engine.setAnswers(SyntheticPlan.answers())
        try await complete("s1")
        XCTAssertEqual(try engine.previewChange(key: "s1.value", value: .text("s1-v1")), [])
        XCTAssertEqual(try engine.setAnswers([Answer(key: "s1.value", value: .text("s1-v1"), source: .typed)]), [])
    }

    func testRemovingAnAnswerInvalidatesItsStep() async throws {
        try engine.setAnswers(SyntheticPlan.answers())
        try await complete("s1")
        XCTAssertEqual(try engine.previewChange(key: "s1.value", value: nil), ["s1"])
    }

    func testSecretsAreRefusedByTheStore() throws {
        XCTAssertThrowsError(try engine.setAnswers([Answer(key: "s2.password", value: .text("hunter2-hunter2"), source: .typed)])) { error in
            XCTAssertEqual(error as? EngineError, .secretNotPersistable(key: "s2.password"))
        }
        XCTAssertThrowsError(try engine.setAnswers([Answer(key: "nope.key", value: .text("x"), source: .typed)]))
    }
}
