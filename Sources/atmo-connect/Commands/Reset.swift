import ArgumentParser
import Foundation
import StepEngine
import Wizard

/// `atmo-connect reset`: forget a step's attempts, or a whole session's progress.
struct Reset: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Forget a step's attempts (--step) or a whole session's answers and progress; asks first.",
        discussion: ExitStatus.help([.success, .stepFailed, .stateProblem, .usage]))

    @OptionGroup var state: StateOptions
    @OptionGroup var lock: LockOptions

    @Option(name: .long, help: ArgumentHelp("Only this step (the steps after it will run again).", valueName: "ID"))
    var step: String?

    mutating func run() async throws {
        try await OperatorError.run { try reset() }
    }

    private func reset() throws -> ExitStatus {
        let (store, catalog, logger) = try state.open(commandName: "reset")
        let session = try state.session(in: store, answers: nil, createIfMissing: false)
        let sessionID = session.id ?? 0
        if let step { _ = try catalog.plan.step(step) }
        let question =
            step.map { "Forget every attempt of step \($0) in session \(session.name)? The steps after it will run again." }
            ?? "Forget every answer and attempt of session \(session.name)? The event log keeps the history."
        guard lock.yes || Confirmation.ask(question) else {
            print("Nothing was reset.")
            return .stepFailed
        }
        try lock.acquire(store, logger: logger)
        defer { try? store.releaseLock() }
        if let step {
            let removed = try store.resetStep(step, session: sessionID)
            print("Step \(step) of session \(session.name) reset (\(removed) attempts forgotten).")
        } else {
            try store.resetSession(sessionID)
            print("Session \(session.name) reset.")
        }
        logger.info("reset session=\(session.name) step=\(step ?? "all")")
        return .success
    }
}
