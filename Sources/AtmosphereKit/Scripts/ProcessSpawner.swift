import CPty
import Foundation
@preconcurrency import Glibc
import Logging

/// Starts child processes with posix_spawn (Foundation's Process hangs on children that daemonize), with signals
/// unblocked and default in the child, and the environment in envp (never argv).
public enum ProcessSpawner {
    /// File descriptor set-up for the child: open a path on a descriptor, duplicate one, or close one.
    public enum FileAction: Sendable {
        case open(Int32, path: String, flags: Int32, mode: mode_t)
        case duplicate(Int32, to: Int32)
        case close(Int32)
    }

    /// Spawns `argv` (argv[0] an absolute path); `newSession` makes the child a session leader (so a terminal it opens
    /// becomes its controlling one). Returns the pid, or the errno of the failure.
    public static func spawn(
        _ argv: [String], environment: [String: String], actions: [FileAction], newSession: Bool = false
    ) -> Result<pid_t, SpawnFailure> {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        // 0x80 is glibc's POSIX_SPAWN_SETSID, not visible through the Glibc module.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | (newSession ? 0x80 : 0)))
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        for action in actions {
            switch action {
            case let .open(descriptor, path, flags, mode): posix_spawn_file_actions_addopen(&fileActions, descriptor, path, flags, mode)
            case let .duplicate(descriptor, target): posix_spawn_file_actions_adddup2(&fileActions, descriptor, target)
            case let .close(descriptor): posix_spawn_file_actions_addclose(&fileActions, descriptor)
            }
        }
        // Nothing else of this process's reaches the child: not the state database, not a listening socket (a child
        // holding one keeps it open after this process closed it, accepting for nobody), not a pipe.
        _ = cpty_spawn_closefrom(&fileActions, 3)
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        var cEnvironment: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, argv[0], &fileActions, &attributes, &cArguments, &cEnvironment)
        // The command as run: argv never holds a secret (they go by environment or stdin), and the log masks any it knows.
        let words = argv.map { $0.contains(" ") || $0.isEmpty ? "'\($0)'" : $0 }.joined(separator: " ")
        if status == 0 {
            log.info("command (pid \(pid)): \(words)")
        } else {
            log.info("command could not start (\(SpawnFailure(code: status).reason)): \(words)")
        }
        return status == 0 ? .success(pid) : .failure(SpawnFailure(code: status))
    }

    private static let log = Logger(label: "atmo-connect.commands")
}

/// Why a child could not be started.
public struct SpawnFailure: Error, Sendable {
    public let code: Int32
    /// The system's words for it.
    public var reason: String { String(cString: strerror(code)) }
}
