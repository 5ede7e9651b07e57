@preconcurrency import CNcurses
import Foundation
@preconcurrency import Glibc

/// The real terminal, through wide-character ncurses. Every call must come from the one thread that created it.
public final class NcursesTerminal: Terminal {
    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    public let usesColor: Bool
    /// Whether the locale's character set is UTF-8; if not, every cell is drawn in ASCII.
    public let isUnicode: Bool
    /// How long an ESC waits for the rest of its sequence, in milliseconds (ESCDELAY, as ncurses reads it).
    private let escapeDelay: Int32
    private var pasteBuffer: String?
    private static let pasteStart = KEY_MAX + 1
    private static let pasteEnd = KEY_MAX + 2

    /// Takes over the terminal, or says why it cannot (never exits the process, unlike initscr).
    public static func start(environment: [String: String] = ProcessInfo.processInfo.environment) -> Result<NcursesTerminal, TerminalStartFailure> {
        setlocale(LC_ALL, "")
        let probe = TerminalProbe.check()
        if let refusal = probe.refusal { return .failure(TerminalStartFailure(reason: refusal)) }
        guard let screen = newterm(nil, stdout, stdin) else {
            return .failure(TerminalStartFailure(reason: "ncurses could not set up the terminal"))
        }
        _ = set_term(screen)
        guard let window = stdscr else {
            endwin()
            delscreen(screen)
            return .failure(TerminalStartFailure(reason: "ncurses gave no screen"))
        }
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        let codeset = nl_langinfo(nl_item(CODESET)).map { String(cString: $0) } ?? ""
        let unicode = ["utf-8", "utf8"].contains(codeset.lowercased())
        let delay = environment["ESCDELAY"].flatMap { Int32($0) }.map { min(max($0, 1), 2000) } ?? 25
        return .success(
            NcursesTerminal(screen: screen, window: window, colors: has_colors() && !noColor, unicode: unicode, escapeDelay: delay))
    }

    private init(screen: OpaquePointer, window: UnsafeMutablePointer<WINDOW>, colors: Bool, unicode: Bool, escapeDelay: Int32) {
        self.screen = screen
        self.window = window
        usesColor = colors
        isUnicode = unicode
        self.escapeDelay = escapeDelay
        raw()
        noecho()
        nonl()
        keypad(window, true)
        set_escdelay(escapeDelay)
        _ = define_key("\u{1b}[200~", Self.pasteStart)
        _ = define_key("\u{1b}[201~", Self.pasteEnd)
        if colors {
            start_color()
            use_default_colors()
            // Every role gets a pair: an uninitialised pair draws black on black.
            let palette: [Style.Role: Int32] = [
                .accent: COLOR_CYAN, .ok: COLOR_GREEN, .info: COLOR_BLUE,
                .warning: COLOR_YELLOW, .failure: COLOR_RED, .selection: COLOR_CYAN,
            ]
            for role in Style.Role.allCases where role != .normal {
                init_pair(Int16(role.rawValue), Int16(palette[role] ?? -1), -1)
            }
        }
        // Ask the terminal to mark pasted text, so a paste is one edit and not a storm of keys.
        FileHandle.standardOutput.write(Data("\u{1b}[?2004h".utf8))
    }

    public var size: (rows: Int, columns: Int) { (Int(getmaxy(window)), Int(getmaxx(window))) }

    public func present(_ canvas: Canvas) {
        for row in 0..<canvas.rows {
            var column = 0
            while column < canvas.columns {
                let style = canvas.cell(row: row, column: column).style
                let start = column
                var run: [wchar_t] = []
                while column < canvas.columns, canvas.cell(row: row, column: column).style == style {
                    let cell = canvas.cell(row: row, column: column)
                    if isUnicode {
                        if !cell.continuation { run += cell.character.unicodeScalars.map { wchar_t(bitPattern: $0.value) } }
                    } else {
                        // One ASCII character per cell: the right half of a wide character becomes a space.
                        let shown = cell.continuation ? " " : ASCIIFallback.character(for: cell.character)
                        run += shown.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
                    }
                    column += 1
                }
                wattr_set(window, attributes(for: style), usesColor ? Int16(style.role.rawValue) : 0, nil)
                run.append(0)
                _ = mvwaddnwstr(window, Int32(row), Int32(start), run, Int32(run.count - 1))
            }
        }
        wattr_set(window, cn_a_normal(), 0, nil)
        if let cursor = canvas.cursor {
            curs_set(1)
            wmove(window, Int32(cursor.row), Int32(cursor.column))
        } else {
            curs_set(0)
        }
        wnoutrefresh(window)
        doupdate()
    }

    public func nextKey(timeoutMilliseconds: Int) -> KeyEvent? {
        wtimeout(window, Int32(timeoutMilliseconds))
        while true {
            var code: wint_t = 0
            switch wget_wch(window, &code) {
            case KEY_CODE_YES:
                let key = Int32(code)
                if key == Self.pasteStart {
                    pasteBuffer = ""
                    wtimeout(window, 1000)
                    continue
                }
                if key == Self.pasteEnd, let text = pasteBuffer {
                    pasteBuffer = nil
                    return .paste(text)
                }
                if let event = Self.special(key) { return event }
                if pasteBuffer != nil { continue }
            case OK:
                guard let scalar = Unicode.Scalar(UInt32(code)) else { continue }
                if pasteBuffer != nil {
                    pasteBuffer?.unicodeScalars.append(scalar == "\r" ? "\n" : scalar)
                    continue
                }
                if scalar == "\u{1b}" {
                    guard let event = readEscape() else { continue }
                    return event
                }
                return Self.plain(scalar)
            default:
                // A timeout: hand back what a paste collected so far, if its end never came.
                if let text = pasteBuffer {
                    pasteBuffer = nil
                    return .paste(text)
                }
                return nil
            }
        }
    }

    /// Reads what follows an ESC that terminfo did not decode: nothing within the escape delay is Esc itself; a
    /// sequence is decoded, or dropped whole when unknown (nil), so none of it is typed into a field.
    private func readEscape() -> KeyEvent? {
        var tail: [Unicode.Scalar] = []
        wtimeout(window, escapeDelay)
        defer { wtimeout(window, 0) }
        while true {
            // Esc pressed just before another key's sequence (Esc, then F10): that ESC starts the next key.
            if tail.first == "\u{1b}" {
                _ = unget_wch(wchar_t(0x1b))
                return .escape
            }
            switch EscapeSequence.decode(tail) {
            case let .key(event) where !tail.isEmpty || !nextScalar(into: &tail):
                return event
            case .key: continue
            case .ignored: return nil
            case .needsMore:
                guard nextScalar(into: &tail) else { return nil }
            }
        }
    }

    /// Appends the next character to `tail` if one comes within the escape delay; a key ncurses decoded ends the
    /// sequence (false, and the key is put back to be read next), as does silence.
    private func nextScalar(into tail: inout [Unicode.Scalar]) -> Bool {
        var code: wint_t = 0
        switch wget_wch(window, &code) {
        case OK:
            guard let scalar = Unicode.Scalar(UInt32(code)) else { return false }
            tail.append(scalar)
            return true
        case KEY_CODE_YES:
            // A key terminfo knows came right after the ESC (Esc, then F10): it is the next key, not part of this one.
            _ = ungetch(Int32(code))
            return false
        default:
            return false
        }
    }

    public func forceFullRedraw() {
        clearok(curscr, true)
    }

    public func suspend() {
        // The shell gets its screen back, without bracketed paste, before the stop.
        FileHandle.standardOutput.write(Data("\u{1b}[?2004l".utf8))
        endwin()
        fflush(stdout)
        JobControl.stopAsTheTerminalDriverWould()
        // Continued (fg): the screen again, all of it.
        FileHandle.standardOutput.write(Data("\u{1b}[?2004h".utf8))
        clearok(curscr, true)
        refresh()
    }

    public func shutdown() {
        FileHandle.standardOutput.write(Data("\u{1b}[?2004l".utf8))
        // A terminal with no alternate screen (TERM=linux, vt100) would keep the wizard's last screen under the shell's
        // prompt: it is cleared, and the cursor sent home, as the terminal is given back.
        let alternateScreen = cn_string_capability("smcup") != nil
        if !alternateScreen {
            werase(window)
            wrefresh(window)
        }
        endwin()
        if !alternateScreen, let clear = cn_string_capability("clear") {
            putp(clear)
            fflush(stdout)
        }
        delscreen(screen)
    }

    private func attributes(for style: Style) -> attr_t {
        var attributes = cn_a_normal()
        if style.bold { attributes |= cn_a_bold() }
        if style.reverse { attributes |= cn_a_reverse() }
        if style.underline { attributes |= cn_a_underline() }
        if style.dim { attributes |= cn_a_dim() }
        return attributes
    }

    static func special(_ key: Int32) -> KeyEvent? {
        switch key {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_NPAGE: .pageDown
        case KEY_PPAGE: .pageUp
        case KEY_BACKSPACE: .backspace
        case KEY_DC: .delete
        case KEY_BTAB: .backTab
        case KEY_ENTER: .enter
        case KEY_RESIZE: .resize
        case (KEY_F0 + 1)...(KEY_F0 + 12): .function(Int(key - KEY_F0))
        default: nil
        }
    }

    static func plain(_ scalar: Unicode.Scalar) -> KeyEvent {
        switch scalar.value {
        case 9: .tab
        case 10, 13: .enter
        case 27: .escape
        case 8, 127: .backspace
        case 1...26: .control(Character(Unicode.Scalar(scalar.value + 96) ?? "?"))
        default: .character(Character(scalar))
        }
    }
}

/// Why the terminal could not be taken over.
public struct TerminalStartFailure: Error, Sendable {
    public var reason: String
}
