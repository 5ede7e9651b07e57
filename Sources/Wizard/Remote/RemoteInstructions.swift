import Foundation
import StepEngine

/// What an Atmosphere step needs done on the Atmosphere server when the wizard runs elsewhere: files to copy, the
/// commands to paste there, and what to answer; the operator pastes the output back and the wizard checks it.
public struct RemoteInstructions: Sendable, Equatable {
    public var step: String
    public var summary: [String]
    /// Commands for this machine, run first (copying a file the wizard wrote here).
    public var localCommands: [String] = []
    /// The block to paste into a shell on the Atmosphere server.
    public var script: String
    /// What to answer when a script asks, and other things to know.
    public var notes: [String] = []
    /// A preview of what changes (the inventory's diff), if any.
    public var preview: [String] = []
    /// The Python the block runs in manage.py shell (it travels base64-encoded in the block), shown as it will run.
    public var python: String = ""
    /// Where the script and the expected output file live, for copying and for `apply`.
    public var scriptFile: String?
    public var outputFile: String?
    /// Text that an output answering this block holds (the smoke test's tag); nil when any output of its step does.
    public var answerMark: String?

    /// Whether `output`, saved for the step, is the answer to this block (an older test's output is no answer to this one).
    public func isAnswered(by output: String) -> Bool { answerMark.map(output.contains) ?? true }

    /// Everything to show, in order.
    public var lines: [String] {
        var lines = summary + [""]
        if !localCommands.isEmpty {
            lines += ["On this machine:"] + localCommands.map { "  $ \($0)" } + [""]
        }
        lines += ["On the Atmosphere server, paste this block into a shell:", ""]
        lines += script.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 } + [""]
        if !python.isEmpty {
            lines +=
                ["The Python it runs there (base64 in the block, decoded into a temporary file):"]
                + python.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 } + [""]
        }
        if !notes.isEmpty { lines += notes.map { "• " + $0 } + [""] }
        if !preview.isEmpty { lines += ["What it changes:"] + preview + [""] }
        if let scriptFile { lines.append("The block is also in \(scriptFile).") }
        if let outputFile { lines.append("Then paste everything it printed back here (or save it as \(outputFile)).") }
        return lines
    }
}
