/// A one-line text buffer with a cursor, edited by keys as shells and installers do.
public struct LineEditor: Sendable, Equatable {
    public private(set) var text: String
    /// The cursor, as a count of characters before it.
    public private(set) var cursor: Int

    /// An editor holding `text`, cursor at its end.
    public init(_ text: String = "") {
        self.text = text
        cursor = text.count
    }

    /// Applies an editing key; returns false when the key is not an editing key (so the form can use it).
    public mutating func apply(_ key: KeyEvent) -> Bool {
        switch key {
        case let .character(character):
            insert(String(character))
        case let .paste(pasted):
            // A single-line field: line breaks in a paste become spaces.
            insert(pasted.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " "))
        case .backspace:
            guard cursor > 0 else { return true }
            remove(from: cursor - 1, to: cursor)
        case .delete, .control("d"):
            guard cursor < text.count else { return true }
            remove(from: cursor, to: cursor + 1)
        case .left, .control("b"):
            cursor = max(0, cursor - 1)
        case .right, .control("f"):
            cursor = min(text.count, cursor + 1)
        case .home, .control("a"):
            cursor = 0
        case .end, .control("e"):
            cursor = text.count
        case .control("u"):
            remove(from: 0, to: cursor)
        case .control("k"):
            remove(from: cursor, to: text.count)
        case .control("w"):
            let characters = Array(text)
            var start = cursor
            while start > 0 && characters[start - 1] == " " { start -= 1 }
            while start > 0 && characters[start - 1] != " " { start -= 1 }
            remove(from: start, to: cursor)
        default:
            return false
        }
        return true
    }

    /// Replaces the whole text.
    public mutating func set(_ newText: String) {
        text = newText
        cursor = newText.count
    }

    /// What to show in `width` columns (scrolled so the cursor is visible), and the cursor's column in it.
    public func visible(width: Int, masked: Bool) -> (text: String, cursorColumn: Int) {
        let shown = masked ? String(repeating: "•", count: text.count) : text
        let characters = Array(shown)
        let beforeCursor = DisplayWidth.of(String(characters[..<cursor]))
        guard width > 1 else { return ("", 0) }
        var start = 0
        var offset = beforeCursor
        while offset > width - 1 && start < characters.count {
            offset -= DisplayWidth.of(characters[start])
            start += 1
        }
        return (DisplayWidth.prefix(String(characters[start...]), fitting: width), offset)
    }

    private mutating func insert(_ inserted: String) {
        let clean = String(inserted.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7f }.map(Character.init))
        var characters = Array(text)
        characters.insert(contentsOf: clean, at: cursor)
        text = String(characters)
        cursor += clean.count
    }

    private mutating func remove(from start: Int, to end: Int) {
        guard start < end else { return }
        var characters = Array(text)
        characters.removeSubrange(start..<end)
        text = String(characters)
        cursor = start
    }
}
