import Foundation
import StepEngine
import TerminalUI
import Wizard

extension WizardReducer {
    func handle(_ key: KeyEvent, in state: inout WizardState) -> [WizardEffect] {
        let key = Self.conventional(key)
        if key == .control("l") { return [.redraw] }
        if key == .control("z") { return [.suspend] }
        // Resizes arrive as their own event; an Alt combination the wizard does not use does nothing.
        if key == .resize { return [] }
        if case .alt = key { return [] }
        if state.overlay != nil { return handleOverlay(key, in: &state) }
        if key == .control("c") {
            if let running = state.running {
                state.log.append("Cancelling \(running.step)…")
                return [.cancelRun]
            }
            state.overlay = .confirmQuit(selected: 0)
            return []
        }
        switch key {
        case .function(1):
            state.overlay = .help(offset: 0)
            return []
        case .function(2):
            state.overlay = .log(offset: max(0, state.log.count - 10))
            return []
        case .function(10):
            state.overlay = .confirmQuit(selected: 0)
            return []
        case .function(5):
            return runFromAnywhere(&state)
        case .pageDown, .pageUp:
            return scroll(down: key == .pageDown, in: &state)
        case .control("s"):
            requestSkip(&state)
            return []
        default:
            break
        }
        switch state.focus {
        case .steps:
            return handleStepList(key, in: &state)
        case .runButton, .nextButton, .skipButton:
            return handleButton(key, in: &state)
        case let .field(index):
            return handleField(key, index: index, in: &state)
        }
    }

    /// The keys terminals that take the F-keys for themselves (GNOME Terminal: F1, F10) leave to the wizard: Ctrl-G
    /// help (as in nano), Ctrl-O the log, Ctrl-Q quit, Ctrl-T run the step; Alt with a digit arrives as that F-key already.
    static func conventional(_ key: KeyEvent) -> KeyEvent {
        switch key {
        case .control("g"): .function(1)
        case .control("o"): .function(2)
        case .control("q"): .function(10)
        case .control("t"): .function(5)
        default: key
        }
    }

    /// F5 (or ^T) runs the step's button from wherever the operator is: the focused field is saved first, as Tab would
    /// save it, and an invalid one stays focused with its error instead.
    private func runFromAnywhere(_ state: inout WizardState) -> [WizardEffect] {
        guard state.running == nil else { return [] }
        var effects: [WizardEffect] = []
        if case let .field(index) = state.focus {
            effects = commit(index, in: &state)
            guard state.fields.indices.contains(index), state.fields[index].error == nil else { return effects }
        }
        state.focus = .runButton
        return effects + run(&state)
    }

    /// PgDn and PgUp move through the step's findings when it has any, else through its text. From a field, the
    /// first press leaves the field (saving it, as Tab does) for the buttons, where the findings get the whole side.
    private func scroll(down: Bool, in state: inout WizardState) -> [WizardEffect] {
        let view = WizardView(catalog: catalog)
        guard let outcome = state.outcomes[state.currentStep], !outcome.findings.isEmpty, state.running == nil else {
            state.textOffset = down ? state.textOffset + 3 : max(0, state.textOffset - 3)
            return []
        }
        if case let .field(index) = state.focus {
            let effects = commit(index, in: &state)
            if state.fields.indices.contains(index), state.fields[index].error == nil { state.focus = .runButton }
            return effects
        }
        let page = max(1, view.layout(state).findingsHeight - 2)
        let moved = down ? state.findingsOffset + page : state.findingsOffset - page
        state.findingsOffset = min(max(0, moved), view.lastFindingsOffset(state))
        return []
    }

    /// Whether an input's answer is the operator's, where the wizard would work one out.
    public func isRestorable(_ input: InputSpec, _ state: WizardState) -> Bool {
        input.derive != nil && state.sources[input.key]?.isOperatorGiven == true
    }

    /// The buttons under the form, in Tab order: run; next once the step is done; skip while an optional step is not.
    public func buttons(_ state: WizardState) -> [WizardState.Focus] {
        var buttons: [WizardState.Focus] = [.runButton]
        let step = state.steps[state.current]
        let done = step.status.satisfiesDependents || state.outcomes[step.id]?.isDone == true
        if done && state.current + 1 < state.steps.count && state.sessionName != nil { buttons.append(.nextButton) }
        if !step.required && !done && state.sessionName != nil { buttons.append(.skipButton) }
        return buttons
    }

    /// Asks before skipping the open step; a required step says it cannot be skipped.
    private func requestSkip(_ state: inout WizardState) {
        guard state.running == nil, state.sessionName != nil else { return }
        let step = state.steps[state.current]
        guard !step.required else {
            state.log.append("\(step.id) is required: it cannot be skipped.")
            return
        }
        state.overlay = .confirmSkip(step: step.id, selected: 1)
    }
    private func handleStepList(_ key: KeyEvent, in state: inout WizardState) -> [WizardEffect] {
        switch key {
        case .up: state.selectedStep = max(0, state.selectedStep - 1)
        case .down: state.selectedStep = min(state.steps.count - 1, state.selectedStep + 1)
        case .enter, .right:
            return openSelected(&state)
        case .tab: state.focus = state.fields.isEmpty ? .runButton : .field(0)
        case .backTab: state.focus = buttons(state).last ?? .runButton
        case .escape: state.focus = state.fields.isEmpty ? .runButton : .field(0)
        case .character("q"): state.overlay = .confirmQuit(selected: 0)
        default: break
        }
        return []
    }

    private func handleButton(_ key: KeyEvent, in state: inout WizardState) -> [WizardEffect] {
        let buttons = buttons(state)
        let position = buttons.firstIndex(of: state.focus) ?? 0
        switch key {
        case .enter:
            switch state.focus {
            case .nextButton where state.current + 1 < state.steps.count:
                open(&state, index: state.current + 1)
                return [.openStep(state.currentStep)]
            case .skipButton:
                requestSkip(&state)
                return []
            default:
                return run(&state)
            }
        case .tab, .right:
            state.focus = position + 1 < buttons.count ? buttons[position + 1] : (key == .tab ? .steps : state.focus)
        case .backTab, .left:
            if position > 0 {
                state.focus = buttons[position - 1]
            } else if key == .backTab {
                state.focus = state.fields.isEmpty ? .steps : .field(state.fields.count - 1)
            }
        case .up: state.focus = state.fields.isEmpty ? .steps : .field(state.fields.count - 1)
        case .down: state.focus = .steps
        case .escape: return goBack(&state)
        case .character("q"): state.overlay = .confirmQuit(selected: 0)
        default: break
        }
        return []
    }

    private func handleField(_ key: KeyEvent, index: Int, in state: inout WizardState) -> [WizardEffect] {
        switch key {
        case .tab, .down:
            let effects = commit(index, in: &state)
            state.focus = index + 1 < state.fields.count ? .field(index + 1) : .runButton
            return effects
        case .enter:
            let effects = commit(index, in: &state)
            if state.fields.indices.contains(index), state.fields[index].error == nil {
                state.focus = index + 1 < state.fields.count ? .field(index + 1) : .runButton
            }
            return effects
        case .backTab, .up:
            let effects = commit(index, in: &state)
            state.focus = index > 0 ? .field(index - 1) : .steps
            return effects
        case .escape:
            // An edit in progress is undone first, and the operator stays; Esc again goes to the previous step.
            if state.fields[index].isEdited {
                state.fields[index].cancelEdit()
                state.log.append("\(state.fields[index].input.key): edit undone.")
                return []
            }
            return goBack(&state)
        case .control("r"):
            // Back to what the wizard works out (the operator's answer is forgotten; the next resolution derives it).
            guard isRestorable(state.fields[index].input, state) else { return [] }
            state.log.append("\(state.fields[index].input.key): back to the worked-out value.")
            return [.restoreAnswer(key: state.fields[index].input.key)]
        default:
            break
        }
        var field = state.fields[index]
        switch field.input.kind {
        case .choice:
            if key == .left { field.choice = (field.choice + field.input.choices.count - 1) % max(1, field.input.choices.count) }
            if key == .right || key == .character(" ") { field.choice = (field.choice + 1) % max(1, field.input.choices.count) }
            if key == .character("q") { state.overlay = .confirmQuit(selected: 0) }
        case .multiChoice:
            if key == .left { field.highlight = max(0, field.highlight - 1) }
            if key == .right { field.highlight = min(field.input.choices.count - 1, field.highlight + 1) }
            if key == .character(" "), field.input.choices.indices.contains(field.highlight) {
                let option = field.input.choices[field.highlight]
                if field.checked.contains(option) { field.checked.remove(option) } else { field.checked.insert(option) }
            }
            if key == .character("q") { state.overlay = .confirmQuit(selected: 0) }
        case .bool:
            if key == .character(" ") || key == .left || key == .right { field.flag.toggle() }
            if key == .character("y") { field.flag = true }
            if key == .character("n") { field.flag = false }
            if key == .character("q") { state.overlay = .confirmQuit(selected: 0) }
        default:
            _ = field.editor.apply(key)
            // A correction clears the complaint; it is checked again when the field is left.
            field.error = nil
        }
        state.fields[index] = field
        return []
    }

    /// What the operator half-typed in the focused field, saved as the wizard ends (quit, Ctrl-C, a signal) so nothing
    /// typed is lost: a valid edit of a field that is not a secret (secrets live in memory only).
    public func pendingEdit(_ state: WizardState) -> [WizardEffect] {
        guard case let .field(index) = state.focus, state.fields.indices.contains(index), state.sessionName != nil else { return [] }
        let field = state.fields[index]
        guard field.isEdited, !field.input.isSecret, case let .success(value) = field.value, state.values[field.input.key] != value else { return [] }
        return [.saveAnswer(key: field.input.key, value: value)]
    }

    /// Checks the field's value and, if it changed, asks the engine what would go stale before saving.
    func commit(_ index: Int, in state: inout WizardState) -> [WizardEffect] {
        guard state.fields.indices.contains(index) else { return [] }
        let field = state.fields[index]
        switch field.value {
        case let .failure(problem):
            // An empty optional field is fine; an empty secret means "not given".
            if field.input.isSecret && field.editor.text.isEmpty { return [] }
            state.fields[index].error = problem.message
            return []
        case let .success(value):
            state.fields[index].error = nil
            state.fields[index].confirm()
            if field.input.isSecret {
                guard !field.editor.text.isEmpty else { return [] }
                state.secretsGiven.insert(field.input.key)
                return [.keepSecret(key: field.input.key, value: SecretValue(field.editor.text))]
            }
            if state.sessionName == nil && field.input.key == "session.name", case let .text(name) = value {
                return [.startSession(name: name)]
            }
            // An empty field with no answer yet is unchanged, not a new empty answer.
            let unchanged = state.values[field.input.key] == value || (state.values[field.input.key] == nil && value.isEmpty)
            guard !unchanged, state.sessionName != nil else { return [] }
            return [.previewChange(key: field.input.key, value: value)]
        }
    }

    private func run(_ state: inout WizardState) -> [WizardEffect] {
        guard state.running == nil else { return [] }
        var effects: [WizardEffect] = []
        for index in state.fields.indices { effects += commit(index, in: &state) }
        if let bad = state.fields.firstIndex(where: { $0.error != nil }) {
            state.focus = .field(bad)
            return effects
        }
        for (index, field) in state.fields.enumerated() where field.input.required {
            if field.input.isSecret && !state.secretsGiven.contains(field.input.key) {
                state.fields[index].error = "\(field.input.label) is required (it is never stored, so it is asked again after a restart)."
                state.focus = .field(index)
                return effects
            }
        }
        guard state.sessionName != nil else { return effects }
        let step = state.steps[state.current]
        if step.status == .blocked {
            // Nothing runs on top of a missing step without an explicit yes that names what is missing.
            state.overlay = .confirmBlocked(step: step.id, reason: step.reason ?? "an earlier step is not done", selected: 1)
            return effects
        }
        return effects + start(&state)
    }

    /// Starts the open step's run in the background.
    func start(_ state: inout WizardState) -> [WizardEffect] {
        let screen = catalog.screens[state.current]
        state.running = WizardState.Running(
            step: screen.id, startedAt: state.now, waitingOn: "checks of \(screen.title)",
            limit: runLimit(for: screen.id))
        state.log.append("Running \(screen.id)…")
        return [.runStep(screen.id, consent: false)]
    }

    private func goBack(_ state: inout WizardState) -> [WizardEffect] {
        guard state.current > 0, state.sessionName != nil else { return [] }
        open(&state, index: state.current - 1)
        return [.openStep(state.currentStep)]
    }

    private func openSelected(_ state: inout WizardState) -> [WizardEffect] {
        guard state.sessionName != nil || state.selectedStep == 0 else {
            state.log.append("Name the session on the first screen before opening other steps.")
            return []
        }
        open(&state, index: state.selectedStep)
        return state.sessionName == nil ? [] : [.openStep(state.currentStep)]
    }
}
