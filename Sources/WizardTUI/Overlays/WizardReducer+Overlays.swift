import Foundation
import StepEngine
import TerminalUI
import Wizard

extension WizardReducer {
    /// The open overlay takes the key: its own reducer (``ScrollingOverlay``, ``ChoiceOverlay``, ``PreviewOverlay``,
    /// ``PasteOverlay``) works out its next state, and this composes that back into the wizard's, acting on what it asks.
    func handleOverlay(_ key: KeyEvent, in state: inout WizardState) -> [WizardEffect] {
        guard let overlay = state.overlay else { return [] }
        switch overlay {
        case let .help(offset):
            state.overlay = ScrollingOverlay.reduce(offset, key).local.map { .help(offset: $0) }
        case let .log(offset):
            state.overlay = ScrollingOverlay.reduce(offset, key).local.map { .log(offset: $0) }
        case let .endOfRun(offset):
            // F10 from the end of the run still asks before quitting.
            state.overlay = key == .function(10) ? .confirmQuit(selected: 0) : ScrollingOverlay.reduce(offset, key).local.map { .endOfRun(offset: $0) }
        case let .confirmQuit(selected):
            return choice(selected, key, in: &state, reopen: { .confirmQuit(selected: $0) }) { state in
                state.finished = true
                return pendingEdit(state) + [.quit]
            }
        case let .staleChange(answerKey, value, steps, selected):
            return choice(
                selected, key, in: &state, reopen: { .staleChange(key: answerKey, value: value, steps: steps, selected: $0) },
                declined: { state in
                    if let index = state.fields.firstIndex(where: { $0.input.key == answerKey }) { state.fields[index].show(state.values[answerKey]) }
                }
            ) { state in
                state.log.append("\(answerKey) changed; to run again: \(steps.joined(separator: ", ")).")
                return [.saveAnswer(key: answerKey, value: value)]
            }
        case let .actionPreview(step, lines, offset):
            let result = PreviewOverlay.reduce(offset, key)
            let last = lastPage(of: lines, in: state)
            state.overlay = result.local.map { .actionPreview(step: step, lines: lines, offset: min($0, last)) }
            switch result.request {
            case .accept?:
                state.running = WizardState.Running(step: step, startedAt: state.now, waitingOn: waitingOn(step, state), limit: runLimit(for: step))
                state.log.append("\(step): confirmed.")
                return [.runStep(step, consent: true)]
            case .decline?: state.log.append("\(step): nothing was written.")
            case .save?: return [.savePreview(step: step, lines: lines)]
            case .submit?, nil: break
            }
        case .shownOnce:
            // Gone from memory with the box.
            if key == .enter || key == .escape { state.overlay = nil }
        case let .confirmSkip(step, selected):
            return choice(selected, key, in: &state, reopen: { .confirmSkip(step: step, selected: $0) }) { state in
                state.log.append("\(step): skipped by the operator.")
                return [.skipStep(step)]
            }
        case let .confirmBlocked(step, reason, selected):
            return choice(selected, key, in: &state, reopen: { .confirmBlocked(step: step, reason: reason, selected: $0) }) { state in
                guard step == state.currentStep else { return [] }
                state.log.append("\(step): run although it \(reason).")
                return start(&state)
            }
        case let .remoteOutput(step, lines, pasted, offset):
            return pasteBox(key, step: step, lines: lines, local: PasteOverlay.Local(pasted: pasted, offset: offset), in: &state)
        case let .resumeOffer(session, step, selected):
            return choice(selected, key, in: &state, reopen: { .resumeOffer(session: session, step: step, selected: $0) }, declined: startAfresh) { _ in [] }
        }
        return []
    }

    /// A yes/no box through ``ChoiceOverlay``: reopened with the new selection while it stays; `accepted` or
    /// `declined` once answered.
    private func choice(
        _ selected: Int, _ key: KeyEvent, in state: inout WizardState, reopen: (Int) -> WizardState.Overlay,
        declined: (inout WizardState) -> Void = { _ in }, accepted: (inout WizardState) -> [WizardEffect]
    ) -> [WizardEffect] {
        let result = ChoiceOverlay.reduce(selected, key)
        state.overlay = result.local.map(reopen)
        switch result.request {
        case .accept?: return accepted(&state)
        case .decline?: declined(&state)
        default: break
        }
        return []
    }

    /// The Atmosphere server's output box through ``PasteOverlay``.
    private func pasteBox(_ key: KeyEvent, step: String, lines: [String], local: PasteOverlay.Local, in state: inout WizardState) -> [WizardEffect] {
        let result = PasteOverlay.reduce(local, key)
        state.overlay = result.local.map { .remoteOutput(step: step, lines: lines, pasted: $0.pasted, offset: $0.offset) }
        switch result.request {
        case .submit?:
            let pasted = local.pasted
            state.running = WizardState.Running(
                step: step, startedAt: state.now, waitingOn: "checking the output from the Atmosphere server", limit: runLimit(for: step))
            state.log.append(pasted.isEmpty ? "\(step): reading the saved output file." : "\(step): checking the pasted output.")
            return [.submitRemoteOutput(step: step, text: pasted.isEmpty ? nil : pasted)]
        case .decline?:
            state.log.append("\(step): nothing was checked; the step stays as it was.")
        case .save?:
            return [.savePreview(step: step, lines: lines)]
        case .accept?, nil:
            break
        }
        return []
    }

    /// The offset of a box's last page at the terminal's size, as the box wraps its lines (Dialogs.overlay): End goes
    /// there, and scrolling never runs past it (so Up after End moves at once).
    private func lastPage(of lines: [String], in state: WizardState) -> Int {
        let width = state.size.columns - 8, visible = state.size.rows - 5
        guard width > 0, visible > 0 else { return 0 }
        let rows = lines.reduce(0) { $0 + DisplayWidth.wrap(DisplayWidth.expandingTabs($1), to: width).count }
        return max(0, rows - visible)
    }

    /// A new session instead of resuming: back to the first screen with no session until it is named.
    private func startAfresh(_ state: inout WizardState) {
        state.sessionName = nil
        state.values = [:]
        state.secretsGiven = []
        state.outcomes = [:]
        for index in state.steps.indices { state.steps[index].status = .pending }
        open(&state, index: 0)
        state.fields = state.fields.map { field in
            var fresh = field
            fresh.show(field.input.staticDefault)
            return fresh
        }
    }
}
