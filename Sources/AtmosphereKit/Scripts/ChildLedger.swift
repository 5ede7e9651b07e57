import AtmoModel
import Foundation
@preconcurrency import Glibc

/// Atmosphere's scripts die with the wizard: each runs in its own process group with a parent-death signal (setpriv),
/// and is written down here with its start time, so that a later run can end any that outlived a killed wizard (by pid
/// and start time, never a recycled pid) and remove that wizard's temporary folders.
public enum ChildLedger {
    /// Where the records live (0700).
    static var directory: String { NSTemporaryDirectory() + "atmo-connect-children" }

    /// The prefix for argv that makes the child die when this process does, when the system has setpriv.
    static let deathSignal: [String] =
        FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
        ? ["/usr/bin/setpriv", "--pdeathsig", "KILL", "--"] : []

    /// This process as an owner: pid and kernel start time.
    static var owner: String { "\(ProcessIdentity.pid)-\(ProcessIdentity.startTime(of: ProcessIdentity.pid) ?? "0")" }

    /// A temporary folder (0700) owned by this process, so that a sweep after a crash can find and remove it.
    public static func temporaryFolder(_ label: String) throws -> String {
        let path = NSTemporaryDirectory() + "atmo-\(label)-\(owner)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return path
    }

    /// Notes a child this process started.
    public static func record(pid: pid_t, name: String) {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let text = "\(ProcessIdentity.startTime(of: pid) ?? "")\n\(name)\n"
        FileManager.default.createFile(atPath: "\(directory)/\(owner)-\(pid)", contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
    }

    /// Forgets a child that has ended.
    public static func forget(pid: pid_t) {
        unlink("\(directory)/\(owner)-\(pid)")
    }

    /// Ends the children of wizards that are gone (their process groups, by pid and start time) and removes those
    /// wizards' temporary folders; one line per thing done.
    @discardableResult
    public static func sweep() -> [String] {
        var done: [String] = []
        let manager = FileManager.default
        for name in (try? manager.contentsOfDirectory(atPath: directory)) ?? [] {
            let parts = name.split(separator: "-").map(String.init)
            guard parts.count == 3, let wizard = Int32(parts[0]), let child = Int32(parts[2]) else { continue }
            guard !ProcessIdentity.isAlive(pid: wizard, start: parts[1]) else { continue }
            let lines = ((try? String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
            if let start = lines.first, !start.isEmpty, ProcessIdentity.startTime(of: child) == start {
                kill(-child, SIGKILL)
                kill(child, SIGKILL)
                done.append("ended \(lines.dropFirst().first ?? "a script") (pid \(child)), left running by an interrupted run")
            }
            unlink("\(directory)/\(name)")
        }
        let temporary = NSTemporaryDirectory()
        for name in (try? manager.contentsOfDirectory(atPath: temporary)) ?? [] where name.hasPrefix("atmo-shell-") || name.hasPrefix("atmo-reach-") {
            let parts = name.split(separator: "-").map(String.init)
            guard parts.count >= 5, let wizard = Int32(parts[2]), !ProcessIdentity.isAlive(pid: wizard, start: parts[3]) else { continue }
            try? manager.removeItem(atPath: temporary + name)
            done.append("removed \(temporary + name), left by an interrupted run")
        }
        return done
    }
}
