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

    /// A field showing `value` (or empty).
    public init(input: InputSpec, value: AnswerValue?) {
        self.input = input
        editor = LineEditor()
        choice = 0
        checked = []
        highlight = 0
        flag = false
        error = nil
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
