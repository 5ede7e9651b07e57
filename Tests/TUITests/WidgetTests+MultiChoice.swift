import Foundation
import TerminalUI
import XCTest

/// A multi-choice wider than its row shows the highlighted option whole and counts those left out at each end.
extension WidgetTests {
    func testAMultiChoiceThatDoesNotFitCountsWhatItLeavesOut() {
        let options = ["Ignore non-active status", "Multiply by Size CPU", "Third rule"]
        func draw(highlight: Int, width: Int) -> String {
            var canvas = Canvas(rows: 1, columns: width)
            FormWidgets.multiChoice(
                &canvas, row: 0, column: 0, width: width, label: "Rules", labelWidth: 8, options: options,
                checked: ["Multiply by Size CPU"], highlight: highlight, focused: true)
            return canvas.line(0)
        }
        let wide = draw(highlight: 0, width: 120)
        XCTAssertTrue(wide.contains("[ ] Ignore non-active status") && wide.contains("[x] Multiply by Size CPU") && wide.contains("[ ] Third rule"), wide)
        XCTAssertNil(wide.range(of: #"\d▸|◂\d"#, options: .regularExpression), "nothing left out: \(wide)")

        let first = draw(highlight: 0, width: 56)
        XCTAssertTrue(first.contains("[ ] Ignore non-active status"), first)
        XCTAssertTrue(first.hasSuffix("2▸") || first.contains("2▸"), "the two left out are counted: \(first)")
        let second = draw(highlight: 1, width: 56)
        XCTAssertTrue(second.contains("[x] Multiply by Size CPU"), "the highlighted option is whole: \(second)")
        XCTAssertTrue(second.contains("◂1") && second.contains("1▸"), second)
        // As the allocation step draws it at 80x24: the count ends inside the row.
        var row = Canvas(rows: 1, columns: 80)
        FormWidgets.multiChoice(
            &row, row: 0, column: 26, width: 53, label: "Rules behaviours", labelWidth: 21, options: Array(options.prefix(2)),
            checked: [], highlight: 0, focused: false)
        XCTAssertTrue(row.line(0).hasSuffix("1▸"), row.line(0))
        let last = draw(highlight: 2, width: 56)
        XCTAssertTrue(last.contains("[ ] Third rule") && last.contains("◂2") && last.range(of: #"\d▸"#, options: .regularExpression) == nil, last)
    }
}
