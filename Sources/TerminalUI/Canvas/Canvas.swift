/// A grid of cells the front end draws into; the terminal shows it, tests read it as text.
public struct Canvas: Sendable, Equatable {
    /// One terminal cell. A wide character occupies its cell and a `continuation` cell to its right.
    public struct Cell: Sendable, Equatable {
        public var character: Character
        public var style: Style
        public var continuation: Bool

        static let blank = Cell(character: " ", style: .plain, continuation: false)
    }

    public let rows: Int
    public let columns: Int
    public private(set) var cells: [Cell]
    /// Where the terminal cursor should stand (a focused text field), or nil to hide it.
    public var cursor: (row: Int, column: Int)?

    /// A blank canvas.
    public init(rows: Int, columns: Int) {
        self.rows = max(0, rows)
        self.columns = max(0, columns)
        cells = Array(repeating: .blank, count: self.rows * self.columns)
    }

    public static func == (lhs: Canvas, rhs: Canvas) -> Bool {
        lhs.rows == rhs.rows && lhs.columns == rhs.columns && lhs.cells == rhs.cells
            && lhs.cursor?.row == rhs.cursor?.row && lhs.cursor?.column == rhs.cursor?.column
    }

    /// The cell at a position.
    public func cell(row: Int, column: Int) -> Cell { cells[row * columns + column] }

    /// Writes text from a position, clipped to `width` columns (default: to the edge). Returns the columns used.
    @discardableResult
    public mutating func put(_ text: String, row: Int, column: Int, style: Style = .plain, width: Int? = nil) -> Int {
        guard row >= 0, row < rows, column >= 0, column < columns else { return 0 }
        let limit = min(columns, column + (width ?? columns))
        var at = column
        for character in text {
            let cellWidth = DisplayWidth.of(character)
            if cellWidth == 0 { continue }
            if at + cellWidth > limit { break }
            clearWide(row: row, column: at)
            cells[row * columns + at] = Cell(character: character, style: style, continuation: false)
            if cellWidth == 2 {
                clearWide(row: row, column: at + 1)
                cells[row * columns + at + 1] = Cell(character: " ", style: style, continuation: true)
            }
            at += cellWidth
        }
        return at - column
    }

    /// Fills a rectangle with spaces in a style.
    public mutating func fill(row: Int, column: Int, height: Int, width: Int, style: Style = .plain) {
        for r in max(0, row)..<min(rows, row + height) {
            for c in max(0, column)..<min(columns, column + width) {
                cells[r * columns + c] = Cell(character: " ", style: style, continuation: false)
            }
        }
    }

    /// Draws a box with Unicode lines, and a title on its top edge.
    public mutating func box(row: Int, column: Int, height: Int, width: Int, title: String? = nil, style: Style = .plain) {
        guard height >= 2, width >= 2 else { return }
        put("┌" + String(repeating: "─", count: width - 2) + "┐", row: row, column: column, style: style)
        for r in row + 1..<row + height - 1 {
            put("│", row: r, column: column, style: style)
            put("│", row: r, column: column + width - 1, style: style)
        }
        put("└" + String(repeating: "─", count: width - 2) + "┘", row: row + height - 1, column: column, style: style)
        if let title, width > 6 {
            put(" " + DisplayWidth.truncate(title, to: width - 6) + " ", row: row, column: column + 2, style: Style(bold: true, role: style.role))
        }
    }

    /// Changes the style of a run of cells, keeping their characters (a highlight bar).
    public mutating func restyle(row: Int, column: Int, width: Int, style: Style) {
        guard row >= 0, row < rows else { return }
        for c in max(0, column)..<min(columns, column + width) { cells[row * columns + c].style = style }
    }

    /// The canvas as text, one line per row, trailing spaces removed: what a snapshot stores.
    public func text() -> String {
        (0..<rows).map { line($0) }.joined(separator: "\n")
    }

    /// One row as text.
    public func line(_ row: Int) -> String {
        var text = ""
        for c in 0..<columns {
            let cell = cells[row * columns + c]
            if !cell.continuation { text.append(cell.character) }
        }
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }

    private mutating func clearWide(row: Int, column: Int) {
        guard column < columns else { return }
        let index = row * columns + column
        // Overwriting either half of a wide character blanks the other half.
        if cells[index].continuation, column > 0 {
            cells[index - 1] = .blank
        } else if column + 1 < columns, cells[index + 1].continuation {
            cells[index + 1] = .blank
        }
    }
}
