/// Boxes drawn over the screen: confirmations, help, the log, file previews.
public enum Dialogs {
    /// A centred box with a message and buttons; the selected button is highlighted.
    public static func confirm(_ canvas: inout Canvas, title: String, message: String, buttons: [String], selected: Int) {
        let width = min(canvas.columns - 4, max(44, min(70, DisplayWidth.of(message) + 6)))
        let lines = DisplayWidth.wrap(message, to: width - 4)
        let height = min(canvas.rows - 2, lines.count + 5)
        let (row, column) = ((canvas.rows - height) / 2, (canvas.columns - width) / 2)
        canvas.fill(row: row, column: column, height: height, width: width)
        canvas.box(row: row, column: column, height: height, width: width, title: title, style: Style(role: .accent))
        for (index, line) in lines.prefix(height - 5).enumerated() {
            canvas.put(line, row: row + 2 + index, column: column + 2, width: width - 4)
        }
        var at = column + 2
        for (index, button) in buttons.enumerated() {
            at += FormWidgets.button(&canvas, row: row + height - 2, column: at, title: button, focused: index == selected) + 2
        }
    }

    /// A large box of scrollable text (help, the log, a diff preview) with its own key hint.
    public static func overlay(
        _ canvas: inout Canvas, title: String, lines: [String], offset: Int, hint: String,
        style: (String) -> Style = { _ in .plain }
    ) {
        let (row, column) = (1, 2)
        let (height, width) = (canvas.rows - 2, canvas.columns - 4)
        guard height > 4, width > 10 else { return }
        canvas.fill(row: row, column: column, height: height, width: width)
        canvas.box(row: row, column: column, height: height, width: width, title: title, style: Style(role: .accent))
        // Tabs are expanded to the next multiple of 8, as a terminal shows them (a zone file's columns stay aligned).
        let wrapped = lines.flatMap { line in DisplayWidth.wrap(DisplayWidth.expandingTabs(line), to: width - 4).map { ($0, style(line)) } }
        let visible = height - 3
        let start = min(max(0, offset), max(0, wrapped.count - visible))
        for (index, entry) in wrapped.dropFirst(start).prefix(visible).enumerated() {
            canvas.put(entry.0, row: row + 1 + index, column: column + 2, style: entry.1, width: width - 4)
        }
        canvas.put(DisplayWidth.truncate(hint, to: width - 4), row: row + height - 2, column: column + 2, style: .hint)
    }
}
