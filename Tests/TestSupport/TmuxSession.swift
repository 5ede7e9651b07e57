import Foundation

/// A private tmux server running one command in a detached session, driven as an operator would type.
public final class TmuxSession {
    public let socket: String
    private let tmux = "/usr/bin/tmux"

    /// Starts `command` (a shell command line) in a window of the given size.
    public init(command: String, columns: Int = 100, rows: Int = 30) {
        socket = TestPaths.root + "/tmux-\(UUID().uuidString.prefix(8)).sock"
        let started = ChildProcess.run([
            tmux, "-S", socket, "-f", "/dev/null", "new-session", "-d", "-s", "t",
            "-x", String(columns), "-y", String(rows), command,
        ])
        precondition(started.status == 0, "tmux did not start: \(started.output)")
    }

    deinit { close() }

    /// Ends the server and everything in it.
    public func close() {
        _ = ChildProcess.run([tmux, "-S", socket, "kill-server"])
        unlink(socket)
    }

    /// Presses keys by tmux name (Enter, Tab, BTab, C-u, F10, Up…).
    public func press(_ keys: String...) {
        _ = ChildProcess.run([tmux, "-S", socket, "send-keys", "-t", "t"] + keys)
    }

    /// Types text literally.
    public func type(_ text: String) {
        _ = ChildProcess.run([tmux, "-S", socket, "send-keys", "-t", "t", "-l", text])
    }

    /// Pastes text as a terminal paste (bracketed, when the program asked for it).
    public func paste(_ text: String) {
        _ = ChildProcess.run([tmux, "-S", socket, "set-buffer", "--", text])
        _ = ChildProcess.run([tmux, "-S", socket, "paste-buffer", "-p", "-t", "t"])
    }

    /// The screen as text (with escape sequences for colours and attributes when `escapes`).
    public func screen(escapes: Bool = false) -> String {
        ChildProcess.run([tmux, "-S", socket, "capture-pane", "-p", "-t", "t"] + (escapes ? ["-e"] : [])).output
    }

    /// Waits until the screen shows `text`.
    @discardableResult
    public func waitFor(_ text: String, timeout: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if screen().contains(text) { return true }
            usleep(50_000)
        }
        return false
    }

    /// The pid of the pane's shell (the command's parent).
    public var panePID: pid_t? {
        pid_t(ChildProcess.run([tmux, "-S", socket, "display-message", "-p", "-t", "t", "#{pane_pid}"]).output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Changes the window's size, as a terminal emulator would.
    public func resize(columns: Int, rows: Int) {
        _ = ChildProcess.run([tmux, "-S", socket, "resize-window", "-t", "t", "-x", String(columns), "-y", String(rows)])
    }
}

/// Finds processes by their command line, for kill tests.
public enum ProcessTable {
    /// The parent of a process, from /proc.
    public static func parent(of pid: pid_t) -> pid_t? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return nil }
        // After "pid (comm)": state, then the parent's pid.
        return stat[stat.index(after: close)...].split(separator: " ").dropFirst().first.flatMap { pid_t($0) }
    }

    /// Pids of `executable` whose command line contains every fragment (not shells or tmux naming it).
    public static func pids(of executable: String, containing fragments: [String]) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), pid != getpid(),
                let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
            else { return nil }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard arguments.first == executable else { return nil }
            return fragments.allSatisfy { fragment in arguments.contains { $0.contains(fragment) } } ? pid : nil
        }
    }
}
