import Foundation
import TestSupport
import XCTest

/// scripts/atmosphere-kill-trials.sh: kill -9 at random instants of the Atmosphere steps (upstream's scripts, one
/// trial per generation here; `make bench` runs 30), then each resume must complete with one provider, no provider
/// JSON, no script and no temporary folder of the killed run left.
final class AtmosphereKillTrialsTests: XCTestCase {
    func testEveryResumeAfterAKillAtARandomInstantCompletes() throws {
        let script = TestPaths.repository + "/scripts/atmosphere-kill-trials.sh"
        let run = ChildProcess.run(["/bin/bash", script, TestPaths.executable("atmo-connect"), "3", String(Int.random(in: 1...30000))])
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("3 passed, 0 failed"), run.output)
        XCTAssertEqual(run.output.components(separatedBy: "resumed to the end, one provider, nothing left").count - 1, 3, run.output)
    }

    /// Issue 25's shape: killed anywhere in the whole apply, secrets given and generated in turn; every trial completes
    /// with at most two plain re-runs, one provider, nothing left on the cloud or on disk (run with 40 trials for the figure in the notes).
    func testEveryKillAnywhereResumesByItselfWithGivenOrGeneratedSecrets() throws {
        let script = TestPaths.repository + "/scripts/atmosphere-kill-trials.sh"
        let run = ChildProcess.run(
            ["/bin/bash", script, TestPaths.executable("atmo-connect"), "4", String(Int.random(in: 1...30000))],
            environment: ["KILL_SPAN": "all", "KILL_SECRETS": "alternate", "KILL_RESUMES": "2"])
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("4 passed, 0 failed"), run.output)
        XCTAssertEqual(run.output.components(separatedBy: "secrets generated)").count - 1, 2, run.output)
        XCTAssertEqual(run.output.components(separatedBy: "one provider, nothing left").count - 1, 4, run.output)
    }
}
