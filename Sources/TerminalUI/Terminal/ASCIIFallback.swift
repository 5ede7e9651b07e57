/// The screen for a terminal whose locale is not UTF-8 (LANG=C): every cell one ASCII character, so marks keep their
/// meaning and no stray bytes stay behind. Each mark maps to one character, so the layout does not move.
public enum ASCIIFallback {
    private static let marks: [Character: Character] = [
        "✔": "+", "✖": "x", "▲": "!", "ℹ": "i", "○": "o", "◐": "*", "»": ">", "↻": "~", "·": ".", "•": "*",
        "▶": ">", "▸": ">", "│": "|", "─": "-", "┌": "+", "┐": "+", "└": "+", "┘": "+", "→": ">", "←": "<",
        "↑": "^", "↓": "v", "…": ".", "—": "-", "–": "-",
        "⠋": "|", "⠙": "/", "⠹": "-", "⠸": "\\", "⠼": "|", "⠴": "/", "⠦": "-", "⠧": "\\", "⠇": "|", "⠏": "/",
    ]

    /// The ASCII character shown for `character`: itself when ASCII, its mark's stand-in, or `?`.
    public static func character(for character: Character) -> Character {
        if character.isASCII { return character }
        return marks[character] ?? "?"
    }

    /// A line of text as that terminal shows it (for messages printed outside the full screen).
    public static func text(_ text: String) -> String {
        String(text.map(character(for:)))
    }
}
