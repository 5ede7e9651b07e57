import ArgumentParser
import Foundation
import StepEngine
import Wizard

/// `atmo-connect status`: the sessions and each step's status.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the sessions and each step's status, last attempt and worst finding.",
        discussion: ExitStatus.help([.success, .stateProblem, .answersProblem, .usage]))

    @OptionGroup var state: ReadStateOptions

    @Option(name: .long, help: ArgumentHelp("Answers file: checked, and its session.name picks the session.", valueName: "FILE"))
    var answers: String?

    @Flag(name: .long, help: "One JSON document (sessions, the lock holder, each step's status and last attempt), for scripts.")
    var json = false

    mutating func run() async throws {
        try await OperatorError.run {
            try json ? showJSON() : show()
            return .success
        }
    }

    private func showJSON() throws {
        let (store, catalog, _) = try state.open(commandName: "status")
        let file = try answers.map { try AnswersFile.load(path: $0, inputs: catalog.plan.inputs) }
        var document = StatusDocument(
            state: store.directory.databasePath, sessions: try StatusDocument.sessions(of: store),
            inUseBy: try store.lockHolder().map { StatusDocument.Holder(pid: $0.pid, host: $0.host, live: try store.lockHolderIsLive()) })
        if !document.sessions.isEmpty {
            let session = try state.session(in: store, answers: file, createIfMissing: false)
            document.session = session.name
            let engine = Engine(store: store, plan: catalog.plan, session: session)
            document.steps = StatusDocument.steps(try engine.states(), catalog: catalog)
            let allowed = TestMode.allowed(try engine.answerValues())
            document.testModePlainHTTP = allowed.isEmpty ? nil : allowed
        }
        try StatusDocument.print(document)
    }

    private func show() throws {
        let (store, catalog, _) = try state.open(commandName: "status")
        let file = try answers.map { try AnswersFile.load(path: $0, inputs: catalog.plan.inputs) }
        print("State: \(store.directory.databasePath)")
        let sessions = try store.sessions()
        guard !sessions.isEmpty else {
            print("No sessions yet. Start one with `atmo-connect apply --answers FILE`.")
            return
        }
        let current = try store.currentSession()
        print("Sessions: " + sessions.map { $0.id == current?.id ? "\($0.name) (current)" : $0.name }.joined(separator: ", "))
        if let holder = try store.lockHolder() {
            let live = try store.lockHolderIsLive() ? "running" : "gone (will be taken over)"
            print("In use by pid \(holder.pid) on \(holder.host): \(live)")
        }
        let session = try state.session(in: store, answers: file, createIfMissing: false)
        let engine = Engine(store: store, plan: catalog.plan, session: session)
        print("\nSession \(session.name)" + (session.openStep.map { ", open at \($0)" } ?? ""))
        if let notice = TestMode.notice(try engine.answerValues()) { print("Warning: \(notice).") }
        print(StatusTable.render(states: try engine.states(), catalog: catalog))
    }
}

/// The step table of `status`.
enum StatusTable {
    static func render(states: [StepState], catalog: WizardCatalog) -> String {
        var rows = [["STEP", "REQ", "STATUS", "LAST ATTEMPT", "WORST FINDING", "NOTE"]]
        for state in states {
            let screen = catalog.screen(state.stepID)
            let last =
                state.lastAttempt.map { attempt in
                    "\(TimeText.local(attempt.startedAt, "%Y-%m-%d %H:%M:%S")) \(attempt.outcome?.rawValue ?? "unfinished")"
                } ?? "-"
            var note = state.reason ?? ""
            if let screen, state.status == .pending, !catalog.unavailableCapabilities(of: screen).isEmpty {
                note = note.isEmpty ? "verification not available yet" : note
            }
            rows.append([
                state.stepID, screen?.required == true ? "*" : "", state.status.rawValue, last,
                state.worstSeverity?.rawValue ?? "-", note,
            ])
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
