import AtmosphereKit
import Foundation
@preconcurrency import Glibc
import StepEngine

/// Runs programs for tests with posix_spawn (Foundation's Process hangs on children that daemonize),
/// with signals unblocked and default in the child, output captured to a file.
public enum ChildProcess {
    /// The test process logs nowhere (as the binary before its state is open): no "command (pid …)" lines in the output.
    private static let quietLogs: Void = FileLogHandler.bootstrapProcess()

    /// What a finished child did.
    public struct Finished: Sendable {
        public var status: Int32
        public var signal: Int32?
        public var output: String
    }

    /// A running child.
    public struct Running: Sendable {
        public var pid: pid_t
        public var outputPath: String

        /// The output so far.
        public var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

        /// Waits for exit.
        public func wait() -> Finished {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            let signaled = (status & 0x7f) != 0 && (status & 0x7f) != 0x7f
            return Finished(status: signaled ? -1 : (status >> 8) & 0xff, signal: signaled ? status & 0x7f : nil, output: output)
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
        let outputPath = NSTemporaryDirectory() + "atmo-test-\(UUID().uuidString).out"
        var inputPath = "/dev/null"
        if let stdin {
            inputPath = NSTemporaryDirectory() + "atmo-test-\(UUID().uuidString).in"
            FileManager.default.createFile(atPath: inputPath, contents: Data(stdin.utf8))
        }
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let spawned = ProcessSpawner.spawn(
            argv, environment: merged,
            actions: [
                .open(0, path: inputPath, flags: O_RDONLY, mode: 0), .open(1, path: outputPath, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: 0o600),
                .duplicate(1, to: 2),
            ])
        guard case let .success(pid) = spawned else { preconditionFailure("posix_spawn \(argv[0]) failed") }
        return Running(pid: pid, outputPath: outputPath)
    }

    /// Runs to completion.
    public static func run(_ argv: [String], environment: [String: String] = [:], stdin: String? = nil) -> Finished {
        start(argv, environment: environment, stdin: stdin).wait()
    }
}
