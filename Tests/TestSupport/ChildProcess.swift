import AtmosphereKit
import Foundation
@preconcurrency import Glibc
import StepEngine

/// Runs programs for tests with posix_spawn (Foundation's Process hangs on children that daemonize),
/// with signals unblocked and default in the child, standard output and standard error captured to two files of the test
/// process's own folder (TestPaths.root), removed when the child has been waited for.
public enum ChildProcess {
    /// The test process logs nowhere (as the binary before its state is open): no "command (pid …)" lines in the output.
    private static let quietLogs: Void = FileLogHandler.bootstrapProcess()

    /// What a finished child did.
    public struct Finished: Sendable {
        public var status: Int32
        public var signal: Int32?
        /// Its standard output alone: what a test parses.
        public var stdout: String
        /// Its standard error alone.
        public var stderr: String

        /// Everything it printed, standard output then standard error: for messages a person reads and for failure
        /// messages, never for parsing.
        public var output: String { stderr.isEmpty ? stdout : stdout + stderr }
    }

    /// A running child.
    public struct Running: Sendable {
        public var pid: pid_t
        /// Where its standard output goes; standard error goes to `errorsPath`.
        public var outputPath: String
        public var errorsPath: String
        var inputPath: String?

        /// Its standard output so far.
        public var stdout: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

        /// Its standard error so far.
        public var stderr: String { (try? String(contentsOfFile: errorsPath, encoding: .utf8)) ?? "" }

        /// Everything it printed so far (standard output, then standard error).
        public var output: String { stdout + stderr }

        /// Waits for exit, and removes the files that held its input and output.
        public func wait() -> Finished {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            let signaled = (status & 0x7f) != 0 && (status & 0x7f) != 0x7f
            let finished = Finished(
                status: signaled ? -1 : (status >> 8) & 0xff, signal: signaled ? status & 0x7f : nil, stdout: stdout, stderr: stderr)
            for path in [outputPath, errorsPath] + (inputPath.map { [$0] } ?? []) { unlink(path) }
            return finished
        }

        /// Waits until the output contains `text`, up to `timeout` seconds.
        public func waitForOutput(_ text: String, timeout: Double = 10) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if output.contains(text) { return true }
                usleep(20_000)
            }
            return false
        }
    }

    /// Starts `argv` (argv[0] an absolute path) with `environment` merged over this process's.
    public static func start(_ argv: [String], environment: [String: String] = [:], stdin: String? = nil) -> Running {
        _ = quietLogs
        // The unit layer (`make test-unit`) starts nothing: a test that does belongs in Tests/layers.txt.
        precondition(
            ProcessInfo.processInfo.environment["ATMO_TEST_LAYER"] != "unit",
            "\(argv[0]) started by a unit test: name its class in Tests/layers.txt (the end-to-end layer)")
        let stem = TestPaths.root + "/child-\(UUID().uuidString.prefix(12))"
        let outputPath = stem + ".out"
        let errorsPath = stem + ".err"
        var inputPath: String?
        if let stdin {
            inputPath = stem + ".in"
            FileManager.default.createFile(atPath: stem + ".in", contents: Data(stdin.utf8))
        }
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let spawned = ProcessSpawner.spawn(
            argv, environment: merged,
            actions: [
                .open(0, path: inputPath ?? "/dev/null", flags: O_RDONLY, mode: 0),
                .open(1, path: outputPath, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: 0o600),
                .open(2, path: errorsPath, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: 0o600),
            ])
        guard case let .success(pid) = spawned else { preconditionFailure("posix_spawn \(argv[0]) failed") }
        return Running(pid: pid, outputPath: outputPath, errorsPath: errorsPath, inputPath: inputPath)
    }

    /// Runs to completion.
    public static func run(_ argv: [String], environment: [String: String] = [:], stdin: String? = nil) -> Finished {
        start(argv, environment: environment, stdin: stdin).wait()
    }
}
