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

    /// One drawn line of the findings table.
    public struct FindingLine: Sendable, Equatable {
        /// The severity mark and word, on a finding's first line only.
        public var label: String?
        public var level: FindingRow.Level
        /// Columns from the table's left edge.
        public var indent: Int
        public var text: String
        /// A remedy line (drawn as a hint).
        public var isRemedy: Bool
    }

    /// The findings table wrapped to `width`: worst first, each finding's severity, target and what was seen, then its
    /// remedy, indented; nothing is cut, long text goes on to further lines.
    public static func findingLines(_ rows: [FindingRow], width: Int) -> [FindingLine] {
        // Worst first; within a severity, in the order the checks reported them.
        let ordered = rows.enumerated().sorted { ($1.element.level.rank, $0.offset) < ($0.element.level.rank, $1.offset) }.map(\.element)
        var lines: [FindingLine] = []
        for finding in ordered {
            let text = DisplayWidth.wrap("\(finding.target): \(finding.text)", to: max(8, width - 12))
            for (index, line) in text.enumerated() {
                lines.append(
                    FindingLine(label: index == 0 ? finding.level.label : nil, level: finding.level, indent: 12, text: line, isRemedy: false))
            }
            guard !finding.remedy.isEmpty else { continue }
            for (index, line) in DisplayWidth.wrap(finding.remedy, to: max(8, width - 16)).enumerated() {
                lines.append(FindingLine(label: nil, level: finding.level, indent: index == 0 ? 14 : 16, text: (index == 0 ? "→ " : "") + line, isRemedy: true))
            }
        }
        return lines
    }

    /// The findings table from line `offset`, in `height` rows. When it does not fit, the last row says where the rest
    /// is and which keys reach it. Returns the offset actually used (clamped to the table).
    @discardableResult
    public static func findings(
        _ canvas: inout Canvas, row: Int, column: Int, width: Int, height: Int, rows: [FindingRow], offset: Int = 0
    ) -> Int {
        guard height > 0 else { return 0 }
        let lines = findingLines(rows, width: width)
        let fits = lines.count <= height
        let visible = fits ? height : height - 1
        let start = fits ? 0 : min(max(0, offset), max(0, lines.count - visible))
        for (index, line) in lines.dropFirst(start).prefix(visible).enumerated() {
            if let label = line.label {
                canvas.put(label, row: row + index, column: column, style: Style(bold: line.level == .failure, role: line.level.role))
            }
            canvas.put(
                line.text, row: row + index, column: column + line.indent, style: line.isRemedy ? .hint : .plain,
                width: width - line.indent)
        }
        if !fits {
            let shown = "lines \(start + 1)–\(min(lines.count, start + visible)) of \(lines.count)"
            let keys = start + visible < lines.count ? (start > 0 ? "PgDn more · PgUp back" : "PgDn more") : "PgUp back"
            canvas.put(DisplayWidth.truncate("\(shown) · \(keys)", to: width), row: row + visible, column: column, style: .hint)
        }
        return start
    }

    /// The largest useful offset for a findings table of `rows` in `height` rows of `width` columns.
    public static func lastFindingsOffset(_ rows: [FindingRow], width: Int, height: Int) -> Int {
        let count = findingLines(rows, width: width).count
        return count <= height ? 0 : max(0, count - (height - 1))
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
