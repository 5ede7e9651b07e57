import Foundation
import StepEngine
import TerminalUI
import Wizard
import WizardTUI
import XCTest

/// One key runs the step from any field; the help names every key as the hint bar does, and every mark.
extension ReducerTests {
    func testF5RunsTheStepFromAnyFieldAfterSavingIt() {
        let start = loaded(openStep: "welcome")
        XCTAssertEqual(start.focus, .field(0))
        let (state, effects) = send(start, .function(5))
        XCTAssertEqual(effects.last, .runStep("welcome", consent: false), "\(effects)")
        XCTAssertEqual(state.focus, .runButton)
        XCTAssertNotNil(state.running)
        XCTAssertEqual(send(start, .control("t")).1, effects, "^T is F5 where the terminal keeps F5")
        XCTAssertTrue(send(state, .function(5)).1.isEmpty, "not twice while it runs")

        // A field whose answer is refused keeps the operator there, with its error, and nothing runs.
        var (bad, _) = send(loaded(), .backTab, .down, .down, .down, .enter)
        (bad, _) = send(bad, .character("n"), .character("o"))
        let (refused, refusedEffects) = send(bad, .function(5))
        XCTAssertEqual(refused.focus, .field(0))
        XCTAssertNotNil(refused.fields[0].error)
        XCTAssertNil(refused.running)
        XCTAssertFalse(refusedEffects.contains { if case .runStep = $0 { true } else { false } })
    }

    /// Every key the hint bar shows is in the help in the same words, and the help explains every mark.
    func testTheHelpNamesEveryKeyOfTheHintBarAndEveryMark() {
        let view = WizardView(catalog: catalog)
        var state = loaded()
        var bars: [String] = []
        for (rows, columns) in [(24, 80), (40, 120)] {
            state.size = .init(rows: rows, columns: columns)
            for focus in [WizardState.Focus.field(0), .runButton, .steps] {
                state.focus = focus
                bars.append(view.render(state, rows: rows, columns: columns).line(rows - 1))
            }
        }
        // A key as the help names it ("F10/^Q") covers each of its spellings ("^Q" on a narrow bar).
        let names = WizardView.keys.flatMap { $0.key.split(separator: " ").map(String.init) }
        let keys = Set(names + names.flatMap { $0.split(separator: "/").map(String.init) })
        for bar in bars {
            let hints = bar.split(separator: "·").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            XCTAssertFalse(hints.isEmpty, bar)
            for hint in hints {
                let key = String(hint.split(separator: " ").first ?? "")
                // "↑↓ select" and "Tab form" are the step list's moves; the help names them under Tab / S-Tab.
                let named = keys.contains(key) || ["↑↓", "Tab", "S-Tab"].contains(key)
                XCTAssertTrue(named, "the hint bar shows \(key) (\(hint)); the help does not name it: \(keys.sorted())")
            }
        }
        state.overlay = .help(offset: 0)
        let help = view.helpLines(state).joined(separator: "\n")
        for status in StepStatus.allCases {
            XCTAssertTrue(help.contains("\(WizardView.symbol(status))  \(status.words)"), "\(status) has no legend line")
        }
        for mark in ["▶  the open step", "*  a required step", "▲/▼ N more", "F5/^T", "^R", "Home/End"] {
            XCTAssertTrue(help.contains(mark), mark)
        }
    }
}
