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
}
