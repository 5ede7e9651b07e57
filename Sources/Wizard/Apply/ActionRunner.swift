import AtmosphereKit
import Foundation
import StepEngine
import TerminalUI

/// A file an action will write: what is there now and what will be.
public struct PlannedFile: Sendable, Equatable {
    public var path: String
    public var old: String?
    public var new: String

    /// Whether writing it changes anything.
    public var changes: Bool { old != new }
}

/// What a step's actions will do, shown before anything is done.
public struct ActionPlan: Sendable, Equatable {
    public var summary: [String]
    public var files: [PlannedFile]

    /// The plan as diff lines for a preview or the terminal: each changed file, then its lines marked + or -.
    public var previewLines: [String] {
        var lines = summary + [""]
        for file in files {
            guard file.changes else {
                lines.append("\(file.path): already as it should be")
                continue
            }
            lines.append(file.old == nil ? "\(file.path) (new file)" : "\(file.path) (a backup is kept)")
            let old = file.old.map { $0.components(separatedBy: "\n") } ?? []
            lines += LineDiff.between(old, file.new.components(separatedBy: "\n")).map(\.rendered)
            lines.append("")
        }
        return lines
    }
}

/// Plans and performs the actions a screen names, for those that exist.
enum ActionRunner {
    /// The plan, or a failure finding saying why there can be none.
    static func plan(_ screen: Screen, engine: Engine) -> Result<ActionPlan, FindingError> {
        if screen.actions.contains("atmosphere.inventory") { return inventoryPlan(engine) }
        return .success(ActionPlan(summary: [], files: []))
    }

    /// Carries out a plan; one finding per file.
    static func perform(_ screen: Screen, plan: ActionPlan, engine: Engine) -> [Finding] {
        plan.files.map { file in
            do {
                let result = try InventoryLayout.write(file.new, to: file.path)
                guard result.changed else {
                    return Finding(checkID: "atmosphere.inventory", target: file.path, severity: .ok, observed: "already as it should be")
                }
                try engine.store.recordArtifact(session: engine.session.id ?? 0, path: file.path)
                return Finding(checkID: "atmosphere.inventory", target: file.path, severity: .ok,
                               observed: "written" + (result.backup.map { "; the previous version is in \($0)" } ?? " (new file)"))
            } catch {
                return Finding(checkID: "atmosphere.inventory", target: file.path, severity: .failure, observed: "cannot be written: \(error.localizedDescription)",
                               remedy: "Check that you may write to the atmosphere-ansible checkout (run as its owner).")
            }
        }
    }

    private static func inventoryPlan(_ engine: Engine) -> Result<ActionPlan, FindingError> {
        let answers = (try? engine.answerValues()) ?? [:]
        func text(_ key: String, _ fallback: String? = nil) -> String? {
            if case let .text(value)? = answers[key], !value.isEmpty { return value }
            return fallback
        }
        let detected = AtmosphereInstall.detect(checkout: text("atmosphere.checkout", "/opt/dev/atmosphere") ?? "",
                                                virtualenv: text("atmosphere.venv", "/opt/env/atmo") ?? "",
                                                ansibleCheckout: text("atmosphere.ansible_checkout", "/opt/dev/atmosphere-ansible") ?? "")
        guard let install = detected.install else {
            return .failure(FindingError(detected.findings.first ?? Finding(checkID: "atmosphere.inventory", target: "atmosphere", severity: .failure, observed: "not found")))
        }
        guard let group = text("inventory.group") else {
            return .failure(FindingError(Finding(checkID: "atmosphere.inventory", target: "inventory.group", severity: .failure,
                                                 observed: "no inventory group", remedy: "Answer inventory.group (atmosphere-<provider>).")))
        }
        var ranges: [IPRange] = []
        if case let .list(items)? = answers["inventory.hosts"] { ranges = items.compactMap(IPRange.init) }
        guard !ranges.isEmpty else {
            return .failure(FindingError(Finding(checkID: "atmosphere.inventory", target: "inventory.hosts", severity: .failure,
                                                 observed: "no floating IP ranges to list", remedy: "Answer inventory.hosts (or dns.floating_ranges) with the external network's ranges.")))
        }
        let entries = InventoryEditor.hostPatterns(for: ranges, hostnameFormat: text("provider.hostname_format")).map { "\($0) ansible_port=22" }
        let layout = InventoryLayout(ansibleCheckout: install.ansibleCheckout, usesInventoryDirectory: install.usesInventoryDirectory)
        let oldHosts = try? String(contentsOfFile: layout.hostsPath, encoding: .utf8)
        let varsPath = layout.groupVarsDirectory + "/" + group
        let files = [
            PlannedFile(path: layout.hostsPath, old: oldHosts, new: InventoryEditor.apply(to: oldHosts ?? "", group: group, entries: entries)),
            PlannedFile(path: varsPath, old: try? String(contentsOfFile: varsPath, encoding: .utf8),
                        new: InventoryEditor.groupVars(group: group, timezone: text("inventory.timezone", "Etc/UTC") ?? "Etc/UTC",
                                                       guacamoleHost: text("inventory.guacamole_host"))),
        ]
        return .success(ActionPlan(summary: ["Add \(group) with \(entries.count) host pattern(s) to the atmosphere-ansible inventory, under [atmosphere:children], and its group_vars."],
                                   files: files))
    }
}

/// A finding carried as an error.
struct FindingError: Error, Sendable {
    let finding: Finding
    init(_ finding: Finding) { self.finding = finding }
}
