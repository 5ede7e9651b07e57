import ArgumentParser
import Foundation
import StepEngine
import TerminalUI
import Wizard
import WizardTUI

/// `atmo-connect` (or `atmo-connect wizard`): the full-screen wizard.
struct RunWizard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wizard",
        abstract: "The full-screen wizard (the default): every step, resumable at any point.",
        discussion: ExitStatus.help([.success, .stateProblem, .answersProblem, .noTerminal, .usage]))

    @OptionGroup var state: StateOptions
    @OptionGroup var lock: LockOptions

    @Option(name: .long, help: ArgumentHelp("Answers file to start from.", valueName: "FILE"))
    var answers: String?

    mutating func run() async throws {
        try await OperatorError.run { try start() }
        // Ended by a signal: after everything was put back, the status says which, as the shell expects (128 + N).
        if let signal = StopSignals.shared.received { throw ExitCode(128 + signal) }
    }

    private func start() throws -> ExitStatus {
        if let refusal = TerminalProbe.check().refusal {
            FileHandle.standardError.write(
                Data(
                    """
                    atmo-connect: cannot start the full-screen wizard: \(refusal).
                      Use the headless commands instead:
                        atmo-connect apply --answers FILE   run the steps unattended
                        atmo-connect status                 show each step's status
                        atmo-connect export --answers FILE  write the answers to a file to edit
                      See atmo-connect --help.

                    """.utf8))
            return .noTerminal
        }
        let (store, catalog, logger) = try state.open(commandName: "wizard")
        let file = try answers.map { try AnswersFile.load(path: $0, inputs: catalog.plan.inputs) }
        try lock.acquire(store, logger: logger)
        defer { try? store.releaseLock() }
        var sessionName = state.session
        if let file, sessionName == nil {
            sessionName = try state.session(in: store, answers: file, createIfMissing: true).name
        }
        let terminal: NcursesTerminal
        switch NcursesTerminal.start() {
        case let .success(started): terminal = started
        case let .failure(failure):
            FileHandle.standardError.write(Data("atmo-connect: cannot start the full-screen wizard: \(failure.reason).\n".utf8))
            return .noTerminal
        }
        logger.info("wizard started")
        StopSignals.shared.install()
        do {
            let app = try TUIApp(
                terminal: terminal, catalog: catalog, store: store, sessionName: sessionName, answersFile: file,
                stopRequested: { StopSignals.shared.received != nil })
            app.run()
            terminal.shutdown()
        } catch {
            terminal.shutdown()
            throw error
        }
        let signal = StopSignals.shared.received.map { " on signal \($0)" } ?? ""
        logger.info("wizard quit\(signal)")
        return .success
    }
}
