import Foundation
import StepEngine
import TestSupport
import XCTest

/// Opens a real state file in a fresh temporary directory.
class EngineTestCase: XCTestCase {
    var directory: StateDirectory!
    var store: StateStore!
    var engine: Engine!

    override func setUpWithError() throws {
        directory = StateDirectory(path: TestPaths.scratch("engine"))
        store = try StateStore(directory: directory)
        let session = try store.createSession(named: "test")
        engine = Engine(store: store, plan: try SyntheticPlan.make(), session: session)
    }

    func status(_ step: String) throws -> StepStatus {
        try XCTUnwrap(engine.states().first { $0.stepID == step }).status
    }

    func statuses() throws -> [String: StepStatus] {
        Dictionary(uniqueKeysWithValues: try engine.states().map { ($0.stepID, $0.status) })
    }

    @discardableResult
    func complete(_ step: String, _ outcome: AttemptOutcome = .passed, findings: [Finding] = []) async throws -> StepResult {
        try await engine.run(step) { StepResult(outcome: outcome, message: "\(step) \(outcome.rawValue)", findings: findings) }
    }
}
