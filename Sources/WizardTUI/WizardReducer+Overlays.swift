import Foundation
import StepEngine
import TerminalUI
import Wizard

extension WizardReducer {
    func handleOverlay(_ key: KeyEvent, in state: inout WizardState) -> [WizardEffect] {
        guard let overlay = state.overlay else { return [] }
        switch overlay {
        case let .help(offset):
            state.overlay = scrolled(key, offset: offset).map { .help(offset: $0) }
        case let .log(offset):
            state.overlay = scrolled(key, offset: offset).map { .log(offset: $0) }
        case let .endOfRun(offset):
            if key == .function(10) {
                state.overlay = .confirmQuit(selected: 0)
                return []
            }
            state.overlay = scrolled(key, offset: offset).map { .endOfRun(offset: $0) }
        case let .confirmQuit(selected):
            switch choose(key, selected: selected, count: 2) {
            case let .moved(index): state.overlay = .confirmQuit(selected: index)
            case .chosen(0), .yes:
                state.finished = true
                return [.quit]
            case .chosen, .no: state.overlay = nil
            case .none: break
            }
        case let .staleChange(key: answerKey, value, steps, selected):
            switch choose(key, selected: selected, count: 2) {
            case let .moved(index): state.overlay = .staleChange(key: answerKey, value: value, steps: steps, selected: index)
            case .chosen(0), .yes:
                state.overlay = nil
                state.log.append("\(answerKey) changed; to run again: \(steps.joined(separator: ", ")).")
                return [.saveAnswer(key: answerKey, value: value)]
            case .chosen, .no:
                state.overlay = nil
                if let index = state.fields.firstIndex(where: { $0.input.key == answerKey }) {
                    state.fields[index].show(state.values[answerKey])
                }
            case .none: break
            }
        case let .actionPreview(step, lines, offset):
            switch key {
            case .enter, .character("y"):
                state.overlay = nil
                state.running = WizardState.Running(step: step, startedAt: state.now, waitingOn: waitingOn(step, state), limit: runLimit(for: step))
                state.log.append("\(step): confirmed.")
                return [.runStep(step, consent: true)]
            case .escape, .character("n"), .character("q"):
                state.overlay = nil
                state.log.append("\(step): nothing was written.")
            case .control("s"):
                return [.savePreview(step: step, lines: lines)]
            case .down: state.overlay = .actionPreview(step: step, lines: lines, offset: offset + 1)
            case .up: state.overlay = .actionPreview(step: step, lines: lines, offset: max(0, offset - 1))
            case .pageDown: state.overlay = .actionPreview(step: step, lines: lines, offset: offset + 10)
            case .pageUp: state.overlay = .actionPreview(step: step, lines: lines, offset: max(0, offset - 10))
            default: break
            }
        case .shownOnce:
            // Gone from memory with the box.
            if key == .enter || key == .escape { state.overlay = nil }
        case let .confirmSkip(step, selected):
            switch choose(key, selected: selected, count: 2) {
            case let .moved(index): state.overlay = .confirmSkip(step: step, selected: index)
            case .chosen(0), .yes:
                state.overlay = nil
                state.log.append("\(step): skipped by the operator.")
                return [.skipStep(step)]
            case .chosen, .no: state.overlay = nil
            case .none: break
            }
        case let .confirmBlocked(step, reason, selected):
            switch choose(key, selected: selected, count: 2) {
            case let .moved(index): state.overlay = .confirmBlocked(step: step, reason: reason, selected: index)
            case .chosen(0), .yes:
                state.overlay = nil
                guard step == state.currentStep else { return [] }
                state.log.append("\(step): run although it \(reason).")
                return start(&state)
            case .chosen, .no: state.overlay = nil
            case .none: break
            }
        case let .remoteOutput(step, lines, pasted, offset):
            return handleRemoteOutput(key, step: step, lines: lines, pasted: pasted, offset: offset, in: &state)
        case let .resumeOffer(session, step, selected):
            switch choose(key, selected: selected, count: 2) {
            case let .moved(index): state.overlay = .resumeOffer(session: session, step: step, selected: index)
            case .chosen(0), .yes:
                state.overlay = nil
            case .chosen, .no:
                // A new session: back to the first screen with no session until it is named.
                state.overlay = nil
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
            case .none: break
            }
        }
        return []
    }

    /// Pasted text and typed characters collect (unseen); Ctrl-D hands them to the step; Esc leaves everything as it was.
    private func handleRemoteOutput(
        _ key: KeyEvent, step: String, lines: [String], pasted: String, offset: Int,
        in state: inout WizardState
    ) -> [WizardEffect] {
        var pasted = pasted, offset = offset
        switch key {
        case let .paste(text): pasted += text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        case let .character(character): pasted.append(character)
        case .enter: pasted += "\n"
        case .backspace: if !pasted.isEmpty { pasted.removeLast() }
        case .control("u"): pasted = ""
        case .control("s"): return [.savePreview(step: step, lines: lines)]
        case .control("d"):
            state.overlay = nil
            state.running = WizardState.Running(
                step: step, startedAt: state.now, waitingOn: "checking the output from the Atmosphere server",
                limit: runLimit(for: step))
            state.log.append(pasted.isEmpty ? "\(step): reading the saved output file." : "\(step): checking the pasted output.")
            return [.submitRemoteOutput(step: step, text: pasted.isEmpty ? nil : pasted)]
        case .escape:
            state.overlay = nil
            state.log.append("\(step): nothing was checked; the step stays as it was.")
            return []
        case .down: offset += 1
        case .up: offset = max(0, offset - 1)
        case .pageDown: offset += 10
        case .pageUp: offset = max(0, offset - 10)
        default: break
        }
        state.overlay = .remoteOutput(step: step, lines: lines, pasted: pasted, offset: offset)
        return []
    }

    private enum Choice: Equatable { case moved(Int), chosen(Int), yes, no, none }

    private func choose(_ key: KeyEvent, selected: Int, count: Int) -> Choice {
        switch key {
        case .left, .backTab, .up: .moved((selected + count - 1) % count)
        case .right, .tab, .down: .moved((selected + 1) % count)
        case .enter: .chosen(selected)
        case .character("y"), .character("Y"): .yes
        case .character("n"), .character("N"), .escape: .no
        default: .none
        }
    }

    /// The new scroll offset, or nil when the key closes the box.
    private func scrolled(_ key: KeyEvent, offset: Int) -> Int? {
        switch key {
        case .escape, .enter, .function(1), .function(2), .character("q"): nil
        case .down: offset + 1
        case .up: max(0, offset - 1)
        case .pageDown: offset + 10
        case .pageUp: max(0, offset - 10)
        default: offset
        }
    }
}
