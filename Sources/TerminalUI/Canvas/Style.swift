/// How a cell is drawn: attributes that read in monochrome, plus a colour role used only when colour is on.
public struct Style: Hashable, Sendable {
    /// What the text means, which picks its colour.
    public enum Role: Int, Sendable, CaseIterable {
        case normal, accent, ok, info, warning, failure, muted, selection
    }

    public var bold = false
    public var reverse = false
    public var underline = false
    public var dim = false
    public var role: Role = .normal

    /// Creates a style.
    public init(bold: Bool = false, reverse: Bool = false, underline: Bool = false, dim: Bool = false, role: Role = .normal) {
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
        self.dim = dim
        self.role = role
    }

    public static let plain = Style()
    public static let title = Style(bold: true, role: .accent)
    public static let focused = Style(reverse: true, role: .selection)
    public static let hint = Style(dim: true, role: .muted)
    public static let error = Style(bold: true, role: .failure)
}
