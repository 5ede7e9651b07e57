import Foundation
@preconcurrency import Glibc

/// Runs programs for tests with posix_spawn (Foundation's Process hangs on children that daemonize),
/// with signals unblocked and default in the child, output captured to a file.
public enum ChildProcess {
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
        let outputPath = NSTemporaryDirectory() + "atmo-test-\(UUID().uuidString).out"
        var inputPath = "/dev/null"
        if let stdin {
            inputPath = NSTemporaryDirectory() + "atmo-test-\(UUID().uuidString).in"
            FileManager.default.createFile(atPath: inputPath, contents: Data(stdin.utf8))
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inputPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let envStrings = merged.map { "\($0.key)=\($0.value)" }
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        var cEnv: [UnsafeMutablePointer<CChar>?] = envStrings.map { strdup($0) } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, argv[0], &actions, &attributes, &cArgs, &cEnv)
        precondition(result == 0, "posix_spawn \(argv[0]) failed: \(String(cString: strerror(result)))")
        return Running(pid: pid, outputPath: outputPath)
    }

    /// Runs to completion.
    public static func run(_ argv: [String], environment: [String: String] = [:], stdin: String? = nil) -> Finished {
        start(argv, environment: environment, stdin: stdin).wait()
    }
}
