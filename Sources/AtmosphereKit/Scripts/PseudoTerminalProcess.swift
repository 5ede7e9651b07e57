import AtmoModel
import CPty
import Foundation
@preconcurrency import Glibc

/// A child process on a pseudo-terminal, so that Python scripts prompt line by line as they do for a person.
/// Echo is off: answers (a secret among them) never come back into what is read.
public final class PseudoTerminalProcess {
    public let pid: pid_t
    private let master: Int32
    private var finished: Int32?

    /// Starts `executable` with `arguments` in `directory`; nothing secret may be in `arguments` (they are visible to ps).
    public init(executable: String, arguments: [String], environment: [String: String], directory: String) throws {
        var name = [CChar](repeating: 0, count: 128)
        master = cpty_open_master(&name, name.count)
        guard master >= 0 else { throw ScriptError.cannotStart(executable, String(cString: strerror(errno))) }
        let slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let slave = open(slavePath, O_RDWR | O_NOCTTY)
        var settings = termios()
        tcgetattr(slave, &settings)
        settings.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(slave, TCSANOW, &settings)
        close(slave)

        // env -C changes directory without a shell; the environment goes in envp, never argv.
        // It dies with the wizard (parent-death signal) and leads its own session and process group.
        let argv = ["/usr/bin/env", "-C", directory] + ChildLedger.deathSignal + [executable] + arguments
        switch ProcessSpawner.spawn(
            argv, environment: environment,
            actions: [.close(master), .open(0, path: slavePath, flags: O_RDWR, mode: 0), .duplicate(0, to: 1), .duplicate(0, to: 2)],
            newSession: true)
        {
        case let .success(child):
            pid = child
            do {
                try ChildLedger.keep(pid: child, name: (executable as NSString).lastPathComponent + " " + (arguments.first ?? ""))
            } catch {
                close(master)
                throw error
            }
        case let .failure(failure):
            close(master)
            throw ScriptError.cannotStart(executable, failure.reason)
        }
    }

    deinit {
        if finished == nil { kill(pid, SIGKILL); _ = wait() }
        close(master)
    }

    /// What the child wrote within `timeout` seconds (empty if nothing), or nil once it has closed the terminal.
    public func read(timeout: TimeInterval) -> String? {
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(timeout * 1000))
        guard ready > 0 else { return ready == 0 ? "" : nil }
        var buffer = [UInt8](repeating: 0, count: 8192)
        let count = Glibc.read(master, &buffer, buffer.count)
        // Linux answers EIO on the master once every slave descriptor is closed: the child is done.
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    /// Types a line.
    public func send(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Presses Ctrl-C on the terminal (the script's KeyboardInterrupt).
    public func interrupt() {
        var byte: UInt8 = 3
        _ = write(master, &byte, 1)
    }

    /// Waits for the child and returns its exit status (128 + signal if it was killed).
    @discardableResult
    public func wait() -> Int32 {
        if let finished { return finished }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let signal = status & 0x7f
        let result = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        finished = result
        ChildLedger.forget(pid: pid)
        return result
    }
}

/// Why a script could not be run or finished badly.
public enum ScriptError: Problem, Equatable {
    case cannotStart(String, String)
    case timedOut(String, seconds: Int)
    /// It said nothing for this long, and was stopped (a long script is limited by its silence, not its length).
    case silent(String, seconds: Int)

    /// What failed and what to do.
    public var message: String {
        switch self {
        case let .cannotStart(executable, reason): "\(executable) could not be started (\(reason)); check atmosphere.venv and the checkout."
        case let .timedOut(script, seconds): "\(script) did not finish within \(seconds) s; its output so far is in the report."
        case let .silent(script, seconds): "\(script) printed nothing for \(seconds) s and was stopped; what it did so far stays done."
        }
    }

    /// What to do about it.
    public var remedy: String {
        switch self {
        case .cannotStart: "Check atmosphere.venv and atmosphere.checkout (the virtualenv's python must run there), then run the step again."
        case .timedOut, .silent:
            "Read the output in the log (F2); fix what it waits for (the database, a prompt it did not expect), then run the step again."
        }
    }
}
