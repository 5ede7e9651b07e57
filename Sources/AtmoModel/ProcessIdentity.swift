import Foundation

/// This process's pid, host and kernel start time, and the same questions about other processes.
public enum ProcessIdentity {
    /// This process's id.
    public static var pid: Int32 { getpid() }

    /// This machine's host name.
    public static var host: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "unknown-host" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The start time of a process in clock ticks since boot (field 22 of /proc/PID/stat), nil if it is gone or unknown.
    public static func startTime(of pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name (which may hold spaces) start at field 3.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? String(fields[19]) : nil
    }

    /// Whether `pid` on this host is the same live process that recorded `start`.
    public static func isAlive(pid: Int32, start: String?) -> Bool {
        guard pid > 0 else { return false }
        if kill(pid, 0) != 0 && errno == ESRCH { return false }
        guard let start, let current = startTime(of: pid) else { return true }
        return current == start
    }
}
