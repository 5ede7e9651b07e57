import AtmoModel

extension LineDiff {
    /// The preview overlay's lines and their styles: additions green, removals red, each also marked + or -.
    public static func preview(_ canvas: inout Canvas, path: String, old: String?, new: String, offset: Int) {
        let diff = between(
            old.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) } ?? [],
            new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        let header = old == nil ? "\(path) does not exist yet: every line is new" : "Changes to \(path)"
        Dialogs.overlay(
            &canvas, title: "Preview: \(path)", lines: [header, ""] + diff.map(\.rendered), offset: offset,
            hint: "Enter write it · Esc cancel · PgUp/PgDn scroll"
        ) { line in
            line.hasPrefix("+ ") ? Style(role: .ok) : (line.hasPrefix("- ") ? Style(role: .failure) : .plain)
        }
    }
}
