/// What the bytes after an ESC mean when terminfo did not know them: ncurses' `keypad` decodes the sequences the
/// terminal's entry lists, and hands back a bare ESC, followed by the rest, for any other (End as `ESC [ 4 ~` under
/// TERM=xterm-256color in tmux). Such a sequence must never count as Esc, nor type its tail into a field.
public enum EscapeSequence {
    /// How far a reading got.
    public enum Reading: Sendable, Equatable {
        /// The sequence is a key.
        case key(KeyEvent)
        /// A whole sequence that means nothing here: dropped.
        case ignored
        /// Not complete yet: read another byte (when none comes in time, it is dropped).
        case needsMore
    }

    /// The longest sequence read before giving up on it; real ones are well under this.
    public static let longest = 32

    /// Decodes ESC followed by `tail` (what came after the ESC within the escape delay).
    /// An empty tail is Esc itself; ESC and a digit is that F-key (Alt-1 is F1, Alt-0 F10, as in Midnight Commander);
    /// ESC and another character is Alt with it.
    public static func decode(_ tail: [Unicode.Scalar]) -> Reading {
        guard let first = tail.first else { return .key(.escape) }
        switch first {
        case "[":
            return controlSequence(Array(tail.dropFirst()))
        case "O":
            guard tail.count >= 2 else { return .needsMore }
            return singleShift(tail[1])
        case "\u{1b}":
            return .key(.escape)
        case "0"..."9":
            let digit = Int(first.value - 48)
            return .key(.function(digit == 0 ? 10 : digit))
        default:
            guard first.value >= 0x20, first.value != 0x7f else { return .ignored }
            return .key(.alt(Character(first)))
        }
    }

    /// `ESC [ parameters final`: parameters are 0x30–0x3F, intermediates 0x20–0x2F, the final byte 0x40–0x7E.
    private static func controlSequence(_ body: [Unicode.Scalar]) -> Reading {
        guard let final = body.last, (0x40...0x7e).contains(final.value) else {
            if body.count >= longest { return .ignored }
            // A byte outside the grammar ends a broken sequence; drop it rather than type it.
            if let last = body.last, !(0x20...0x3f).contains(last.value) { return .ignored }
            return .needsMore
        }
        let parameters = String(String.UnicodeScalarView(body.dropLast()))
        let numbers = parameters.split(separator: ";").map { Int($0) }
        let first = numbers.first ?? nil
        switch final {
        case "A": return .key(.up)
        case "B": return .key(.down)
        case "C": return .key(.right)
        case "D": return .key(.left)
        case "H": return .key(.home)
        case "F": return .key(.end)
        case "Z": return .key(.backTab)
        case "P", "Q", "R", "S": return .key(.function(Int(final.value) - 0x50 + 1))
        case "~":
            switch first {
            case 1, 7: return .key(.home)
            case 4, 8: return .key(.end)
            case 3: return .key(.delete)
            case 5: return .key(.pageUp)
            case 6: return .key(.pageDown)
            case let code? where (11...15).contains(code): return .key(.function(code - 10))
            case let code? where (17...21).contains(code): return .key(.function(code - 11))
            case let code? where (23...24).contains(code): return .key(.function(code - 12))
            default: return .ignored
            }
        default:
            return .ignored
        }
    }

    /// `ESC O x`: the keypad's application mode.
    private static func singleShift(_ code: Unicode.Scalar) -> Reading {
        switch code {
        case "A": .key(.up)
        case "B": .key(.down)
        case "C": .key(.right)
        case "D": .key(.left)
        case "H": .key(.home)
        case "F": .key(.end)
        case "M": .key(.enter)
        case "P", "Q", "R", "S": .key(.function(Int(code.value) - 0x50 + 1))
        default: .ignored
        }
    }
}
