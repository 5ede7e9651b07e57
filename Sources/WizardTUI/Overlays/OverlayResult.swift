import TerminalUI

/// What an overlay's own reducer makes of a key: its local state if it stays open (nil: closed), and what it asks
/// of the wizard's reducer, which composes the overlays as child reducers (each knows only its own box).
struct OverlayResult<Local: Equatable>: Equatable {
    /// The overlay's state after the key; nil when the key closed it.
    var local: Local?
    /// What the parent is to do, if anything.
    var request: OverlayRequest?

    /// Stays open with `local`, maybe asking for something.
    static func stay(_ local: Local, _ request: OverlayRequest? = nil) -> OverlayResult { OverlayResult(local: local, request: request) }

    /// Closed, maybe asking for something.
    static func close(_ request: OverlayRequest? = nil) -> OverlayResult { OverlayResult(local: nil, request: request) }
}

/// What an overlay asks of the wizard.
enum OverlayRequest: Equatable {
    /// The operator said yes (the first choice, Enter on a preview).
    case accept
    /// The operator said no.
    case decline
    /// Save what the box shows to a file.
    case save
    /// Hand what was pasted to the step.
    case submit
}

/// A box that scrolls (help, log, the end of a run): arrows and pages move, Esc, Enter, F1, F2 or q close it.
enum ScrollingOverlay {
    static func reduce(_ offset: Int, _ key: KeyEvent) -> OverlayResult<Int> {
        switch key {
        case .escape, .enter, .function(1), .function(2), .character("q"): .close()
        case .down: .stay(offset + 1)
        case .up: .stay(max(0, offset - 1))
        case .pageDown: .stay(offset + 10)
        case .pageUp: .stay(max(0, offset - 10))
        default: .stay(offset)
        }
    }
}

/// A yes/no question: arrows and Tab move between the buttons; Enter takes the selected one (the first is yes); y and
/// n answer at once; Esc is no.
enum ChoiceOverlay {
    static func reduce(_ selected: Int, _ key: KeyEvent, count: Int = 2) -> OverlayResult<Int> {
        switch key {
        case .left, .backTab, .up: .stay((selected + count - 1) % count)
        case .right, .tab, .down: .stay((selected + 1) % count)
        case .enter: .close(selected == 0 ? .accept : .decline)
        case .character("y"), .character("Y"): .close(.accept)
        case .character("n"), .character("N"), .escape: .close(.decline)
        default: .stay(selected)
        }
    }
}

/// A plan's preview: Enter or y confirms, Esc, n or q leaves it, Ctrl-S saves it as shown, arrows and pages scroll.
enum PreviewOverlay {
    static func reduce(_ offset: Int, _ key: KeyEvent) -> OverlayResult<Int> {
        switch key {
        case .enter, .character("y"): .close(.accept)
        case .escape, .character("n"), .character("q"): .close(.decline)
        case .control("s"): .stay(offset, .save)
        case .home: .stay(0)
        // Past the end is the end: the parent holds the offset to the box's last page.
        case .end: .stay(Int(Int32.max))
        case .down: .stay(offset + 1)
        case .up: .stay(max(0, offset - 1))
        case .pageDown: .stay(offset + 10)
        case .pageUp: .stay(max(0, offset - 10))
        default: .stay(offset)
        }
    }
}

/// The box that takes what the Atmosphere server printed: pasted text and typed characters collect (unseen); Ctrl-D
/// hands them to the step; Ctrl-S saves the block; Esc leaves everything as it was.
enum PasteOverlay {
    /// What was pasted so far, and the scroll offset of the block above it.
    struct Local: Equatable {
        var pasted: String
        var offset: Int
    }

    static func reduce(_ local: Local, _ key: KeyEvent) -> OverlayResult<Local> {
        var local = local
        switch key {
        case let .paste(text): local.pasted += text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        case let .character(character): local.pasted.append(character)
        case .enter: local.pasted += "\n"
        case .backspace: if !local.pasted.isEmpty { local.pasted.removeLast() }
        case .control("u"): local.pasted = ""
        case .control("s"): return .stay(local, .save)
        case .control("d"): return .close(.submit)
        case .escape: return .close(.decline)
        case .down: local.offset += 1
        case .up: local.offset = max(0, local.offset - 1)
        case .pageDown: local.offset += 10
        case .pageUp: local.offset = max(0, local.offset - 10)
        default: break
        }
        return .stay(local)
    }
}
