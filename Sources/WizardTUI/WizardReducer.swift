import Foundation
import StepEngine
import TerminalUI
import Wizard

/// The TUI's flow as a pure function: (state, event) -> (state, effects). No terminal, no database.
public struct WizardReducer: Sendable {
    public let catalog: WizardCatalog

    /// What a confirmed step waits on, as the progress line says it.
    func waitingOn(_ step: String, _ state: WizardState) -> String {
        guard runLimit(for: step) == nil else { return "doing what the preview showed" }
        let limit: String = if case let .integer(seconds)? = state.values["smoke.timeout_seconds"] { "\(seconds)" } else { "600" }
        return "the smoke test: server, floating IP, SSH, volume, removal; each stage up to \(limit) s (smoke.timeout_seconds)"
    }

    /// The limit for running a step, as its screen says (time_limit_seconds): none for the smoke test, whose every stage
    /// has its own (smoke.timeout_seconds).
    func runLimit(for step: String) -> TimeInterval? {
        catalog.screen(step)?.timeLimit.map(TimeInterval.init)
    }

    /// A reducer over the catalog's screens.
    public init(catalog: WizardCatalog) { self.catalog = catalog }

    /// The state before a session is loaded.
    public func initialState(now: Date = Date()) -> WizardState {
        var state = WizardState(
            steps: catalog.screens.map { screen in
                StepRow(
                    id: screen.id, title: screen.title, required: screen.required, status: .pending,
                    unavailable: !catalog.unavailableCapabilities(of: screen).isEmpty)
            }, now: now)
        open(&state, index: 0)
        return state
    }

    /// Applies one event.
    public func reduce(_ state: WizardState, _ event: WizardEvent) -> (WizardState, [WizardEffect]) {
        var state = state
        var effects: [WizardEffect] = []
        switch event {
        case let .key(key):
            effects = handle(key, in: &state)
        case let .sessionLoaded(name, values, statuses, openStep, offerResume, secrets, reasons, history, outcomes, sources):
            let justNamed = state.sessionName == nil
            state.sessionName = name
            state.values = values
            state.sources = sources
            state.secretsGiven = Set(secrets.keys)
            apply(statuses, reasons: reasons, to: &state)
            let index = openStep.flatMap { id in state.steps.firstIndex { $0.id == id } } ?? state.current
            // A session just named on the open screen keeps the operator where they are.
            if justNamed && index == state.current { refreshFields(&state) } else { open(&state, index: index) }
            for (position, field) in state.fields.enumerated() {
                if let secret = secrets[field.input.key] { state.fields[position].editor.set(secret.reveal()) }
            }
            if offerResume, let step = openStep {
                state.overlay = .resumeOffer(session: name, step: step, selected: 0)
            }
            // The journal's history first (F2 after a restart), and each step's last result on its screen.
            state.log = history + ["Session \(name) opened."]
            state.outcomes = outcomes
        case let .refreshed(values, statuses, reasons, sources):
            state.values = values
            state.sources = sources
            apply(statuses, reasons: reasons, to: &state)
            refreshFields(&state)
            if state.endOfRunDue, state.overlay == nil { state.overlay = .endOfRun(offset: 0) }
            state.endOfRunDue = false
        case let .changePreviewed(key, value, stale):
            if stale.isEmpty {
                effects = [.saveAnswer(key: key, value: value)]
            } else {
                state.overlay = .staleChange(key: key, value: value, steps: stale, selected: 1)
            }
        case let .stepFinished(step, finished):
            state.running = nil
            var outcome = finished
            if let secret = outcome.shownOnce {
                state.overlay = .shownOnce(secret)
                outcome.shownOnce = nil
            }
            state.outcomes[step] = outcome
            state.log.append("\(step): \(outcome.word): \(outcome.message)")
            for finding in outcome.findings {
                state.log.append(
                    "  \(finding.level.label) \(finding.target): \(finding.text)" + (finding.remedy.isEmpty ? "" : " → \(finding.remedy)"))
            }
            if step == state.currentStep { state.findingsOffset = 0 }
            // The end screen is drawn from the steps' marks: it waits for the statuses read after this step.
            state.endOfRunDue = outcome.isDone && step == state.steps.last?.id && state.overlay == nil
            if outcome.isDone, step == state.currentStep, state.current + 1 < state.steps.count {
                // What the checks found stays in view until the operator moves on; with nothing to read, move on.
                if outcome.findings.isEmpty {
                    open(&state, index: state.current + 1)
                    effects = [.openStep(state.currentStep)]
                } else {
                    state.focus = .nextButton
                }
            }
        case let .previewSaved(path):
            state.savedPreview = path
            state.log.append("Preview written to \(path).")
        case let .actionPlanned(step, preview):
            state.running = nil
            state.overlay = .actionPreview(step: step, lines: preview, offset: 0)
            state.savedPreview = nil
            state.log.append("\(step): showing what it would change; Enter does it, Esc leaves everything as it is.")
        case let .remoteOutputNeeded(step, instructions):
            state.running = nil
            state.overlay = .remoteOutput(step: step, lines: instructions, pasted: "", offset: 0)
            state.savedPreview = nil
            state.log.append("\(step): runs on the Atmosphere server; paste its output, then Ctrl-D.")
        case let .resized(size):
            state.size = size
            state.findingsOffset = min(state.findingsOffset, WizardView(catalog: catalog).lastFindingsOffset(state))
        case let .tick(date):
            state.now = date
            // A run past its limit is cancelled, as Ctrl-C would; each request has its own, shorter timeout too.
            if let running = state.running, let limit = running.limit, date.timeIntervalSince(running.startedAt) > limit,
                state.log.last != "\(running.step): time limit of \(Int(limit)) s reached; cancelling."
            {
                state.log.append("\(running.step): time limit of \(Int(limit)) s reached; cancelling.")
                effects = [.cancelRun]
            }
        case let .stepProgress(step, line):
            // The run's line under the step shows the latest; the log (F2) keeps them all.
            if state.running?.step == step { state.running?.waitingOn = line }
            state.log.append("\(step): \(line)")
        case let .failed(message):
            state.running = nil
            state.log.append("Error: \(message)")
            state.outcomes[state.currentStep] = WizardState.Outcome(kind: .error, message: message, findings: [])
        }
        return (state, effects)
    }

    /// Opens a screen: fields from the answers, focus on the first field.
    func open(_ state: inout WizardState, index: Int) {
        state.current = index
        state.selectedStep = index
        state.textOffset = 0
        state.findingsOffset = 0
        refreshFields(&state)
        state.focus = state.fields.isEmpty ? .runButton : .field(0)
    }

    /// Rebuilds the open screen's fields from the answers, keeping what is being typed in the focused one.
    func refreshFields(_ state: inout WizardState) {
        let screen = catalog.screens[state.current]
        let old = Dictionary(state.fields.map { ($0.input.key, $0) }, uniquingKeysWith: { first, _ in first })
        // Only what applies here: a field whose `when` holds, and no "without asking" box (this wizard always asks).
        state.fields = screen.inputs.filter { !$0.isConsent && ($0.condition?.holds(in: state.values) ?? true) }.map { input in
            if input.isSecret, let kept = old[input.key] { return kept }
            // Before a session exists nothing is stored: show the screen's defaults.
            var field = FormField(input: input, value: state.values[input.key] ?? (state.sessionName == nil ? input.staticDefault : nil))
            if let previous = old[input.key] { field.error = previous.error }
            return field
        }
        if case let .field(index) = state.focus, index >= state.fields.count {
            state.focus = state.fields.isEmpty ? .runButton : .field(state.fields.count - 1)
        }
    }

    private func apply(_ statuses: [String: StepStatus], reasons: [String: String], to state: inout WizardState) {
        for index in state.steps.indices {
            let id = state.steps[index].id
            if let status = statuses[id] {
                state.steps[index].status = status
                state.steps[index].reason = reasons[id]
            }
        }
    }
}
