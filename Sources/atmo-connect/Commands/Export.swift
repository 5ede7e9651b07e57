import ArgumentParser
import Foundation
import StepEngine
import Wizard

/// `atmo-connect export`: the session's answers as a commented answers file, without secrets.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the session's answers as a commented YAML answers file (secrets left out).",
        discussion: """
            With no session yet (a fresh machine), or with --template, it writes the template of every key instead: \
            each commented out under its help, default and choices, ready to fill in for `atmo-connect apply --answers FILE`.

            """ + ExitStatus.help([.success, .stateProblem, .answersProblem, .usage]))

    @OptionGroup var state: StateOptions

    @Option(name: .long, help: ArgumentHelp("Where to write the answers file (mode 0600); without it, standard output.", valueName: "FILE"))
    var answers: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Also write the session's Markdown report (steps, findings, answers, files written; no secret).", valueName: "FILE"))
    var report: String?

    @Flag(name: .long, help: "Write the template of every key, commented, instead of a session's answers.")
    var template = false

    mutating func run() async throws {
        try await OperatorError.run {
            let (store, catalog, logger) = try state.open(commandName: "export")
            let found: SessionRecord?
            do {
                found = template ? nil : try state.session(in: store, answers: nil, createIfMissing: false)
            } catch EngineError.noCurrentSession where state.session == nil && report == nil {
                // Nothing to export yet: the template is what an unattended run starts from.
                found = nil
            }
            guard let session = found else { return try writeTemplate(catalog) }
            let stored = try store.answers(session: session.id ?? 0)
            let text = AnswersFile.render(sessionName: session.name, sections: catalog.answerSections, answers: stored)
            // Never a file apply refuses to read.
            if UInt64(text.utf8.count) > AnswersFile.maximumSize {
                let largest = stored.max { $0.value.value.displayText.utf8.count < $1.value.value.displayText.utf8.count }
                throw CommandProblem(
                    message: "the answers of session \(session.name) come to \(text.utf8.count) bytes, over the \(AnswersFile.maximumSize) (1 MiB) "
                        + "that apply reads; nothing was written" + (largest.map { " (the largest is \($0.key))" } ?? ""),
                    remedy: "Shorten that answer (a list of ranges rather than of single addresses, for instance), then export again.",
                    status: .answersProblem)
            }
            if let report {
                let path = (report as NSString).expandingTildeInPath
                let engine = Engine(store: store, plan: catalog.plan, session: session)
                try AnswersFile.writePrivately(try SessionReport.markdown(engine: engine, catalog: catalog), to: path)
                try store.recordArtifact(session: session.id ?? 0, path: path)
                print("Wrote the report of session \(session.name) to \(path).")
                if answers == nil { return .success }
            }
            guard let answers else {
                print(text, terminator: "")
                return .success
            }
            try AnswersFile.writePrivately(text, to: answers)
            let path = (answers as NSString).expandingTildeInPath
            try store.recordArtifact(session: session.id ?? 0, path: path)
            logger.info("exported \(stored.count) answers to \(path)")
            let secrets = catalog.plan.inputs.filter(\.isSecret).count
            print(
                "Wrote \(stored.count) answers of session \(session.name) to \(path) (mode 0600). \(secrets) secret inputs are listed there, not written."
            )
            return .success
        }
    }

    /// Writes the template of every key (to the file, or standard output).
    private func writeTemplate(_ catalog: WizardCatalog) throws -> ExitStatus {
        let text = AnswersFile.template(sections: catalog.answerSections)
        guard let answers else {
            print(text, terminator: "")
            return .success
        }
        try AnswersFile.writePrivately(text, to: answers)
        let keys = catalog.answerSections.map(\.inputs.count).reduce(0, +)
        print(
            "Wrote the answers template (\(keys) keys, every one commented) to \((answers as NSString).expandingTildeInPath) (mode 0600)."
                + (template ? "" : " There is no session yet to export.") + " Fill it in, then: atmo-connect apply --answers \(answers)")
        return .success
    }
}
