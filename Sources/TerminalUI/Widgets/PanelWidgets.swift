import Foundation

/// A finding as the table shows it: severity by symbol and word, so it reads without colour.
public struct FindingRow: Sendable, Equatable {
    /// How bad, in the table's terms.
    public enum Level: String, Sendable, Equatable {
        case ok, info, warning, failure

        /// The symbol and word shown.
        public var label: String {
            switch self {
            case .ok: "✔ ok"
            case .info: "ℹ info"
            case .warning: "▲ warning"
            case .failure: "✖ FAILURE"
            }
        }

        var rank: Int {
            switch self {
            case .ok: 0
            case .info: 1
            case .warning: 2
            case .failure: 3
            }
        }

        var role: Style.Role {
            switch self {
            case .ok: .ok
            case .info: .info
            case .warning: .warning
            case .failure: .failure
            }
        }
    }

    public var level: Level
    public var target: String
    public var text: String
    public var remedy: String

    /// Creates a row.
    public init(level: Level, target: String, text: String, remedy: String = "") {
        self.level = level
        self.target = target
        self.text = text
        self.remedy = remedy
    }
}

/// Panels of the right-hand side: wrapped text, findings, progress.
public enum PanelWidgets {
    /// Draws lines from `offset`, at most `height` of them; returns how many lines there are in all.
    @discardableResult
    public static func scrollText(
        _ canvas: inout Canvas, row: Int, column: Int, width: Int, height: Int,
        lines: [String], offset: Int, style: Style = .plain
    ) -> Int {
        let start = min(max(0, offset), max(0, lines.count - height))
        for (index, line) in lines.dropFirst(start).prefix(height).enumerated() {
            canvas.put(line, row: row + index, column: column, style: style, width: width)
        }
        if lines.count > height && width > 2 {
            let more = start + height < lines.count ? "↓" : " "
            let less = start > 0 ? "↑" : " "
            canvas.put(less, row: row, column: column + width - 1, style: .hint)
            canvas.put(more, row: row + height - 1, column: column + width - 1, style: .hint)
        }
        return lines.count
    }

    /// The findings table: severity, target, what was seen; the remedy on the next line, indented.
    /// Worst first, so a failure is never the row cut off at the bottom; a last line says how many did not fit.
    public static func findings(_ canvas: inout Canvas, row: Int, column: Int, width: Int, height: Int, rows: [FindingRow]) {
        let ordered = rows.enumerated().sorted { ($0.element.level.rank, $0.offset) > ($1.element.level.rank, $1.offset) }.map(\.element)
        var line = row
        for (index, finding) in ordered.enumerated() {
            if line == row + height - 1 && index < ordered.count - 1 {
                canvas.put("… \(ordered.count - index) more (F2 shows the log)", row: line, column: column, style: .hint)
                break
            }
            guard line < row + height else { break }
            let level = finding.level.label.padding(toLength: 11, withPad: " ", startingAt: 0)
            canvas.put(level, row: line, column: column, style: Style(bold: finding.level == .failure, role: finding.level.role))
            canvas.put(DisplayWidth.truncate("\(finding.target): \(finding.text)", to: width - 12), row: line, column: column + 12, width: width - 12)
            line += 1
            if !finding.remedy.isEmpty && line < row + height {
                canvas.put(DisplayWidth.truncate("→ \(finding.remedy)", to: width - 14), row: line, column: column + 14, style: .hint)
                line += 1
            }
        }
    }

    /// A long wait: spinner, what is being waited on, elapsed time and its limit.
    public static func progress(
        _ canvas: inout Canvas, row: Int, column: Int, width: Int, waitingOn: String,
        elapsed: TimeInterval, limit: TimeInterval?, frame: Int
    ) {
        let spinner = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"][frame % 10]
        let limitText = limit.map { " of \(Int($0))s" } ?? ""
        canvas.put(
            DisplayWidth.truncate("\(spinner) Waiting on \(waitingOn)", to: width), row: row, column: column, style: Style(bold: true, role: .info))
        canvas.put(DisplayWidth.truncate("  \(Int(elapsed))s\(limitText) · Ctrl-C cancels", to: width), row: row + 1, column: column, style: .hint)
    }
}
