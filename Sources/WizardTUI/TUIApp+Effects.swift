import Foundation
import StepEngine
import TerminalUI
import Wizard

extension TUIApp {
    func perform(_ effect: WizardEffect) {
        do {
            switch effect {
            case let .startSession(name):
                let session = try store.session(named: name).map { try store.makeCurrent(named: $0.name) } ?? store.createSession(named: name)
                try Engine(store: store, plan: catalog.plan, session: session)
                    .setAnswers([Answer(key: "session.name", value: .text(name), source: .typed)], event: .answerTyped)
                try load(session, offerResume: false)
            case let .previewChange(key, value):
                guard let engine else { return }
                dispatch(.changePreviewed(key: key, value: value, stale: try engine.previewChange(key: key, value: value)))
            case let .saveAnswer(key, value):
                guard let engine else { return }
                try engine.setAnswers([Answer(key: key, value: value, source: .typed)], event: .answerTyped)
                refresh()
            case let .restoreAnswer(key):
                guard let engine else { return }
                try engine.forgetAnswer(key)
                refresh()
            case let .savePreview(step, lines):
                let folder = store.directory.path + "/previews"
                let path = folder + "/\(step)-\(Self.stamp()).txt"
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                do { try PrivateFile.write(lines.joined(separator: "\n") + "\n", to: path) } catch {
                    throw EngineError.fileUnwritable(path: error.path, reason: error.reason)
                }
                dispatch(.previewSaved(path: path))
            case let .keepSecret(key, value):
                try engine?.setSecret(value, for: key)
            case let .openStep(step):
                guard let engine else { return }
                try store.setOpenStep(step, session: engine.session.id ?? 0)
            case let .runStep(step, consent):
                start(step, consent: consent)
            case let .skipStep(step):
                guard let engine, let screen = catalog.screen(step) else { return }
                let inbox = self.inbox
                runningTask = Task.detached {
                    do {
                        let result = try await StepExecution.skip(screen, engine: engine)
                        inbox.post(
                            .stepFinished(step: step, outcome: WizardState.Outcome(kind: .attempt(result.outcome), message: result.message, findings: [])))
                    } catch {
                        inbox.post(.failed(OperatorMessage.describe(error)))
                    }
                }
            case let .submitRemoteOutput(step, text):
                start(step, consent: true, remoteOutput: text ?? engine.flatMap { StepExecution.savedOutput(step: step, engine: $0) } ?? "")
            case .cancelRun:
                runningTask?.cancel()
            case .redraw:
                terminal.forceFullRedraw()
            case .quit:
                runningTask?.cancel()
            }
        } catch {
            dispatch(.failed(OperatorMessage.describe(error)))
        }
    }

    /// Opens a session: answers resolved by precedence (defaults stored as such), generated secrets kept in memory.
    func load(_ session: SessionRecord, offerResume: Bool, file: AnswersFile? = nil) throws {
        let opened = try OpenedSession(session, store: store, catalog: catalog, file: file, event: .answersResolved)
        let (engine, resolution) = (opened.engine, opened.resolution)
        self.engine = engine
        let states = try engine.states()
        let id = session.id ?? 0
        dispatch(
            .sessionLoaded(
                name: session.name, values: resolution.values, statuses: Self.statuses(states),
                openStep: session.openStep, offerResume: offerResume && session.openStep != nil,
                secrets: resolution.secrets, reasons: Self.reasons(states), history: try Self.history(store, session: id),
                outcomes: try Self.lastOutcomes(states, store: store), sources: try engine.storedAnswers().mapValues(\.source)))
    }

    /// Works out defaults again after a change, and re-reads statuses.
    func refresh() {
        guard let engine else { return }
        do {
            let resolution = try AnswerResolution.resolve(catalog: catalog, file: nil, stored: try engine.storedAnswers())
            try engine.setAnswers(resolution.toStore, event: .answersResolved)
            let states = try engine.states()
            dispatch(
                .refreshed(
                    values: resolution.values, statuses: Self.statuses(states), reasons: Self.reasons(states),
                    sources: try engine.storedAnswers().mapValues(\.source)))
        } catch {
            dispatch(.failed(OperatorMessage.describe(error)))
        }
    }

    /// A file-name-safe time, so previews written one after another do not replace each other.
    static func stamp() -> String {
        TimeText.local(Date(), "%Y%m%d-%H%M%S")
    }

    static func statuses(_ states: [StepState]) -> [String: StepStatus] {
        Dictionary(states.map { ($0.stepID, $0.status) }, uniquingKeysWith: { first, _ in first })
    }

    static func reasons(_ states: [StepState]) -> [String: String] {
        Dictionary(states.compactMap { state in state.reason.map { (state.stepID, $0) } }, uniquingKeysWith: { first, _ in first })
    }

    private func start(_ step: String, consent: Bool, remoteOutput: String? = nil) {
        guard let engine, let screen = catalog.screen(step) else { return }
        let catalog = self.catalog
        let inbox = self.inbox
        runningTask = Task.detached {
            do {
                switch try await StepExecution.execute(
                    screen, engine: engine, catalog: catalog, consent: consent,
                    remoteOutput: remoteOutput)
                {
                case let .needsConsent(plan):
                    inbox.post(.actionPlanned(step: step, preview: plan.previewLines))
                case let .needsRemoteOutput(instructions):
                    inbox.post(.remoteOutputNeeded(step: step, instructions: instructions.lines))
                case let .notAvailable(capabilities, reason, findings):
                    let rows =
                        findings.map(FindingRow.init)
                        + capabilities.map { FindingRow(level: .info, target: $0.id, text: "\($0.title): not available yet") }
                    inbox.post(.stepFinished(step: step, outcome: WizardState.Outcome(kind: .notAvailable, message: reason, findings: rows)))
                case let .finished(result):
                    let shown = StepExecution.shownOnce(result, engine: engine).map { WizardState.ShownOnce(label: $0.label, value: $0.value) }
                    inbox.post(
                        .stepFinished(
                            step: step,
                            outcome: WizardState.Outcome(
                                kind: .attempt(result.outcome), message: result.message, findings: result.findings.map(FindingRow.init),
                                shownOnce: shown)))
                }
            } catch {
                inbox.post(.failed(OperatorMessage.describe(error)))
            }
        }
    }
}

extension FindingRow {
    /// The table row for an engine finding.
    init(_ finding: Finding) {
        let level: Level =
            switch finding.severity {
            case .ok: .ok
            case .info: .info
            case .warning: .warning
            case .failure: .failure
            }
        self.init(level: level, target: finding.target, text: finding.observed, remedy: finding.remedy)
    }
}

/// One line for an error shown inside the TUI.
enum OperatorMessage {
    static func describe(_ error: Error) -> String {
        switch error {
        case let engine as EngineError: "\(engine.message) \(engine.remedy)"
        case let located as LocatedProblem: located.description
        default: Redactor.shared.redact(String(describing: error))
        }
    }
}
