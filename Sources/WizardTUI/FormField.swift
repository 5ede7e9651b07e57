import StepEngine
import TerminalUI
import Wizard

/// One input on the open screen, with its widget's state.
public struct FormField: Sendable, Equatable {
    public var input: InputSpec
    public var editor: LineEditor
    public var choice: Int
    public var checked: Set<String>
    public var highlight: Int
    public var flag: Bool
    /// What is wrong with the current value; shown in place of the help line.
    public var error: String?
    /// The widget as last shown or confirmed: Esc in an edited field goes back to it and stays.
    private var baseline: Widget

    /// A widget's state, to tell an edit from what was shown.
    struct Widget: Sendable, Equatable {
        var text: String
        var choice: Int
        var checked: Set<String>
        var flag: Bool
    }

    private var widget: Widget { Widget(text: editor.text, choice: choice, checked: checked, flag: flag) }

    /// Whether the operator changed the field since it was shown or last confirmed.
    public var isEdited: Bool { widget != baseline }

    /// Takes the field as it stands as confirmed (Esc no longer undoes it).
    public mutating func confirm() { baseline = widget }

    /// Undoes the edit: the field as it was shown or last confirmed, without a complaint.
    public mutating func cancelEdit() {
        editor.set(baseline.text)
        choice = baseline.choice
        checked = baseline.checked
        flag = baseline.flag
        error = nil
    }

    /// A field showing `value` (or empty).
    public init(input: InputSpec, value: AnswerValue?) {
        self.input = input
        editor = LineEditor()
        choice = 0
        checked = []
        highlight = 0
        flag = false
        error = nil
        baseline = Widget(text: "", choice: 0, checked: [], flag: false)
        show(value)
    }

    /// Sets the widget from a value.
    public mutating func show(_ value: AnswerValue?) {
        switch (input.kind, value) {
        case let (.choice, .text(text)?):
            choice = input.choices.firstIndex(of: text) ?? 0
        case let (.multiChoice, .list(items)?):
            checked = Set(items)
        case let (.bool, .bool(value)?):
            flag = value
        case let (_, value?):
            editor.set(value.displayText)
        case (_, nil):
            editor.set("")
        }
        baseline = widget
    }

    /// The value the widget holds now, or why it is not acceptable.
    public var value: Result<AnswerValue, InputProblem> {
        let value: AnswerValue
        switch input.kind {
        case .choice:
            value = .text(input.choices.indices.contains(choice) ? input.choices[choice] : "")
        case .multiChoice:
            value = .list(input.choices.filter(checked.contains))
        case .bool:
            value = .bool(flag)
        default:
            switch input.parse(text: editor.text) {
            case let .success(parsed): value = parsed
            case let .failure(problem): return .failure(problem)
            }
        }
        if let problem = input.problem(with: value) { return .failure(problem) }
        return .success(value)
    }
}
