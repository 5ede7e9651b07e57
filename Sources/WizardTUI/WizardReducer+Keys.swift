import Foundation
import StepEngine
import TerminalUI
import Wizard

extension WizardReducer {
    func handle(_ key: KeyEvent, in state: inout WizardState) -> [WizardEffect] {
        if key == .control("l") { return [.redraw] }
        if key == .resize { return [] }
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
        case .pageDown:
            state.textOffset += 3
            return []
        case .pageUp:
            state.textOffset = max(0, state.textOffset - 3)
            return []
        default:
            break
        }
        switch state.focus {
        case .steps:
            return handleStepList(key, in: &state)
        case .runButton:
            return handleRunButton(key, in: &state)
        case let .field(index):
            return handleField(key, index: index, in: &state)
        }
    }

    private func handleStepList(_ key: KeyEvent, in state: inout WizardState) -> [WizardEffect] {
        switch key {
        case .up: state.selectedStep = max(0, state.selectedStep - 1)
        case .down: state.selectedStep = min(state.steps.count - 1, state.selectedStep + 1)
        case .enter, .right:
            return openSelected(&state)
        case .tab: state.focus = state.fields.isEmpty ? .runButton : .field(0)
        case .backTab: state.focus = .runButton
        case .escape: state.focus = state.fields.isEmpty ? .runButton : .field(0)
        case .character("q"): state.overlay = .confirmQuit(selected: 0)
        default: break
        }
        return []
    }

    private func handleRunButton(_ key: KeyEvent, in state: inout WizardState) -> [WizardEffect] {
        switch key {
        case .enter:
            return run(&state)
        case .tab: state.focus = .steps
        case .backTab, .up: state.focus = state.fields.isEmpty ? .steps : .field(state.fields.count - 1)
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
            return goBack(&state)
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
        let screen = catalog.screens[state.current]
        state.running = WizardState.Running(
            step: screen.id, startedAt: state.now, waitingOn: "checks of \(screen.title)",
            limit: screen.capabilityIDs.isEmpty ? nil : WizardReducer.runLimit)
        state.log.append("Running \(screen.id)…")
        return effects + [.runStep(screen.id, consent: false)]
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
