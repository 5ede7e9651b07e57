import AtmoModel
import Foundation

/// Everything the engine can refuse or fail at, each with what the operator should do next.
public enum EngineError: Problem, Equatable {
    case stateDirectoryUnusable(path: String, reason: String)
    case stateCorrupt(path: String, reason: String)
    /// The database was made or migrated by a newer atmo-connect: this one does not know its schema and writes nothing.
    case stateTooNew(path: String, migrations: [String])
    case stateLocked(path: String, pid: Int32, host: String, since: Date)
    /// Another run took the state over (--force-unlock) while this one worked: it writes nothing more and stops.
    case lockLost(path: String)
    case sessionNotFound(name: String, known: [String])
    case sessionExists(name: String)
    case invalidSessionName(String)
    case noCurrentSession
    case unknownStep(String, known: [String])
    /// Only optional steps may be skipped.
    case requiredStepNotSkippable(step: String, title: String)
    case unknownAnswerKey(String)
    case secretNotPersistable(key: String)
    case invalidPlan(String)
    case fileUnreadable(path: String, reason: String)
    case fileUnwritable(path: String, reason: String)

    /// One line saying what failed and where.
    public var message: String {
        switch self {
        case let .stateDirectoryUnusable(path, reason):
            return "The state directory \(path) cannot be used: \(reason)."
        case let .stateCorrupt(path, reason):
            return "The state database \(path) cannot be read: \(reason)."
        case let .stateTooNew(path, migrations):
            return "The state database \(path) was made by a newer atmo-connect (schema \(migrations.joined(separator: ", ")), unknown to this one)."
        case let .stateLocked(path, pid, host, since):
            return "Another atmo-connect (pid \(pid) on \(host), since \(Self.stamp(since))) is using the state in \(path)."
        case let .lockLost(path):
            return
                "Another atmo-connect took over the state in \(path) (--force-unlock) while this run was working: this run stops here, before its next change."
        case let .sessionNotFound(name, known):
            let list = known.isEmpty ? "there are no sessions yet" : "known sessions: \(known.joined(separator: ", "))"
            return "There is no session named \"\(name)\" (\(list))."
        case let .sessionExists(name):
            return "A session named \"\(name)\" already exists."
        case let .invalidSessionName(name):
            return "\"\(name)\" is not a valid session name."
        case .noCurrentSession:
            return "There is no current session."
        case let .unknownStep(id, known):
            return "There is no step \"\(id)\" (steps: \(known.joined(separator: ", ")))."
        case let .requiredStepNotSkippable(step, title):
            return "The step \(step) (\(title)) is required: it cannot be skipped."
        case let .unknownAnswerKey(key):
            return "There is no answer key \"\(key)\"."
        case let .secretNotPersistable(key):
            return "The answer \(key) is a secret and is never written to the state database."
        case let .invalidPlan(reason):
            return "The plan of steps is inconsistent: \(reason)."
        case let .fileUnreadable(path, reason):
            return "Cannot read \(path): \(reason)."
        case let .fileUnwritable(path, reason):
            return "Cannot write \(path): \(reason)."
        }
    }

    /// What to do about it.
    public var remedy: String {
        switch self {
        case .stateDirectoryUnusable:
            return "Pass --state-dir with a directory you own, or fix the permissions (the directory must be writable, mode 0700)."
        case let .stateCorrupt(path, _):
            return
                "Move \(path) aside (mv \(path) \(path).broken) and start again; your answers can be re-imported with --answers if you exported them."
        case .stateTooNew:
            return "Use the atmo-connect that made it (or a newer one); this one leaves the file as it is."
        case .stateLocked:
            return "Wait for that run to finish, or if it is stuck, stop it; if it is gone for good, rerun with --force-unlock."
        case .lockLost:
            return "Let the run that took over finish; it checks again what this one left. Check `atmo-connect status` afterwards."
        case .sessionNotFound:
            return "Run `atmo-connect sessions` to list them, or name a new one in the answers file (session.name)."
        case .sessionExists:
            return "Choose another name, or resume that session with --session NAME."
        case .invalidSessionName:
            return "Use 1 to 63 characters: lowercase letters, digits and dashes, starting with a letter or digit."
        case .noCurrentSession:
            return "Start one with `atmo-connect apply --answers FILE` or the interactive wizard."
        case .unknownStep:
            return "Run `atmo-connect status` to see the step ids."
        case .requiredStepNotSkippable:
            return "Only optional steps can be skipped (`atmo-connect status` marks required ones with *). Run it, and fix what it reports."
        case .unknownAnswerKey:
            return "Check the key's spelling against `atmo-connect export --answers FILE`."
        case .secretNotPersistable:
            return "Supply it each run: typed, or in the answers file as {from_env: NAME} or {from_file: PATH}."
        case .invalidPlan:
            return "This is a bug in the screens: report it with the message above."
        case .fileUnreadable:
            return "Check that the path exists and that you may read it."
        case .fileUnwritable:
            return "Check that the directory exists and that you may write to it."
        }
    }

    static func stamp(_ date: Date) -> String {
        TimeText.iso8601(date)
    }
}

extension EngineError: LocalizedError {
    public var errorDescription: String? { "\(message)\n\(remedy)" }
}
