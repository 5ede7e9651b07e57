/// What the front end needs from a terminal: its size, showing a canvas, and reading keys.
/// ncurses stays behind this protocol; tests use `HeadlessTerminal`.
public protocol Terminal: AnyObject {
    /// Rows and columns now.
    var size: (rows: Int, columns: Int) { get }
    /// Whether colours may be used (the terminal has them and NO_COLOR is unset).
    var usesColor: Bool { get }
    /// Shows a canvas (only what changed is sent).
    func present(_ canvas: Canvas)
    /// The next key, waiting up to `timeoutMilliseconds`; nil when none came.
    func nextKey(timeoutMilliseconds: Int) -> KeyEvent?
    /// Repaints everything on the next present (Ctrl-L, after another program scribbled on the screen).
    func forceFullRedraw()
    /// Gives the terminal back as it was.
    func shutdown()
    /// Ctrl-Z: gives the terminal back and stops this process's group, as a shell's job control expects; when it is
    /// continued (fg), takes the terminal again and repaints everything. Returns once continued.
    func suspend()
}

/// A terminal made of memory, for tests: keys are queued, canvases are kept.
public final class HeadlessTerminal: Terminal {
    public var size: (rows: Int, columns: Int)
    public var usesColor: Bool
    public private(set) var presented: [Canvas] = []
    public var pendingKeys: [KeyEvent] = []
    public private(set) var isShutDown = false

    /// A terminal of a given size.
    public init(rows: Int, columns: Int, usesColor: Bool = false) {
        size = (rows, columns)
        self.usesColor = usesColor
    }

    /// The last canvas shown.
    public var screen: Canvas? { presented.last }

    public func present(_ canvas: Canvas) { presented.append(canvas) }

    public func nextKey(timeoutMilliseconds: Int) -> KeyEvent? {
        pendingKeys.isEmpty ? nil : pendingKeys.removeFirst()
    }

    public private(set) var fullRedraws = 0

    public func forceFullRedraw() { fullRedraws += 1 }

    public func shutdown() { isShutDown = true }

    public private(set) var suspensions = 0

    public func suspend() {
        suspensions += 1
        fullRedraws += 1
    }
}
