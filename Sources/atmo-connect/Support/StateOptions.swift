import ArgumentParser
import AtmosphereKit
import Foundation
import Logging
import StepEngine
import Wizard

/// The options every command that runs steps shares: where the state is, which session, which screens.
struct StateOptions: ParsableArguments, StateLocating {
    @Option(
        name: .long, help: ArgumentHelp("State directory (default: $XDG_STATE_HOME/atmo-connect or ~/.local/state/atmo-connect).", valueName: "DIR"))
    var stateDir: String?

    @Option(name: .long, help: ArgumentHelp("Session to work on (default: the current one, or the answers file's session.name).", valueName: "NAME"))
    var session: String?

    @Option(name: .long, help: ArgumentHelp("Read screens from this directory instead of the built-in ones.", valueName: "DIR"))
    var screensDir: String?

    var location: StateLocation { StateLocation(stateDir: stateDir, session: session, screensDir: screensDir) }
}

/// The options of the commands that only read or pick sessions (status, sessions): where the state is, which session.
/// They run no step, so they take no screens directory and no lock options.
struct ReadStateOptions: ParsableArguments, StateLocating {
    @Option(
        name: .long, help: ArgumentHelp("State directory (default: $XDG_STATE_HOME/atmo-connect or ~/.local/state/atmo-connect).", valueName: "DIR"))
    var stateDir: String?

    @Option(name: .long, help: ArgumentHelp("Session to show (default: the current one, or the answers file's session.name).", valueName: "NAME"))
    var session: String?

    /// The screens: ATMO_CONNECT_SCREENS_DIR, or the built-in ones.
    var location: StateLocation { StateLocation(stateDir: stateDir, session: session, screensDir: nil) }
}

/// A command's options that say where its state is.
protocol StateLocating {
    var location: StateLocation { get }
}

extension StateLocating {
    var directory: StateDirectory { location.directory }

    /// Opens the store, starts the log file, and loads the screens.
    func open(commandName: String) throws -> (StateStore, WizardCatalog, Logger) { try location.open(commandName: commandName) }

    /// The session named by `--session`, then by the answers file, then the current one.
    func session(in store: StateStore, answers: AnswersFile?, createIfMissing: Bool) throws -> SessionRecord {
        try location.session(in: store, answers: answers, createIfMissing: createIfMissing)
    }
}

/// Where a command's state is, which session and which screens, as its options said.
struct StateLocation {
    var stateDir: String?
    var session: String?
    var screensDir: String?

    var directory: StateDirectory { StateDirectory.resolve(override: stateDir) }

    /// Opens the store, starts the log file, and loads the screens.
    func open(commandName: String) throws -> (StateStore, WizardCatalog, Logger) {
        let store = try StateStore(directory: directory)
        // Runtime files (the child ledger, Atmosphere scripts' temporary folders) stay in the state directory, which is
        // ours: a killed run leaves nothing in TMPDIR, and no other user can plant a record there.
        try ChildLedger.use(directory: directory.path + "/run")
        let logger = Self.startLogging(directory: directory, commandName: commandName)
        let catalog = try WizardCatalog.load(directory: screensDir ?? ProcessInfo.processInfo.environment["ATMO_CONNECT_SCREENS_DIR"])
        return (store, catalog, logger)
    }

    /// The session named by `--session`, then by the answers file, then the current one.
    func session(in store: StateStore, answers: AnswersFile?, createIfMissing: Bool) throws -> SessionRecord {
        let fromFile: String? = {
            if case let .text(name)? = answers?.values["session.name"] { return name }
            return nil
        }()
        if let name = session ?? fromFile {
            if let existing = try store.session(named: name) {
                if try store.currentSession()?.id != existing.id && createIfMissing { return try store.makeCurrent(named: name) }
                return existing
            }
            guard createIfMissing else { throw EngineError.sessionNotFound(name: name, known: try store.sessions().map(\.name)) }
            return try store.createSession(named: name)
        }
        guard let current = try store.currentSession() else { throw EngineError.noCurrentSession }
        return current
    }

    nonisolated(unsafe) private static var loggingStarted = false

    private static func startLogging(directory: StateDirectory, commandName: String) -> Logger {
        if !loggingStarted {
            do {
                try FileLogHandler.openProcessLog(path: directory.logPath)
            } catch {
                // The process's loggers stay closed (main bootstrapped them so): never a line on the output or the screen.
                FileHandle.standardError.write(
                    Data("atmo-connect: the log \(directory.logPath) cannot be opened (\(error)); this run logs nothing.\n".utf8))
            }
            loggingStarted = true
        }
        var logger = Logger(label: "atmo-connect.\(commandName)")
        logger.logLevel = .info
        return logger
    }
}

/// Options of commands that write: the lock.
struct LockOptions: ParsableArguments {
    @Flag(name: .long, help: "Take the state over from a run that looks alive (asks first unless --yes).")
    var forceUnlock = false

    @Flag(name: .long, help: "Answer yes to confirmations.")
    var yes = false

    /// Takes the lock, asking before displacing a live holder.
    func acquire(_ store: StateStore, logger: Logger) throws {
        try Self.acquire(store, logger: logger, forceUnlock: forceUnlock, yes: yes)
    }

    /// Takes the lock; a live holder is displaced only with `forceUnlock`, after a yes.
    static func acquire(_ store: StateStore, logger: Logger, forceUnlock: Bool, yes: Bool) throws {
        do {
            let outcome = try store.acquireLock(force: false)
            describe(outcome, logger: logger)
        } catch let EngineError.stateLocked(path, pid, host, since) where forceUnlock {
            let question =
                "Another atmo-connect (pid \(pid) on \(host), since \(TimeText.iso8601(since))) holds \(path). Take it over anyway?"
            guard yes || Confirmation.ask(question) else {
                throw EngineError.stateLocked(path: path, pid: pid, host: host, since: since)
            }
            describe(try store.acquireLock(force: true), logger: logger)
        }
    }

    private static func describe(_ outcome: LockAcquisition, logger: Logger) {
        switch outcome {
        case .fresh: break
        case let .tookOver(holder, interrupted), let .forced(holder, interrupted):
            let note = "took over the state from pid \(holder.pid) on \(holder.host); \(interrupted) interrupted step(s) will be run again"
            logger.notice("\(note)")
            FileHandle.standardError.write(Data("atmo-connect: \(note).\n".utf8))
        }
    }
}
