/// A key the operator pressed, or something the terminal did.
public enum KeyEvent: Sendable, Equatable {
    case character(Character)
    case enter, tab, backTab, escape, backspace, delete
    case up, down, left, right, home, end, pageUp, pageDown
    /// F1 to F12.
    case function(Int)
    /// Ctrl with a letter (Ctrl-C is `.control("c")`).
    case control(Character)
    /// Alt (Meta) with a character: ESC and the character, sent together.
    case alt(Character)
    /// Text pasted in one go (bracketed paste).
    case paste(String)
    /// The terminal changed size.
    case resize
}
