import Foundation
import GRDB
import StepEngine

/// `make bench`: the step engine's costs, each set against a baseline measured in the same run or the target.
///   engine-bench STATE-DIR
/// leaves its state (one session, 10,000 events) in STATE-DIR, for the start-up benchmark's `atmo-connect status`.
@main
struct EngineBench {
    static func main() async throws {
        guard let stateDirectory = CommandLine.arguments.dropFirst().first else {
            print("usage: engine-bench STATE-DIR (a directory to create; it is left for `atmo-connect status --state-dir`)")
            exit(2)
        }
        try FileManager.default.createDirectory(
            atPath: stateDirectory, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let store = try StateStore(directory: StateDirectory(path: stateDirectory))
        let steps = (1...5).map { StepDefinition(id: "s\($0)", title: "s\($0)") }
        let plan = try Plan(steps: steps)
        let engine = Engine(store: store, plan: plan, session: try store.createSession(named: "bench"))

        // A step transition: `running` committed, then the outcome, each its own fsync'd transaction.
        var transitions: [Double] = []
        for index in 0..<200 {
            let started = DispatchTime.now().uptimeNanoseconds
            try await engine.run("s\(index % 5 + 1)") { StepResult(outcome: .passed, message: "ok") }
            transitions.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
        }
        // Baseline: the same disk, one byte written and fsync'd, twice (as a transition commits twice).
        let probe = stateDirectory + "/fsync-probe"
        defer { unlink(probe) }
        let descriptor = open(probe, O_WRONLY | O_CREAT, 0o600)
        var fsyncs: [Double] = []
        for _ in 0..<200 {
            let started = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<2 {
                var byte: UInt8 = 1
                _ = write(descriptor, &byte, 1)
                fsync(descriptor)
            }
            fsyncs.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
        }
        close(descriptor)

        // Resume with 10,000 events: open the state, take the lock (closing interrupted attempts), derive every status.
        let pool = try DatabasePool(path: store.directory.databasePath)
        try await pool.write { db in
            for index in 0..<10_000 {
                try db.execute(
                    sql: "INSERT INTO event(sessionID, at, kind, stepID, detail) VALUES (1, ?, 'bench', 's1', ?)",
                    arguments: [Date(), "event \(index)"])
            }
        }
        var resumes: [Double] = []
        for _ in 0..<20 {
            let started = DispatchTime.now().uptimeNanoseconds
            let reopened = try StateStore(directory: StateDirectory(path: stateDirectory))
            _ = try reopened.acquireLock()
            let session = try reopened.currentSession()
            _ = try Engine(store: reopened, plan: plan, session: session ?? engine.session).states()
            try reopened.releaseLock()
            resumes.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
        }
        let events = try store.eventCount()

        let lines = [
            "Step engine (this machine, one run; medians):",
            String(
                format: "  step transition incl. fsync: %.2f× two bare write+fsync calls on the same disk (%d transitions)",
                median(transitions) / median(fsyncs), transitions.count),
            String(format: "  resume at %d events (open, lock, all statuses): %.2f of the 50 ms target", events, median(resumes) / 50),
        ]
        print(lines.joined(separator: "\n"))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}
