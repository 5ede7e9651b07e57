import ArgumentParser
import Foundation
import StepEngine

/// `atmo-connect sessions`: list the sessions, or switch the current one.
struct Sessions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List the sessions (one per cloud), or make one current.",
        discussion: ExitStatus.help([.success, .stateProblem, .usage]))

    @OptionGroup var state: ReadStateOptions

    @Option(name: .long, help: ArgumentHelp("Make this session the current one.", valueName: "NAME"))
    var `switch`: String?

    @Flag(name: .long, help: "The sessions as one JSON document, for scripts.")
    var json = false

    mutating func run() async throws {
        try await OperatorError.run {
            let (store, _, logger) = try state.open(commandName: "sessions")
            if json && `switch` == nil {
                try StatusDocument.print(SessionsDocument(state: store.directory.databasePath, sessions: try StatusDocument.sessions(of: store)))
                return .success
            }
            if let name = `switch` {
                // Switching never displaces a live run: it waits for none and forces nothing.
                try LockOptions.acquire(store, logger: logger, forceUnlock: false, yes: false)
                defer { try? store.releaseLock() }
                try store.makeCurrent(named: name)
                print("Current session: \(name)")
                return .success
            }
            let sessions = try store.sessions()
            guard !sessions.isEmpty else {
                print("No sessions yet in \(store.directory.path). Start one with `atmo-connect apply --answers FILE`.")
                return .success
            }
            let current = try store.currentSession()?.id
            for session in sessions {
                let mark = session.id == current ? "*" : " "
                print(
                    "\(mark) \(session.name)  created \(TimeText.iso8601(session.createdAt))"
                        + (session.openStep.map { "  open at \($0)" } ?? ""))
            }
            return .success
        }
    }
}
