import StepEngine
import TerminalUI
import Wizard
import WizardTUI
import XCTest

/// What applies as the answers stand: fields of one Atmosphere generation (shown until the generation is known, hidden
/// once another one is found), and a step's button that says whether it previews changes or only checks.
extension ReducerTests {
    /// `step` opened on a session whose stored answers are `stored` (besides its name).
    func opened(_ step: String, stored: [String: Answer]) throws -> WizardState {
        let answers = stored.merging(["session.name": Answer(key: "session.name", value: .text("lab"), source: .typed)]) { first, _ in first }
        let values = try AnswerResolution.resolve(catalog: catalog, file: nil, stored: answers).values
        let state = reducer.reduce(
            reducer.initialState(now: t0),
            .sessionLoaded(name: "lab", values: values, statuses: allPending(), openStep: step, offerResume: false, secrets: [:])
        ).0
        XCTAssertEqual(state.currentStep, step)
        return state
    }

    func allocationFields(stored: [String: Answer]) throws -> [String] {
        try opened("allocation", stored: stored).fields.map(\.input.key)
    }

    /// The step's run button, as drawn at 80x24.
    func runButton(_ step: String, stored: [String: Answer]) throws -> String {
        let screen = WizardView(catalog: catalog).render(try opened(step, stored: stored), rows: 24, columns: 80).text()
        return ["< Preview changes >", "< Run checks >"].first { screen.contains($0) } ?? screen
    }

    func testTheButtonSaysRunChecksWhenTheStepCanOnlyCheck() throws {
        let zones = Answer(key: "dns.write_zone_files", value: .bool(true), source: .typed)
        XCTAssertEqual(try runButton("dns", stored: [:]), "< Run checks >", "no zone files asked: nothing to preview")
        XCTAssertEqual(try runButton("dns", stored: [zones.key: zones]), "< Preview changes >")
        let newer = Answer(key: "atmosphere.allocation_strategies", value: .bool(false), source: .derived)
        let older = Answer(key: "atmosphere.allocation_strategies", value: .bool(true), source: .derived)
        XCTAssertEqual(try runButton("allocation", stored: [:]), "< Preview changes >", "not known yet: it may create a strategy")
        XCTAssertEqual(try runButton("allocation", stored: [newer.key: newer]), "< Run checks >", "only the plugin is checked")
        XCTAssertEqual(try runButton("allocation", stored: [older.key: older]), "< Preview changes >")
        XCTAssertEqual(try runButton("sync", stored: [:]), "< Preview changes >")
        XCTAssertEqual(try runButton("prerequisites", stored: [:]), "< Run checks >")
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
