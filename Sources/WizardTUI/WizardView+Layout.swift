import Foundation
import TerminalUI
import Wizard

/// Where the parts of the open step go on a terminal of a given size: shared by drawing and by the keys that scroll.
struct ScreenLayout: Equatable {
    /// Width of the step list on the left.
    var listWidth: Int
    /// Left edge and width of the open step's side.
    var column: Int
    var width: Int
    /// The step's text: first row, rows given to it, and its wrapped lines.
    var textRow: Int
    var textHeight: Int
    var textLines: [String]
    /// The form's first row and how many fields fit.
    var formRow: Int
    var fieldRoom: Int
    /// The row of the buttons under the form.
    var buttonsRow: Int
    /// The results (result line, then findings): first row and height.
    var resultsRow: Int
    var resultsHeight: Int
    /// The step has findings and the operator is on its buttons, not its fields: the findings take the space of the
    /// text and the form (Tab or Shift-Tab into a field brings the form back).
    var resultsOnly: Bool

    /// The layout of `state`'s open step on a terminal of `rows` by `columns`.
    init(_ state: WizardState, screen: Screen, rows: Int, columns: Int) {
        listWidth = columns >= 120 ? 32 : 24
        column = listWidth + 2
        width = columns - listWidth - 3
        textRow = 3
        textLines = DisplayWidth.wrap(WizardView.reflow(screen.text), to: width - 1)
        let onButtons = [.runButton, .nextButton, .skipButton].contains(state.focus)
        let findings = state.outcomes[screen.id].map { !$0.findings.isEmpty } ?? false
        resultsOnly = onButtons && findings && state.running == nil
        if resultsOnly {
            textHeight = 0
            formRow = textRow
            fieldRoom = 0
            buttonsRow = rows - 3
            resultsRow = textRow
            resultsHeight = buttonsRow - 1 - resultsRow
            return
        }
        textHeight = rows >= 40 ? 8 : (rows >= 28 ? 6 : 4)
        formRow = textRow + min(textHeight, textLines.count) + 1
        // Before the step has results (or a run's progress), their rows hold fields too.
        let results = state.outcomes[screen.id] != nil || state.running != nil
        fieldRoom = max(1, rows - formRow - (results ? 8 : 5))
        // The fields, then the focused field's help on two rows, then the buttons; a blank line before the results.
        buttonsRow = formRow + min(fieldRoom, state.fields.count) + 2
        resultsRow = buttonsRow + 2
        resultsHeight = rows - 1 - resultsRow
    }

    /// Rows for the findings: the results less the result line.
    var findingsHeight: Int { max(0, resultsHeight - 1) }
}

extension WizardView {
    /// The layout of the open step at the state's terminal size.
    func layout(_ state: WizardState) -> ScreenLayout {
        ScreenLayout(state, screen: catalog.screens[state.current], rows: state.size.rows, columns: state.size.columns)
    }

    /// The largest findings offset that still shows something new, for the open step's results.
    public func lastFindingsOffset(_ state: WizardState) -> Int {
        guard let outcome = state.outcomes[state.currentStep] else { return 0 }
        let layout = layout(state)
        return PanelWidgets.lastFindingsOffset(outcome.findings, width: layout.width, height: layout.findingsHeight)
    }
}
