import Foundation
import StepEngine
import TerminalUI
import Wizard

/// Draws the state: step list on the left, the open screen on the right, key hints at the bottom.
public struct WizardView: Sendable {
    public static let minimumRows = 24
    public static let minimumColumns = 80
    public let catalog: WizardCatalog

    /// A view of the catalog's screens.
    public init(catalog: WizardCatalog) { self.catalog = catalog }

    /// The whole screen for a terminal of this size.
    public func render(_ state: WizardState, rows: Int, columns: Int) -> Canvas {
        var canvas = Canvas(rows: rows, columns: columns)
        guard rows >= Self.minimumRows, columns >= Self.minimumColumns else {
            drawTooSmall(&canvas)
            return canvas
        }
        let layout = ScreenLayout(state, screen: catalog.screens[state.current], rows: rows, columns: columns)
        drawTitleBar(&canvas, state)
        drawStepList(&canvas, state, width: layout.listWidth)
        for row in 1..<rows - 1 { canvas.put("│", row: row, column: layout.listWidth, style: .hint) }
        drawScreen(&canvas, state, layout: layout)
        drawHints(&canvas, state)
        drawOverlay(&canvas, state)
        return canvas
    }

    private func drawTooSmall(_ canvas: inout Canvas) {
        let message = "terminal too small (need \(Self.minimumColumns)x\(Self.minimumRows), have \(canvas.columns)x\(canvas.rows))"
        let lines = DisplayWidth.wrap(message, to: max(1, canvas.columns - 2)) + ["", "Enlarge the window; nothing is lost."]
        let top = max(0, (canvas.rows - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            canvas.put(
                line, row: top + index, column: max(0, (canvas.columns - DisplayWidth.of(line)) / 2), style: index == 0 ? Style(bold: true) : .plain)
        }
    }

    private func drawTitleBar(_ canvas: inout Canvas, _ state: WizardState) {
        canvas.fill(row: 0, column: 0, height: 1, width: canvas.columns, style: Style(reverse: true))
        let session = state.sessionName.map { "session \($0)" } ?? "new session"
        let text = " atmo-connect · \(session) · step \(state.current + 1) of \(state.steps.count)"
        let used = canvas.put(text, row: 0, column: 0, style: Style(bold: true, reverse: true))
        // Test mode is on every screen: the operator's credentials go in clear to these endpoints.
        if let notice = TestMode.notice(state.values) {
            canvas.put(
                DisplayWidth.truncate(" · " + notice.uppercased().prefix(9) + notice.dropFirst(9), to: max(0, canvas.columns - used)), row: 0,
                column: used, style: Style(bold: true, reverse: true, role: .warning))
        }
    }

    private func drawStepList(_ canvas: inout Canvas, _ state: WizardState, width: Int) {
        canvas.put("Steps  (* required)", row: 1, column: 1, style: Style(bold: true))
        let visible = canvas.rows - 4
        let start = max(0, min(state.selectedStep - visible + 1, state.steps.count - visible))
        for (offset, step) in state.steps.enumerated().dropFirst(start).prefix(visible) {
            let row = 2 + offset - start
            let marker = offset == state.current ? "▶" : " "
            let text = "\(marker)\(Self.symbol(step.status))\(step.required ? "*" : " ")\(step.title)"
            let selected = state.focus == .steps && offset == state.selectedStep
            canvas.put(
                DisplayWidth.truncate(text, to: width - 1), row: row, column: 0,
                style: selected ? .focused : Style(bold: offset == state.current, role: Self.role(step.status)))
            if selected { canvas.restyle(row: row, column: 0, width: width, style: .focused) }
        }
    }

    private func drawScreen(_ canvas: inout Canvas, _ state: WizardState, layout: ScreenLayout) {
        let screen = catalog.screens[state.current]
        let step = state.steps[state.current]
        let (column, width) = (layout.column, layout.width)
        canvas.put(DisplayWidth.truncate(screen.title, to: width), row: 1, column: column, style: .title)
        let requirement = screen.required ? "required" : "optional"
        canvas.put(
            DisplayWidth.truncate("\(Self.symbol(step.status)) \(Self.statusLine(step)) · \(requirement)", to: width), row: 2, column: column,
            style: Style(role: Self.role(step.status)))
        if layout.textHeight > 0 {
            PanelWidgets.scrollText(
                &canvas, row: layout.textRow, column: column, width: width, height: layout.textHeight, lines: layout.textLines,
                offset: state.textOffset, style: .plain)
        }
        drawForm(&canvas, state, layout: layout)
        drawResults(&canvas, state, screen: screen, layout: layout)
    }

    private func drawForm(_ canvas: inout Canvas, _ state: WizardState, layout: ScreenLayout) {
        var row = layout.formRow
        let (column, width, room) = (layout.column, layout.width, layout.fieldRoom)
        // The label column widens with the window, up to half the step's side, so labels are read whole.
        let labelWidth = min(max(26, width / 2), max(14, (state.fields.map { DisplayWidth.of($0.input.label) }.max() ?? 10) + 3))
        var focusedIndex = 0
        if case let .field(index) = state.focus { focusedIndex = index }
        let first = max(0, min(focusedIndex - room + 1, state.fields.count - room))
        for (index, field) in state.fields.enumerated().dropFirst(first).prefix(room) {
            let focused = state.focus == .field(index)
            let label = field.error == nil ? field.input.label : "✖ " + field.input.label
            switch field.input.kind {
            case .choice:
                FormWidgets.choice(
                    &canvas, row: row, column: column, width: width, label: label, labelWidth: labelWidth,
                    options: field.input.choices, selected: field.choice, focused: focused)
            case .multiChoice:
                FormWidgets.multiChoice(
                    &canvas, row: row, column: column, width: width, label: label, labelWidth: labelWidth,
                    options: field.input.choices, checked: field.checked, highlight: field.highlight, focused: focused)
            case .bool:
                FormWidgets.checkbox(
                    &canvas, row: row, column: column, width: width, label: label, labelWidth: labelWidth,
                    checked: field.flag, focused: focused)
            default:
                if let cursor = FormWidgets.textField(
                    &canvas, row: row, column: column, width: width, label: label, labelWidth: labelWidth,
                    editor: field.editor, focused: focused, masked: field.input.isSecret)
                {
                    canvas.cursor = cursor
                }
            }
            row += 1
        }
        // Fields the form has no room for are said, above and below, on the help line's row: none is hidden silently.
        let above = first, below = max(0, state.fields.count - first - room)
        let more = [above > 0 ? "▲ \(above) more" : nil, below > 0 ? "▼ \(below) more" : nil].compactMap { $0 }.joined(separator: " ")
        let markWidth = more.isEmpty ? 0 : DisplayWidth.of(more) + 1
        // The focused field's help, or its error in place of it, on two rows (the "more" marks at the end of the first).
        if case let .field(index) = state.focus, state.fields.indices.contains(index), layout.fieldRoom > 0 {
            let field = state.fields[index]
            let (text, style) = field.error.map { ("✖ " + $0, Style.error) } ?? (helpLine(field.input, state), Style.hint)
            for (offset, line) in Self.twoRows(text, first: width - markWidth, second: width).enumerated() {
                canvas.put(line, row: row + offset, column: column, style: style)
            }
        }
        if !more.isEmpty, layout.fieldRoom > 0 {
            canvas.put(more, row: row, column: column + width - markWidth + 1, style: .title)
        }
        row = layout.buttonsRow
        let screen = catalog.screens[state.current]
        let run = screen.capabilityIDs.isEmpty ? "Continue" : (catalog.mayChange(screen, values: state.values) ? "Preview changes" : "Run checks")
        var at = column
        for button in WizardReducer(catalog: catalog).buttons(state) {
            let title =
                switch button {
                case .nextButton: "Next step"
                case .skipButton: "Skip this step"
                default: run
                }
            at += FormWidgets.button(&canvas, row: row, column: at, title: title, focused: state.focus == button) + 2
        }
    }

    private func drawResults(_ canvas: inout Canvas, _ state: WizardState, screen: Screen, layout: ScreenLayout) {
        let (row, column, width, height) = (layout.resultsRow, layout.column, layout.width, layout.resultsHeight)
        guard height > 0 else { return }
        if let running = state.running, running.step == screen.id {
            PanelWidgets.progress(
                &canvas, row: row, column: column, width: width, waitingOn: running.waitingOn,
                elapsed: state.now.timeIntervalSince(running.startedAt), limit: running.limit,
                frame: Int(state.now.timeIntervalSince(running.startedAt) * 10))
            return
        }
        if let outcome = state.outcomes[screen.id] {
            canvas.put(
                DisplayWidth.truncate("Result: \(outcome.word) — \(outcome.message)", to: width), row: row, column: column,
                style: Style(bold: true, role: outcome.kind == .attempt(.passed) ? .ok : (outcome.kind == .attempt(.warned) ? .warning : .failure)))
            PanelWidgets.findings(
                &canvas, row: row + 1, column: column, width: width, height: layout.findingsHeight, rows: outcome.findings,
                offset: state.findingsOffset)
        } else if state.steps[state.current].unavailable {
            let text = "Verification for this step is not available in this build yet: it shows what it will check, and passes nothing."
            for (index, line) in DisplayWidth.wrap(text, to: width).prefix(height).enumerated() {
                canvas.put(line, row: row + index, column: column, style: Style(role: .warning))
            }
        }
    }

    private func drawHints(_ canvas: inout Canvas, _ state: WizardState) {
        let hints: String
        switch state.overlay {
        case .help, .log: hints = " ↑↓ PgUp PgDn scroll · Esc close"
        case .endOfRun: hints = " Enter close (the wizard stays open) · ↑↓ scroll · F10/^Q quit"
        case .confirmQuit, .staleChange, .resumeOffer, .confirmSkip, .confirmBlocked: hints = " ←→ choose · Enter confirm · Esc cancel"
        case .actionPreview: hints = " Enter do it · Esc change nothing · ^S save to a file · ↑↓ PgUp PgDn scroll"
        case .shownOnce: hints = " Enter when you have noted it · it is not shown again"
        case .remoteOutput: hints = " paste the output · Ctrl-D check it · Ctrl-U clear · ^S save the commands · Esc leave"
        case nil:
            hints = Self.fitted(mainHints(state), to: canvas.columns)
        }
        canvas.fill(row: canvas.rows - 1, column: 0, height: 1, width: canvas.columns, style: Style(reverse: true))
        canvas.put(DisplayWidth.truncate(hints, to: canvas.columns), row: canvas.rows - 1, column: 0, style: Style(reverse: true))
    }

    private func drawOverlay(_ canvas: inout Canvas, _ state: WizardState) {
        guard let overlay = state.overlay else { return }
        canvas.cursor = nil
        switch overlay {
        case let .help(offset):
            let lines = helpLines(state)
            Dialogs.overlay(&canvas, title: "Help", lines: lines, offset: offset, hint: "Esc close · ↑↓ scroll")
        case let .log(offset):
            Dialogs.overlay(
                &canvas, title: "Log", lines: state.log.isEmpty ? ["(nothing yet)"] : state.log, offset: offset,
                hint: "Esc close · ↑↓ scroll")
        case let .confirmQuit(selected):
            Dialogs.confirm(
                &canvas, title: "Quit", message: "Quit atmo-connect? Your answers and progress are saved; run it again to resume.",
                buttons: ["Quit", "Stay"], selected: selected)
        case let .staleChange(key, value, steps, selected):
            Dialogs.confirm(
                &canvas, title: "Change a finished step?",
                message: "Setting \(key) to \(value.displayText) means these finished steps must run again: \(steps.joined(separator: ", ")).",
                buttons: ["Change it", "Keep the old answer"], selected: selected)
        case let .actionPreview(step, lines, offset):
            Dialogs.overlay(
                &canvas, title: "Preview: \(catalog.screen(step)?.title ?? step)", lines: lines, offset: offset,
                hint: state.savedPreview.map { "Written, exactly as shown, to \($0)" } ?? "Enter do it · Esc change nothing · ^S save to a file"
            ) { line in
                line.hasPrefix("+ ") ? Style(role: .ok) : (line.hasPrefix("- ") ? Style(role: .failure) : .plain)
            }
        case let .shownOnce(secret):
            Dialogs.overlay(
                &canvas, title: "Note this now: it is shown once",
                lines: [
                    "\(secret.label):", "", "    \(secret.value)", "",
                    "It is stored nowhere: not in the state file, the log or the report.",
                    "Keep it in your password manager; the provider step uses it in this run.",
                ], offset: 0, hint: "Enter done")
        case let .remoteOutput(step, lines, pasted, offset):
            // The paste is counted, never shown: add_new_provider.py's review prints the password and the secret.
            let count = pasted.split(separator: "\n", omittingEmptySubsequences: false).count
            let received =
                pasted.isEmpty
                ? "Nothing pasted yet (Ctrl-D with nothing pasted reads the saved output file)."
                : "Received \(count) line(s), \(pasted.count) character(s) (not shown: they may hold secrets). Ctrl-D checks them."
            Dialogs.overlay(
                &canvas, title: "On the Atmosphere server: \(catalog.screen(step)?.title ?? step)", lines: [received, ""] + lines,
                offset: offset, hint: state.savedPreview.map { "Written, exactly as shown, to \($0)" } ?? "Ctrl-D check · ^S save the commands · Esc leave"
            ) { line in
                line.hasPrefix("Received")
                    ? Style(role: .ok) : (line.hasPrefix("+ ") ? Style(role: .ok) : (line.hasPrefix("- ") ? Style(role: .failure) : .plain))
            }
        case let .endOfRun(offset):
            Dialogs.overlay(
                &canvas, title: "The last step is done", lines: endOfRunLines(state), offset: offset, hint: "Enter close · F10/^Q quit")
        case let .confirmSkip(step, selected):
            Dialogs.confirm(
                &canvas, title: "Skip this step?",
                message:
                    "Skip \(catalog.screen(step)?.title ?? step)? Nothing is checked or changed; the report and status say it was skipped, and the steps after it may run. You can run it later from the step list.",
                buttons: ["Skip it", "Stay"], selected: selected)
        case let .confirmBlocked(step, reason, selected):
            Dialogs.confirm(
                &canvas, title: "An earlier step is not done",
                message:
                    "\(catalog.screen(step)?.title ?? step) \(reason). Its checks may fail, or act on a cloud that is not ready. Run it anyway?",
                buttons: ["Run anyway", "Cancel"], selected: selected)
        case let .resumeOffer(session, step, selected):
            let title = catalog.screen(step)?.title ?? step
            Dialogs.confirm(
                &canvas, title: "Welcome back", message: "Resume \(session) at \(title)?",
                buttons: ["Resume", "New session"], selected: selected)
        }
    }

    /// A field's help line, saying when its value was worked out by the wizard, and when Ctrl-R brings that back.
    public func helpLine(_ input: InputSpec, _ state: WizardState) -> String {
        if WizardReducer(catalog: catalog).isRestorable(input, state) { return "Ctrl-R: back to the worked-out value. " + input.help }
        if state.sources[input.key] == .derived { return "(worked out from earlier answers) " + input.help }
        return input.help
    }

    /// The end screen: what was done, what was skipped, what remains, and where the report is.
    func endOfRunLines(_ state: WizardState) -> [String] {
        // The statuses are re-read from the engine as a step finishes, before the screen is drawn.
        let done = state.steps.filter { $0.status == .passed || $0.status == .warned }
        let skipped = state.steps.filter { $0.status == .skipped }
        let remaining = state.steps.filter { step in !done.contains(step) && !skipped.contains(step) }
        var lines = ["Session \(state.sessionName ?? "")", ""]
        lines.append("Done (\(done.count)):")
        lines += done.map { "  \(Self.symbol($0.status == .warned ? .warned : .passed)) \($0.title)" + ($0.status == .warned ? " (with warnings)" : "") }
        if !skipped.isEmpty {
            lines += ["", "Skipped by you (\(skipped.count)):"] + skipped.map { "  \(Self.symbol(.skipped)) \($0.title)" }
        }
        if remaining.isEmpty {
            lines += ["", "Nothing remains: Atmosphere knows this cloud."]
        } else {
            lines += ["", "Still to do (\(remaining.count); * required):"]
            lines += remaining.map { "  \(Self.symbol($0.status)) \($0.required ? "*" : " ")\($0.title): \($0.status.words)" }
        }
        if case let .text(report)? = state.values["final.report_path"] {
            lines += ["", "The report: \(report)"]
        }
        lines += [
            "", "Any time: atmo-connect status (or status --json) shows where each step stands; atmo-connect export --report FILE",
            "writes the report again. Your answers and progress are saved.",
        ]
        return lines
    }

    /// A text on at most two rows, the first `first` columns wide and the second `second`; what does not fit ends in "…".
    static func twoRows(_ text: String, first: Int, second: Int) -> [String] {
        let head = DisplayWidth.wrap(text, to: max(1, first))
        guard head.count > 1, let firstLine = head.first else { return head }
        let rest = String(text.dropFirst(firstLine.count)).trimmingCharacters(in: .whitespaces)
        return [firstLine, DisplayWidth.truncate(rest, to: second)]
    }

    /// The key hints under the open step, with how much each is needed (0 is dropped first when the line is full;
    /// every key stays in the help, F1).
    private func mainHints(_ state: WizardState) -> [(text: String, need: Int)] {
        let wide = state.size.columns >= 110
        var hints: [(text: String, need: Int)] =
            state.focus == .steps
            ? [("↑↓ select", 2), ("Enter open step", 2), ("Tab form", 1)]
            : [("Tab next", 2), ("S-Tab back", 0), ("Enter ok", 0), ("Esc previous", 1), (wide ? "F5/^T run step" : "^T run", 3)]
        if WizardReducer(catalog: catalog).buttons(state).contains(.skipButton) { hints.append(("^S skip", 2)) }
        if let outcome = state.outcomes[state.currentStep], !outcome.findings.isEmpty { hints.append(("PgDn findings", 2)) }
        hints += [(wide ? "F1/^G help" : "^G help", 3), (wide ? "F2/^O log" : "^O log", 3), (wide ? "F10/^Q quit" : "^Q quit", 3)]
        return hints
    }

    /// Joins hints with dots, leaving out the least needed until the line fits.
    static func fitted(_ hints: [(text: String, need: Int)], to columns: Int) -> String {
        var hints = hints
        var line = " " + hints.map(\.text).joined(separator: " · ")
        while DisplayWidth.of(line) > columns, let least = hints.indices.min(by: { hints[$0].need < hints[$1].need }) {
            hints.remove(at: least)
            line = " " + hints.map(\.text).joined(separator: " · ")
        }
        return line
    }

    /// Screen text as paragraphs: single line breaks in the YAML are spaces, blank lines separate paragraphs.
    static func reflow(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
            .components(separatedBy: "\n\n")
            .map { $0.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ") }
            .joined(separator: "\n")
    }

    /// The open step's status line: its words, and why it waits or must run again.
    static func statusLine(_ step: StepRow) -> String {
        guard let reason = step.reason, step.status == .blocked || step.status == .stale || step.status == .pending else {
            return step.status.words
        }
        // "waits for prerequisites (failed)" says it all; the others keep their status word.
        return step.status == .blocked ? reason : "\(step.status.words): \(reason)"
    }

    /// The mark of a step's status in the step list (ASCII forms under LANG=C come from the terminal).
    public static func symbol(_ status: StepStatus) -> String {
        switch status {
        case .pending: "○"
        case .running: "◐"
        case .passed: "✔"
        case .warned: "▲"
        case .failed: "✖"
        case .skipped: "»"
        case .stale: "↻"
        case .blocked: "·"
        }
    }

    static func role(_ status: StepStatus) -> Style.Role {
        switch status {
        case .passed: .ok
        case .warned, .stale: .warning
        case .failed: .failure
        case .running: .info
        case .pending, .skipped, .blocked: .normal
        }
    }
}
