import ArgumentParser
import Foundation
import StepEngine
import Wizard

/// `atmo-connect apply`: runs the plan unattended.
struct Apply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Run the steps unattended, stopping at the first that fails or is not available yet.",
        discussion: ExitStatus.help([.success, .stepFailed, .stateProblem, .answersProblem, .notAvailable, .needsConsent, .needsRemoteOutput, .usage]))

    @OptionGroup var state: StateOptions
    @OptionGroup var lock: LockOptions

    @Option(name: .long, help: ArgumentHelp("Answers file (YAML); without it, the session's stored answers.", valueName: "FILE"))
    var answers: String?

    @Option(name: .long, help: ArgumentHelp("Stop after this step.", valueName: "STEP"))
    var until: String?

    @Option(
        name: .customLong("skip"),
        help: ArgumentHelp("Skip this optional step: recorded as skipped, nothing checked or changed (repeatable).", valueName: "STEP"))
    var skip: [String] = []

    mutating func run() async throws {
        try await OperatorError.run { try await apply() }
    }

    private func apply() async throws -> ExitStatus {
        let (store, catalog, logger) = try state.open(commandName: "apply")
        let file = try answers.map { try AnswersFile.load(path: $0, inputs: catalog.plan.inputs) }
        try lock.acquire(store, logger: logger)
        defer { try? store.releaseLock() }
        let session = try state.session(in: store, answers: file, createIfMissing: true)
        let opened = try OpenedSession(session, store: store, catalog: catalog, file: file, event: file == nil ? .answersResolved : .answersApplied)
        let (engine, resolution, stale) = (opened.engine, opened.resolution, opened.stale)
        logger.info("apply session=\(session.name) answers=\(resolution.toStore.count) stale=\(stale.count)")
        print("Session \(session.name): \(resolution.toStore.count) answer(s) recorded.")
        for (key, reason) in resolution.inactive { print("Note: \(key) is kept, but \(reason).") }
        if let notice = TestMode.notice(try engine.answerValues()) { print("Warning: \(notice). Not for production.") }
        if !stale.isEmpty {
            print("Changed answers mean these finished steps run again: \(stale.joined(separator: ", ")).")
        }
        var run = UnattendedApply(engine: engine, catalog: catalog)
        run.shownOnce = { label, value in
            // Only to a person's terminal: a redirected output may end up in a CI log.
            if isatty(STDOUT_FILENO) == 1 {
                print("\n  \(label), shown once and stored nowhere: \(value)\n")
            } else {
                print(
                    "  \(label) was set; it is not printed because the output is not a terminal. If it was generated rather than "
                        + "given in the answers file, give one there ({from_env: VARIABLE} or {from_file: PATH}) and run the step again "
                        + "(for atmoadmin, with atmoadmin.reset_password: true).")
            }
        }
        @Sendable func show(_ line: ApplyProgress) {
            print(
                "  \(line.step.padding(toLength: 18, withPad: " ", startingAt: 0)) \(line.status.padding(toLength: 14, withPad: " ", startingAt: 0)) \(line.message)"
            )
            // A pipe or a file sees each line as it comes, not at the end of a long step.
            fflush(nil)
        }
        run.working = { step, message in show(ApplyProgress(step: step, status: "working", message: message)) }
        let stop = try await run.run(until: until, skipping: skip) { show($0) }
        logger.info("apply stopped: \(String(describing: stop))")
        try store.setOpenStep(stop.step ?? until ?? catalog.screens.last?.id, session: session.id ?? 0)
        switch stop {
        case .completed:
            print(until.map { "Done through \($0)." } ?? "All steps done.")
            return .success
        case let .failed(step, message):
            print(
                "Stopped: step \(step) failed: \(message)\n  Fix what it reports, then run the same command again; finished steps are not repeated.")
            return .stepFailed
        case let .missingAnswers(step, problems):
            print("Stopped at \(step): answers are missing or invalid:")
            for problem in problems { print("  - \(problem)") }
            print("  Add them to the answers file and run again.")
            return .answersProblem
        case let .needsConsent(step, key, preview):
            print("Stopped at \(step): it would make these changes:\n")
            for line in preview { print("    \(line)") }
            print(
                key.map { "\nNothing was done. To let apply do it, add `\($0): true` to the answers file, or run the step in the wizard." }
                    ?? "\nNothing was done. Run the step in the wizard to confirm it.")
            return .needsConsent
        case let .needsRemoteOutput(step, instructions, outputFile):
            print("Stopped at \(step): Atmosphere runs on another server, and this step's output from there is not saved yet.\n")
            for line in instructions { print("    \(line)") }
            print(
                "\nNothing was done here. Run the block there, save everything it printed"
                    + (outputFile.map { " as \($0)" } ?? "") + ", and run the same command again.")
            return .needsRemoteOutput
        case let .notAvailable(step, capabilities, reason):
            print(
                "Stopped at \(step): \(reason).\n  Checks it needs: \(capabilities.joined(separator: ", ")). Nothing after it was run; your answers are saved."
            )
            return .notAvailable
        }
    }
}
