import Foundation
import StepEngine
import TerminalUI
import Wizard

/// The TUI's side of the state database: every effect that reads or writes it runs here, one after another on a queue
/// of its own, never on the thread that draws and reads keys; what it finds comes back through the inbox.
final class StoreWorker: @unchecked Sendable {
    let store: StateStore
    let catalog: WizardCatalog
    let inbox: Inbox
    private let queue = DispatchQueue(label: "atmo-connect.tui.store")
    /// The open session's engine: touched only on the queue.
    private var engine: Engine?
    private let running = RunningStep()
    private let pending = PendingCount()

    /// Whether effects are still waiting or running on the queue (the loop then looks for their results sooner).
    var isBusy: Bool { pending.value > 0 }

    init(store: StateStore, catalog: WizardCatalog, inbox: Inbox) {
        self.store = store
        self.catalog = catalog
        self.inbox = inbox
    }

    /// Runs `effect` on the queue, after those submitted before it.
    func submit(_ effect: WizardEffect) {
        pending.add(1)
        queue.async {
            self.perform(effect)
            self.pending.add(-1)
        }
    }

    /// Reads the session's statuses and answers again, on the queue.
    func submitRefresh() {
        pending.add(1)
        queue.async {
            self.refresh()
            self.pending.add(-1)
        }
    }

    /// Opens `session` now (start-up, before the first frame); its events are in the inbox when this returns.
    func open(_ session: SessionRecord, offerResume: Bool, file: AnswersFile?) throws {
        try queue.sync { try load(session, offerResume: offerResume, file: file) }
    }

    /// Waits until every effect submitted so far is done (tests; the end of a run).
    func settle() { queue.sync {} }

    /// Keeps the screen the operator is on for the next start; called as the wizard ends.
    func keepOpenStep(_ step: String) {
        queue.sync { _ = try? store.setOpenStep(step, session: engine?.session.id ?? 0) }
    }

    /// Cancels the step running in the background, if one is.
    func cancelRun() { running.cancel() }

    private func perform(_ effect: WizardEffect) {
        do {
            switch effect {
            case let .startSession(name):
                let session = try store.session(named: name).map { try store.makeCurrent(named: $0.name) } ?? store.createSession(named: name)
                try Engine(store: store, plan: catalog.plan, session: session)
                    .setAnswers([Answer(key: "session.name", value: .text(name), source: .typed)], event: .answerTyped)
                try load(session, offerResume: false)
            case let .previewChange(key, value):
                guard let engine else { return }
                inbox.post(.changePreviewed(key: key, value: value, stale: try engine.previewChange(key: key, value: value)))
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
                inbox.post(.previewSaved(path: path))
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
                running.replace(
                    Task.detached {
                        do {
                            let result = try await StepExecution.skip(screen, engine: engine)
                            inbox.post(
                                .stepFinished(
                                    step: step, outcome: WizardState.Outcome(kind: .attempt(result.outcome), message: result.message, findings: [])))
                        } catch {
                            inbox.post(.failed(OperatorMessage.describe(error)))
                        }
                    })
            case let .submitRemoteOutput(step, text):
                start(step, consent: true, remoteOutput: text ?? engine.flatMap { StepExecution.savedOutput(step: step, engine: $0) } ?? "")
            case .cancelRun, .redraw, .quit, .suspend:
                // The drawing thread's own.
                break
            }
        } catch {
            inbox.post(.failed(OperatorMessage.describe(error)))
        }
    }

    /// Opens a session: answers resolved by precedence (defaults stored as such), generated secrets kept in memory.
    private func load(_ session: SessionRecord, offerResume: Bool, file: AnswersFile? = nil) throws {
        let opened = try OpenedSession(session, store: store, catalog: catalog, file: file, event: .answersResolved)
        let (engine, resolution) = (opened.engine, opened.resolution)
        self.engine = engine
        let states = try engine.states()
        let id = session.id ?? 0
        inbox.post(
            .sessionLoaded(
                name: session.name, values: resolution.values, statuses: Self.statuses(states),
                openStep: session.openStep, offerResume: offerResume && session.openStep != nil,
                secrets: resolution.secrets, reasons: Self.reasons(states), history: try Self.history(store, session: id),
                outcomes: try Self.lastOutcomes(states, store: store), sources: try engine.storedAnswers().mapValues(\.source)))
    }

    /// Works out defaults again after a change, and re-reads statuses.
    private func refresh() {
        guard let engine else { return }
        do {
            let resolution = try AnswerResolution.resolve(catalog: catalog, file: nil, stored: try engine.storedAnswers())
            try engine.setAnswers(resolution.toStore, event: .answersResolved)
            let states = try engine.states()
            inbox.post(
                .refreshed(
                    values: resolution.values, statuses: Self.statuses(states), reasons: Self.reasons(states),
                    sources: try engine.storedAnswers().mapValues(\.source)))
        } catch {
            inbox.post(.failed(OperatorMessage.describe(error)))
        }
    }

    private func start(_ step: String, consent: Bool, remoteOutput: String? = nil) {
        guard let engine, let screen = catalog.screen(step) else { return }
        let catalog = self.catalog
        let inbox = self.inbox
        running.replace(
            Task.detached {
                do {
                    switch try await StepExecution.execute(
                        screen, engine: engine, catalog: catalog, consent: consent, remoteOutput: remoteOutput,
                        progress: { inbox.post(.stepProgress(step: step, line: $0)) })
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
            })
    }

    /// A file-name-safe time, so previews written one after another do not replace each other.
    static func stamp() -> String { TimeText.local(Date(), "%Y%m%d-%H%M%S") }

    static func statuses(_ states: [StepState]) -> [String: StepStatus] {
        Dictionary(states.map { ($0.stepID, $0.status) }, uniquingKeysWith: { first, _ in first })
    }

    static func reasons(_ states: [StepState]) -> [String: String] {
        Dictionary(states.compactMap { state in state.reason.map { (state.stepID, $0) } }, uniquingKeysWith: { first, _ in first })
    }
}

/// The step running in the background, if one is: set on the store's queue, cancelled from the drawing thread.
final class RunningStep: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<Void, Never>?

    /// Keeps `task` as the running one.
    func replace(_ task: Task<Void, Never>) { lock.withLock { self.task = task } }

    /// Cancels it.
    func cancel() { lock.withLock { task?.cancel() } }
}

/// How many effects the queue has still to finish.
final class PendingCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func add(_ delta: Int) { lock.withLock { count += delta } }

    var value: Int { lock.withLock { count } }
}
