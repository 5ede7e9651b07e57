import StepEngine
import TerminalUI
import Wizard

extension WizardView {
    /// The help (F1): the open step's text, the focused field's help, every key in the words the hint bar uses, and
    /// what each mark means, drawn with the very symbols the screen uses (their ASCII forms under LANG=C).
    public func helpLines(_ state: WizardState) -> [String] {
        let screen = catalog.screens[state.current]
        var lines = [screen.title, "", Self.reflow(screen.text), ""]
        if case let .field(index) = state.focus, state.fields.indices.contains(index) {
            let input = state.fields[index].input
            lines += ["\(input.label) (\(input.key)): \(input.help)", ""]
        }
        lines += ["Keys (as the bar at the bottom names them):"] + Self.keys.map { "  " + $0.key.padding(toLength: 14, withPad: " ", startingAt: 0) + $0.meaning }
        lines += ["", "Marks:"]
        lines += StepStatus.allCases.map { "  \(Self.symbol($0))  \($0.words)" }
        lines += [
            "  ▶  the open step",
            "  *  a required step",
            "  ▲/▼ N more   fields above or below the form (Tab reaches them)",
            "  ✖ label      the field's answer is refused (why: under the form)",
            "",
            "Answers are saved as you leave each field; secrets are kept in memory only.",
        ]
        return lines
    }

    /// Every key of the wizard, named as the hint bar names it.
    public static let keys: [(key: String, meaning: String)] = [
        ("Tab / S-Tab", "next / previous field; from the first: the step list"),
        ("↑↓", "move between fields, steps, and lines of a list"),
        ("Enter", "ok: keep the field and go on; on a button, press it"),
        ("Esc", "undo the edit; pressed again: the previous step"),
        ("F5/^T", "run the step from any field (its first button)"),
        ("^S", "skip this optional step; in a preview, save it"),
        ("^R", "back to the worked-out value of the field"),
        ("PgUp/PgDn", "scroll the findings, or the step's text"),
        ("Home/End", "a preview's first and last page"),
        ("Space ←→", "toggle a box; change a choice; move in a list"),
        ("^U ^K ^W", "clear to the start, to the end; delete a word"),
        ("F1/^G", "this help"),
        ("F2/^O", "the log"),
        ("^L", "redraw the screen"),
        ("^Z", "stop it as a shell job (fg brings it back)"),
        ("^C", "cancel a running step; otherwise offer to quit"),
        ("F10/^Q", "quit (answers and progress are saved)"),
    ]
}
