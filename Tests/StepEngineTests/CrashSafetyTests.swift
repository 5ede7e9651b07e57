import Foundation
import StepEngine
import TestSupport
import XCTest

/// Kills a real child process with SIGKILL at every named point of every step of a five-step plan (25 points),
/// then checks the state: it opens, no attempt is lost, the cut-off step reads as needing re-observation,
/// and a second run completes the plan.
final class CrashSafetyTests: XCTestCase {
    let harness = TestPaths.executable("engine-harness")
    let points = ["before-begin", "after-begin", "side-effect", "before-finish", "after-finish"]

    func testSigkillAtEveryPointLeavesAConsistentResumableState() throws {
        var checked = 0
        for (stepIndex, step) in SyntheticPlan.stepIDs.enumerated() {
            for point in points {
                try checkCrash(at: point, of: step, index: stepIndex)
                checked += 1
            }
        }
        XCTAssertEqual(checked, 25)
    }

    private func checkCrash(at point: String, of step: String, index: Int) throws {
        let path = TestPaths.scratch("crash")
        let crashed = ChildProcess.run([harness, "run", path, step, point])
        XCTAssertEqual(crashed.signal, SIGKILL, "\(step)/\(point): \(crashed.output)")

        let store = try StateStore(directory: StateDirectory(path: path))
        let session = try XCTUnwrap(try store.session(named: "crash"))
        let engine = Engine(store: store, plan: try SyntheticPlan.make(), session: session)
        let attempts = try store.attempts(session: session.id ?? 0)
        let begun = point == "before-begin" ? index : index + 1
        XCTAssertEqual(attempts.count, begun, "\(step)/\(point): every begun attempt is on disk")
        XCTAssertEqual(attempts.prefix(index).map(\.outcome), Array(repeating: .passed, count: index))
        let firstFinished = index > 0 || point == "after-finish"
        XCTAssertEqual(try store.findings(attempt: attempts.first?.id ?? 0).count, firstFinished ? 1 : 0, "\(step)/\(point)")

        let state = try XCTUnwrap(engine.states().first { $0.stepID == step })
        switch point {
        case "before-begin":
            XCTAssertEqual(state.status, .pending, "\(step)/\(point)")
            XCTAssertFalse(state.needsReobservation)
        case "after-finish":
            XCTAssertEqual(state.status, .passed, "\(step)/\(point): the outcome was committed")
        default:
            XCTAssertNil(attempts.last?.outcome, "\(step)/\(point)")
            XCTAssertEqual(state.status, .pending, "\(step)/\(point): not running, since its owner is dead")
            XCTAssertTrue(state.needsReobservation, "\(step)/\(point)")
        }

        let resumed = ChildProcess.run([harness, "run", path])
        XCTAssertEqual(resumed.status, 0, "\(step)/\(point): \(resumed.output)")
        XCTAssertTrue(resumed.output.contains("COMPLETED"))
        XCTAssertEqual(try engine.states().map(\.status), Array(repeating: .passed, count: 5), "\(step)/\(point)")
        let after = try store.attempts(session: session.id ?? 0)
        XCTAssertFalse(after.contains { $0.outcome == nil }, "no attempt is left open")
        if point != "before-begin" && point != "after-finish" {
            XCTAssertEqual(after.first { $0.id == attempts.last?.id }?.outcome, .interrupted, "\(step)/\(point)")
            XCTAssertTrue(try store.events(session: session.id).contains { $0.kind == "step-interrupted" && $0.stepID == step })
        }
    }
}
