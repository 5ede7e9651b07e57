import StepEngine
import Wizard
import WizardTUI
import XCTest

/// Fields of one Atmosphere generation: shown until the generation is known, hidden once another one is found.
extension ReducerTests {
    /// The allocation step opened on a session whose stored answers are `stored` (besides its name).
    func allocationFields(stored: [String: Answer]) throws -> [String] {
        let answers = stored.merging(["session.name": Answer(key: "session.name", value: .text("lab"), source: .typed)]) { first, _ in first }
        let values = try AnswerResolution.resolve(catalog: catalog, file: nil, stored: answers).values
        let state = reducer.reduce(
            reducer.initialState(now: t0),
            .sessionLoaded(name: "lab", values: values, statuses: allPending(), openStep: "allocation", offerResume: false, secrets: [:])
        ).0
        XCTAssertEqual(state.currentStep, "allocation")
        return state.fields.map(\.input.key)
    }

    func testAllocationStrategyFieldsAreHiddenOnceANewerAtmosphereIsFound() throws {
        let strategy = ["allocation.counting", "allocation.refresh", "allocation.rules"]
        XCTAssertEqual(try allocationFields(stored: [:]), strategy, "not known yet: shown")
        // Found on disk (local mode, where the prerequisites do not ask it): known, so it decides.
        let newer = Answer(key: "atmosphere.allocation_strategies", value: .bool(false), source: .derived)
        XCTAssertEqual(try allocationFields(stored: [newer.key: newer]), [], "Atmosphere v34 and later has no allocation strategy")
        let older = Answer(key: "atmosphere.allocation_strategies", value: .bool(true), source: .derived)
        XCTAssertEqual(try allocationFields(stored: [older.key: older]), strategy, "the guide's generation asks them")
        // Found by the probe on another server, where the field is shown and can be set.
        let remote = Answer(key: "atmosphere.remote", value: .bool(true), source: .typed)
        XCTAssertEqual(try allocationFields(stored: [remote.key: remote, newer.key: newer]), [])
    }

    func testANotInConditionHoldsWhileTheAnswerIsUnknown() {
        let condition = InputCondition(key: "k", values: ["false"], negated: true)
        XCTAssertTrue(condition.holds(in: [:]))
        XCTAssertTrue(condition.holds(in: ["k": .bool(true)]))
        XCTAssertFalse(condition.holds(in: ["k": .bool(false)]))
        XCTAssertEqual(condition.described, "unless k is false")
        XCTAssertFalse(InputCondition(key: "k", values: ["true"]).holds(in: [:]), "`in` still needs the answer")
    }
}
