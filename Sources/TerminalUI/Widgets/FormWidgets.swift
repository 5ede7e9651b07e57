/// Draws form fields. Each returns where the terminal cursor belongs when the field has focus, if anywhere.
public enum FormWidgets {
    /// A text field: `label  [value____]`; a secret is drawn as dots, never in clear.
    @discardableResult
    public static func textField(
        _ canvas: inout Canvas, row: Int, column: Int, width: Int, label: String, labelWidth: Int,
        editor: LineEditor, focused: Bool, masked: Bool
    ) -> (row: Int, column: Int)? {
        drawLabel(&canvas, row: row, column: column, label: label, width: labelWidth, focused: focused)
        let fieldColumn = column + labelWidth + 1
        let fieldWidth = max(4, width - labelWidth - 1)
        // Unfocused, a field shows its beginning; focused, it scrolls to keep the cursor in view.
        var (shown, cursorColumn) = editor.visible(width: fieldWidth - 2, masked: masked)
        if !focused {
            let whole = masked ? String(repeating: "•", count: editor.text.count) : editor.text
            shown = DisplayWidth.truncate(whole, to: fieldWidth - 2)
            cursorColumn = 0
        }
        let style = focused ? Style(underline: true, role: .selection) : Style(underline: true)
        canvas.put("[", row: row, column: fieldColumn)
        canvas.fill(row: row, column: fieldColumn + 1, height: 1, width: fieldWidth - 2, style: style)
        canvas.put(shown, row: row, column: fieldColumn + 1, style: style, width: fieldWidth - 2)
        canvas.put("]", row: row, column: fieldColumn + fieldWidth - 1)
        return focused ? (row, fieldColumn + 1 + cursorColumn) : nil
    }

    /// A choice among options, changed with Left and Right: `label  < openrc >  (1/3)`.
    public static func choice(
        _ canvas: inout Canvas, row: Int, column: Int, width: Int, label: String, labelWidth: Int,
        options: [String], selected: Int, focused: Bool
    ) {
        drawLabel(&canvas, row: row, column: column, label: label, width: labelWidth, focused: focused)
        let value = options.indices.contains(selected) ? options[selected] : "(none)"
        let text = "< \(value) >  (\(selected + 1)/\(options.count))"
        canvas.put(text, row: row, column: column + labelWidth + 1, style: focused ? .focused : .plain, width: width - labelWidth - 1)
    }

    /// Several options with boxes, Left/Right to move and Space to toggle: `[x] A  [ ] B`.
    public static func multiChoice(
        _ canvas: inout Canvas, row: Int, column: Int, width: Int, label: String, labelWidth: Int,
        options: [String], checked: Set<String>, highlight: Int, focused: Bool
    ) {
        drawLabel(&canvas, row: row, column: column, label: label, width: labelWidth, focused: focused)
        var at = column + labelWidth + 1
        let end = column + width
        let texts = options.map { "[\(checked.contains($0) ? "x" : " ")] \($0)" }
        let shown = visibleOptions(texts.map { DisplayWidth.of($0) + 2 }, highlight: highlight, room: end - at)
        // Options that do not fit are counted at the ends (◂ N, N ▸), the highlighted one always in view.
        let after = shown.upperBound < texts.count ? "\(texts.count - shown.upperBound)▸" : ""
        // The count of those after is kept whole at the row's end; an option too long for what is left is cut short.
        let optionsEnd = end - DisplayWidth.of(after)
        if shown.lowerBound > 0 { at += canvas.put("◂\(shown.lowerBound) ", row: row, column: at, style: .hint, width: max(0, optionsEnd - at)) }
        for index in shown {
            let style: Style = focused && index == highlight ? .focused : .plain
            at += canvas.put(DisplayWidth.truncate(texts[index], to: max(0, optionsEnd - at)), row: row, column: at, style: style, width: max(0, optionsEnd - at))
            at += canvas.put("  ", row: row, column: at, width: max(0, optionsEnd - at))
        }
        if !after.isEmpty { canvas.put(after, row: row, column: at, style: .hint, width: max(0, end - at)) }
    }

    /// The options of a multi-choice that fit in `room` columns (each `widths[i]` wide), the highlighted one among them,
    /// leaving room for the counts of those left out.
    static func visibleOptions(_ widths: [Int], highlight: Int, room: Int) -> Range<Int> {
        guard widths.reduce(0, +) > room, !widths.isEmpty else { return 0..<widths.count }
        let marks = 10
        let focus = min(max(0, highlight), widths.count - 1)
        var range = focus..<(focus + 1)
        func fits(_ candidate: Range<Int>) -> Bool { widths[candidate].reduce(0, +) + marks <= room }
        while true {
            if range.upperBound < widths.count, fits(range.lowerBound..<(range.upperBound + 1)) {
                range = range.lowerBound..<(range.upperBound + 1)
            } else if range.lowerBound > 0, fits((range.lowerBound - 1)..<range.upperBound) {
                range = (range.lowerBound - 1)..<range.upperBound
            } else {
                return range
            }
        }
    }

    /// A yes/no box toggled with Space: `[x] label`.
    public static func checkbox(
        _ canvas: inout Canvas, row: Int, column: Int, width: Int, label: String, labelWidth: Int,
        checked: Bool, focused: Bool
    ) {
        drawLabel(&canvas, row: row, column: column, label: label, width: labelWidth, focused: focused)
        canvas.put(checked ? "[x] yes" : "[ ] no", row: row, column: column + labelWidth + 1, style: focused ? .focused : .plain)
    }

    /// A button: `< Run checks >`.
    public static func button(_ canvas: inout Canvas, row: Int, column: Int, title: String, focused: Bool) -> Int {
        canvas.put("< \(title) >", row: row, column: column, style: focused ? .focused : Style(bold: true))
    }

    private static func drawLabel(_ canvas: inout Canvas, row: Int, column: Int, label: String, width: Int, focused: Bool) {
        let mark = focused ? "▸ " : "  "
        canvas.put(
            mark + DisplayWidth.truncate(label, to: width - 2), row: row, column: column, style: focused ? Style(bold: true) : .plain, width: width)
    }
}
