@preconcurrency import CNcurses
@preconcurrency import Glibc

/// Whether this process can drive a full-screen terminal, and if not, why.
public enum TerminalProbe: Sendable, Equatable {
    case usable
    case notATerminal
    case termUnset
    case unknownTerm(String)
    case noCursorAddressing(String)

    /// Checks stdin and stdout and TERM without letting ncurses exit the process (as initscr would).
    public static func check() -> TerminalProbe {
        guard isatty(0) == 1, isatty(1) == 1 else { return .notATerminal }
        guard let raw = getenv("TERM") else { return .termUnset }
        let term = String(cString: raw)
        guard !term.isEmpty else { return .termUnset }
        var status: Int32 = 0
        guard setupterm(nil, 1, &status) == OK else { return .unknownTerm(term) }
        defer { _ = del_curterm(cur_term) }
        let cup = tigetstr("cup")
        if cup == nil || Int(bitPattern: cup) == -1 { return .noCursorAddressing(term) }
        return .usable
    }

    /// Why the full-screen wizard cannot start, in the operator's words; nil when it can.
    public var refusal: String? {
        switch self {
        case .usable: nil
        case .notATerminal: "standard input or output is not a terminal"
        case .termUnset: "TERM is not set"
        case let .unknownTerm(term): "the terminal type TERM=\(term) is unknown to this system's terminfo"
        case let .noCursorAddressing(term): "the terminal TERM=\(term) cannot move the cursor"
        }
    }
}
