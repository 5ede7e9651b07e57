import Foundation
import StepEngine
import TestSupport

/// Test-only: drives the engine in a child process so tests can race it for the lock or kill it at a named point.
///   engine-harness hold-lock STATE_DIR        take the lock, print LOCKED, sleep until killed
///   engine-harness run STATE_DIR [STEP POINT] run the synthetic plan; SIGKILL self at POINT of STEP
///   (POINT is a FaultPoint raw value, or "side-effect" for the middle of the step's work)
@main
struct EngineHarness {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard arguments.count >= 2 else {
            FileHandle.standardError.write(Data("usage: engine-harness hold-lock|run STATE_DIR [STEP POINT]\n".utf8))
            exit(64)
        }
        let store = try StateStore(directory: StateDirectory(path: arguments[1]))
        switch arguments[0] {
        case "hold-lock":
            _ = try store.acquireLock()
            FileHandle.standardOutput.write(Data("LOCKED \(getpid())\n".utf8))
            while true { sleep(60) }
        case "run":
            let killStep = arguments.count > 3 ? arguments[2] : nil
            let killPoint = arguments.count > 3 ? arguments[3] : nil
            _ = try store.acquireLock()
            let session = try store.session(named: "crash") ?? store.createSession(named: "crash")
            let engine = Engine(store: store, plan: try SyntheticPlan.make(), session: session)
            try engine.setAnswers(SyntheticPlan.answers())
            engine.faultHook = { point, step in
                if step == killStep && point.rawValue == killPoint { kill(getpid(), SIGKILL) }
            }
            for step in SyntheticPlan.stepIDs {
                let state = try engine.states().first { $0.stepID == step }
                if state?.status == .passed { continue }
                try await engine.run(step) {
                    if step == killStep && killPoint == "side-effect" { kill(getpid(), SIGKILL) }
                    return StepResult(
                        outcome: .passed, message: "\(step) done",
                        findings: [Finding(checkID: "synthetic", target: step, severity: .ok, observed: "fine")])
                }
            }
            try store.releaseLock()
            print("COMPLETED")
        default:
            exit(64)
        }
    }
}
