import Foundation
@preconcurrency import Glibc

extension ProcessSpawner {
    /// Runs `argv` with stdin from `inputPath` and stdout and stderr into `outputPath` (0600), waiting at most `timeout`
    /// seconds (then SIGKILL to its process group); returns the exit status. `name` says what ran, in errors. The child
    /// leads its own process group and dies with the wizard (see ChildLedger).
    public static func runToCompletion(
        _ argv: [String], environment: [String: String], inputPath: String = "/dev/null", outputPath: String,
        timeout: TimeInterval, name: String
    ) throws -> Int32 {
        let pid: pid_t
        let guarded =
            argv.first == "/usr/bin/env" && argv.count > 3 && argv[1] == "-C"
            ? Array(argv.prefix(3)) + ChildLedger.deathSignal + argv.dropFirst(3) : ChildLedger.deathSignal + argv
        switch spawn(
            guarded, environment: environment,
            actions: [
                .open(0, path: inputPath, flags: O_RDONLY, mode: 0), .open(1, path: outputPath, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: 0o600),
                .duplicate(1, to: 2),
            ], newSession: true)
        {
        case let .success(child):
            pid = child
            try ChildLedger.keep(pid: child, name: name)
        case let .failure(failure): throw ScriptError.cannotStart(name, failure.reason)
        }
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline {
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                ChildLedger.forget(pid: pid)
                throw ScriptError.timedOut(name, seconds: Int(timeout))
            }
            usleep(20_000)
        }
        ChildLedger.forget(pid: pid)
        return (status >> 8) & 0xff
    }
}
