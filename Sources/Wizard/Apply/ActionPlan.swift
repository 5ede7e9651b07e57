import Foundation
import StepEngine

/// A file an action will write: what is there now and what will be.
public struct PlannedFile: Sendable, Equatable {
    public var path: String
    public var old: String?
    public var new: String
    /// What the preview shows instead of `new` when the content holds a secret.
    public var shown: String?

    /// Whether writing it changes anything.
    public var changes: Bool { old != new }
}

/// What a step's actions will do, shown before anything is done.
public struct ActionPlan: Sendable, Equatable {
    public var summary: [String]
    public var files: [PlannedFile]
    /// Commands the action will run (no secret in them), shown before they run.
    public var commands: [String] = []
    /// Changes made through an API (what will be created), shown before they are made.
    public var changes: [String] = []
    /// The same by hand, for reference: shown, never run.
    public var equivalents: [String] = []
    /// The exact Python a step runs in Atmosphere's `manage.py shell`, shown before it runs.
    public var python: String = ""

    /// Whether doing it changes anything, so the operator must say yes first.
    public var changesSomething: Bool { files.contains(where: \.changes) || !commands.isEmpty || !changes.isEmpty }

    /// The plan as diff lines for a preview or the terminal: each changed file, then its lines marked + or -.
    public var previewLines: [String] {
        var lines = summary + [""]
        for change in changes { lines.append("+ \(change)") }
        if !changes.isEmpty { lines.append("") }
        for command in commands { lines.append("$ \(command)") }
        if !commands.isEmpty { lines.append("") }
        if !python.isEmpty {
            lines += ["The Python it runs there:"] + python.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }
        }
        if !equivalents.isEmpty { lines += ["The same by hand:"] + equivalents.map { "  \($0)" } + [""] }
        for file in files {
            guard file.changes else {
                lines.append("\(file.path): already as it should be")
                continue
            }
            lines.append(file.old == nil ? "\(file.path) (new file)" : "\(file.path) (a backup is kept)")
            let old = file.old.map { $0.components(separatedBy: "\n") } ?? []
            lines += LineDiff.between(old, (file.shown ?? file.new).components(separatedBy: "\n")).map(\.rendered)
            lines.append("")
        }
        return lines
    }
}

extension ActionPlan {
    /// The plans of a step's actions as one preview, in the screen's order.
    init(merging plans: [ActionPlan]) {
        self.init(
            summary: plans.flatMap(\.summary), files: plans.flatMap(\.files), commands: plans.flatMap(\.commands),
            changes: plans.flatMap(\.changes), equivalents: plans.flatMap(\.equivalents),
            python: plans.map(\.python).filter { !$0.isEmpty }.joined(separator: "\n"))
    }
}
