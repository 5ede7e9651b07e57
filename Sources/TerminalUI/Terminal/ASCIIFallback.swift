import Foundation

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

    /// Whether the locale's character set is UTF-8 as the environment names it (LC_ALL, then LC_CTYPE, then LANG; none
    /// set is the C locale).
    public static func localeIsUTF8(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        let name = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? "C"
        let lowered = name.lowercased()
        return lowered.contains("utf-8") || lowered.contains("utf8")
    }

    /// Text for standard output: as it is under a UTF-8 locale, else in ASCII (marks as their stand-ins).
    public static func forLocale(_ text: String) -> String { localeIsUTF8() ? text : Self.text(text) }
}
