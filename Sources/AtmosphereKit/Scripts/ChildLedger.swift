import AtmoModel
import Foundation
@preconcurrency import Glibc

/// Atmosphere's scripts die with the wizard: each runs in its own process group with a parent-death signal (setpriv),
/// and is written down here with its start time, so that a later run can end any that outlived a killed wizard (by pid
/// and start time, never a recycled pid) and remove that wizard's temporary folders.
///
/// Its records and the temporary folders live in a runtime directory that is ours (PrivateDirectory: 0700, owned by this
/// user): the state directory's `run/` once the state is open (`use(directory:)`), so a killed run leaves nothing in
/// TMPDIR; before that, `atmo-connect-UID` in TMPDIR, checked the same way (another user's is refused, never used).
public enum ChildLedger {
    nonisolated(unsafe) private static var configured: String?
    private static let lock = NSLock()

    /// Keeps runtime files in `directory` (made 0700 if missing; refused if it is not ours).
    public static func use(directory: String) throws(PrivateDirectory.Problem) {
        try PrivateDirectory.ensure(directory)
        lock.lock()
        configured = directory
        lock.unlock()
    }

    /// The runtime directory, checked.
    static func runtimeDirectory() throws(PrivateDirectory.Problem) -> String {
        lock.lock()
        let chosen = configured ?? NSTemporaryDirectory() + "atmo-connect-\(geteuid())"
        lock.unlock()
        try PrivateDirectory.ensure(chosen)
        return chosen
    }

    /// Where the records live.
    static func recordsDirectory() throws(PrivateDirectory.Problem) -> String {
        let directory = try runtimeDirectory() + "/children"
        try PrivateDirectory.ensure(directory)
        return directory
    }

    /// The prefix for argv that makes the child die when this process does, when the system has setpriv.
    static let deathSignal: [String] =
        FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
        ? ["/usr/bin/setpriv", "--pdeathsig", "KILL", "--"] : []

    /// This process as an owner: pid and kernel start time.
    static var owner: String { "\(ProcessIdentity.pid)-\(ProcessIdentity.startTime(of: ProcessIdentity.pid) ?? "0")" }

    /// A temporary folder (0700) owned by this process, in the runtime directory, so that a sweep after a crash can find
    /// and remove it.
    public static func temporaryFolder(_ label: String) throws -> String {
        let path = try runtimeDirectory() + "/\(label)-\(owner)-\(UUID().uuidString.prefix(8))"
        guard mkdir(path, 0o700) == 0 else {
            throw PrivateDirectory.Problem(path: path, reason: "it cannot be created (\(String(cString: strerror(errno))))")
        }
        return path
    }

    /// Notes a child this process has just started, or ends it (its whole group) and throws when the note cannot be
    /// kept: a child nobody knows of could outlive a killed wizard.
    static func keep(pid: pid_t, name: String) throws {
        do {
            let text = "\(ProcessIdentity.startTime(of: pid) ?? "")\n\(name)\n"
            try PrivateFile.write(text, to: "\(try recordsDirectory())/\(owner)-\(pid)")
        } catch {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
            throw ScriptError.cannotStart(name, "its record in the runtime directory could not be kept: \(error)")
        }
    }

    /// Forgets a child that has ended.
    public static func forget(pid: pid_t) {
        guard let directory = try? recordsDirectory() else { return }
        unlink("\(directory)/\(owner)-\(pid)")
    }

    /// Ends the children of wizards that are gone (their process groups, by pid and start time) and removes those
    /// wizards' temporary folders; one line per thing done.
    @discardableResult
    public static func sweep() throws -> [String] {
        var done: [String] = []
        let manager = FileManager.default
        let directory = try recordsDirectory()
        for name in try manager.contentsOfDirectory(atPath: directory) {
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
        let runtime = try runtimeDirectory()
        for name in try manager.contentsOfDirectory(atPath: runtime) where name.hasPrefix("shell-") || name.hasPrefix("reach-") {
            let parts = name.split(separator: "-").map(String.init)
            guard parts.count >= 4, let wizard = Int32(parts[1]), !ProcessIdentity.isAlive(pid: wizard, start: parts[2]) else { continue }
            try? manager.removeItem(atPath: runtime + "/" + name)
            done.append("removed \(runtime)/\(name), left by an interrupted run")
        }
        return done
    }
}
