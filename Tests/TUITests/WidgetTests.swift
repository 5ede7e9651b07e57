import AtmoModel
import TerminalUI
import XCTest

final class WidgetTests: XCTestCase {
    func testDisplayWidth() {
        XCTAssertEqual(DisplayWidth.of("abc"), 3)
        XCTAssertEqual(DisplayWidth.of("日本"), 4)
        XCTAssertEqual(DisplayWidth.of("é"), 1)
        XCTAssertEqual(DisplayWidth.of("e\u{301}"), 1, "a combining accent takes no column")
        XCTAssertEqual(DisplayWidth.truncate("日本語テキスト", to: 7), "日本語…")
        XCTAssertEqual(DisplayWidth.wrap("one two three", to: 7), ["one two", "three"])
        // Indentation is part of a line (the Python a step runs, YAML): kept, and kept on the lines it wraps to.
        XCTAssertEqual(DisplayWidth.wrap("    return x", to: 40), ["    return x"])
        XCTAssertEqual(DisplayWidth.wrap("        if provider and rules:", to: 22), ["        if provider", "        and rules:"])
        XCTAssertEqual(DisplayWidth.wrap("def f():\n    pass", to: 40), ["def f():", "    pass"])
        XCTAssertEqual(DisplayWidth.expandingTabs("a\tb\t\tc"), "a       b               c")
        XCTAssertEqual(DisplayWidth.expandingTabs("日本\tx"), "日本    x", "a wide character counts two columns")
    }

    func testLineEditorKeys() {
        var editor = LineEditor("hello world")
        XCTAssertTrue(editor.apply(.control("w")))
        XCTAssertEqual(editor.text, "hello ")
        XCTAssertTrue(editor.apply(.home))
        XCTAssertTrue(editor.apply(.character(">")))
        XCTAssertEqual(editor.text, ">hello ")
        XCTAssertTrue(editor.apply(.end))
        XCTAssertTrue(editor.apply(.backspace))
        XCTAssertTrue(editor.apply(.left))
        XCTAssertTrue(editor.apply(.delete))
        XCTAssertEqual(editor.text, ">hell")
        XCTAssertTrue(editor.apply(.control("u")))
        XCTAssertEqual(editor.text, "")
        XCTAssertTrue(editor.apply(.paste("line one\nline two")))
        XCTAssertEqual(editor.text, "line one line two", "a paste in a one-line field keeps its words on one line")
        XCTAssertFalse(editor.apply(.tab), "Tab is for the form")
    }

    func testCursorColumnCountsWideCharacters() {
        var editor = LineEditor("é日本")
        XCTAssertEqual(editor.visible(width: 20, masked: false).cursorColumn, 5)
        _ = editor.apply(.left)
        XCTAssertEqual(editor.visible(width: 20, masked: false).cursorColumn, 3)
        XCTAssertEqual(editor.visible(width: 20, masked: true).text, "•••")
        let long = LineEditor(String(repeating: "x", count: 50))
        let shown = long.visible(width: 10, masked: false)
        XCTAssertEqual(shown.cursorColumn, 9, "the view scrolls so the cursor stays visible")
    }

    func testCanvasWideCharactersAndOverwrite() {
        var canvas = Canvas(rows: 1, columns: 6)
        canvas.put("a日b", row: 0, column: 0)
        XCTAssertEqual(canvas.line(0), "a日b")
        XCTAssertTrue(canvas.cell(row: 0, column: 2).continuation)
        canvas.put("x", row: 0, column: 2)
        XCTAssertEqual(canvas.line(0), "a xb", "overwriting half of a wide character blanks the other half")
        canvas.put("日本語", row: 0, column: 1)
        XCTAssertEqual(canvas.line(0), "a日本", "a wide character that does not fit is not drawn")
    }

    func testLineDiff() {
        XCTAssertEqual(
            LineDiff.between(["a", "b", "c"], ["a", "x", "c", "d"]),
            [.same("a"), .removed("b"), .added("x"), .same("c"), .added("d")])
        XCTAssertEqual(LineDiff.between([], ["new"]), [.added("new")])
    }

    /// What follows an ESC that terminfo did not decode: known sequences are keys, unknown ones are dropped whole,
    /// nothing after the ESC is Esc itself, and Alt with a digit is that F-key.
    func testEscapeSequencesAreDecodedOrDropped() {
        func decode(_ text: String) -> EscapeSequence.Reading { EscapeSequence.decode(Array(text.unicodeScalars)) }
        XCTAssertEqual(decode(""), .key(.escape))
        XCTAssertEqual(decode("[4~"), .key(.end), "End as tmux sends it, unknown to xterm-256color's terminfo")
        XCTAssertEqual(decode("[1~"), .key(.home))
        XCTAssertEqual(decode("[7~"), .key(.home), "rxvt's Home")
        XCTAssertEqual(decode("[8~"), .key(.end))
        XCTAssertEqual(decode("[3~"), .key(.delete))
        XCTAssertEqual(decode("[5~"), .key(.pageUp))
        XCTAssertEqual(decode("[6~"), .key(.pageDown))
        XCTAssertEqual(decode("[H"), .key(.home))
        XCTAssertEqual(decode("OF"), .key(.end))
        XCTAssertEqual(decode("[1;5C"), .key(.right), "Ctrl-Right moves as Right does")
        XCTAssertEqual(decode("[11~"), .key(.function(1)))
        XCTAssertEqual(decode("[21~"), .key(.function(10)))
        XCTAssertEqual(decode("OP"), .key(.function(1)))
        XCTAssertEqual(decode("1"), .key(.function(1)), "Alt-1 is F1, as in Midnight Commander")
        XCTAssertEqual(decode("0"), .key(.function(10)))
        XCTAssertEqual(decode("x"), .key(.alt("x")))
        XCTAssertEqual(decode("[2~"), .ignored, "Insert means nothing here")
        XCTAssertEqual(decode("[99~"), .ignored)
        XCTAssertEqual(decode("[200;3z"), .ignored)
        XCTAssertEqual(decode("O"), .needsMore)
        XCTAssertEqual(decode("[4"), .needsMore)
        XCTAssertEqual(decode("[4\u{7}"), .ignored, "a byte outside the grammar ends a broken sequence")
        XCTAssertEqual(decode("[" + String(repeating: "1", count: 40)), .ignored, "an endless sequence is dropped")
    }

    /// A terminal whose locale is not UTF-8 gets one ASCII character per cell, marks keeping their meaning.
    func testASCIIFallbackKeepsOneCellPerMark() {
        XCTAssertEqual(ASCIIFallback.text("✔ ok ✖ FAILURE ▲ warning ℹ info"), "+ ok x FAILURE ! warning i info")
        XCTAssertEqual(ASCIIFallback.text("▶○*│ → ↑↓ …"), ">o*| > ^v .")
        XCTAssertEqual(ASCIIFallback.text("Zürich"), "Z?rich")
        for character in "✔✖▲ℹ○◐»↻·•▶▸│─┌┐└┘→←↑↓…—–⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏" {
            XCTAssertTrue(ASCIIFallback.character(for: character).isASCII)
            XCTAssertNotEqual(ASCIIFallback.character(for: character), "?", "\(character) has a stand-in")
            XCTAssertEqual(DisplayWidth.of(character), 1, "\(character) takes one cell, as its stand-in does")
        }
    }

    /// Findings wrap instead of being cut: every word of a long finding and its remedy is on some line.
    func testFindingsWrapAndScrollWithoutLosingWords() {
        let long = FindingRow(
            level: .failure, target: "https://keystone.cloud.example.edu:5000/v3",
            text: "certificate expired 3 days ago (not after 2026-11-28); clients refuse it, and so will Atmosphere",
            remedy: "Renew the certificate, install it where haproxy reads it (haproxy_user_ssl_cert), and reload haproxy on every API host")
        let rows = [FindingRow(level: .ok, target: "nova", text: "answers"), long]
        let lines = PanelWidgets.findingLines(rows, width: 53)
        XCTAssertEqual(lines.first?.label, FindingRow.Level.failure.label, "worst first")
        XCTAssertTrue(lines.allSatisfy { DisplayWidth.of($0.text) + $0.indent <= 53 }, "\(lines)")
        // A word longer than the line (the URL) goes on to the next line; nothing is dropped.
        let shown = lines.map(\.text).joined().replacingOccurrences(of: " ", with: "")
        XCTAssertTrue(shown.contains((long.target + ": " + long.text + "→ " + long.remedy).replacingOccurrences(of: " ", with: "")), shown)
        var canvas = Canvas(rows: 6, columns: 53)
        let used = PanelWidgets.findings(&canvas, row: 0, column: 0, width: 53, height: 6, rows: rows, offset: 0)
        XCTAssertEqual(used, 0)
        XCTAssertTrue(canvas.text().contains("PgDn more"), canvas.text())
        canvas = Canvas(rows: 6, columns: 53)
        let last = PanelWidgets.lastFindingsOffset(rows, width: 53, height: 6)
        PanelWidgets.findings(&canvas, row: 0, column: 0, width: 53, height: 6, rows: rows, offset: 1000)
        XCTAssertTrue(canvas.text().contains("answers"), "the end of the table is reachable: \(canvas.text())")
        XCTAssertTrue(canvas.text().contains("of \(lines.count) · PgUp back"), canvas.text())
        XCTAssertEqual(last, lines.count - 5)
    }
}
