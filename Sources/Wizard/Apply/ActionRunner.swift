import AtmosphereKit
import Foundation
import StepEngine
import TerminalUI

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

/// Plans and performs the actions a screen names, for those that exist.
enum ActionRunner {
    /// The plan, or a failure finding saying why there can be none.
    static func plan(_ screen: Screen, engine: Engine) async -> Result<ActionPlan, FindingError> {
        if screen.actions.contains("keystone.atmoadmin") { return await CloudActions.atmoadminPlan(engine) }
        if screen.actions.contains("osa.user-variables") { return await CloudActions.osaPlan(engine) }
        if screen.actions.contains("cloud.smoke-test") { return SmokeActions.plan(engine) }
        if screen.actions.contains("dns.zone-fragments") { return DNSActions.zonePlan(engine) }
        if screen.actions.contains("atmosphere.inventory") { return inventoryPlan(engine) }
        if screen.actions.contains("atmosphere.add-provider") { return AtmosphereActions.providerPlan(engine) }
        if screen.actions.contains("atmosphere.add-accounts") { return AtmosphereActions.accountsPlan(engine) }
        if let plan = AtmosphereShellActions.plan(screen, engine: engine) { return plan }
        if screen.actions.contains("report.write") {
            // The wizard's own report changes nothing in the cloud or in Atmosphere: no question.
            return .success(ActionPlan(summary: ["Write the session's report."], files: []))
        }
        return .success(ActionPlan(summary: [], files: []))
    }

    /// Carries out a plan.
    static func perform(_ screen: Screen, plan: ActionPlan, engine: Engine, catalog: WizardCatalog) async -> [Finding] {
        if screen.actions.contains("keystone.atmoadmin") { return await CloudActions.ensureAtmoadmin(engine) }
        if screen.actions.contains("cloud.smoke-test") { return await SmokeActions.run(engine) }
        if screen.actions.contains("atmosphere.add-provider") { return await AtmosphereActions.addProvider(plan: plan, engine: engine) }
        if screen.actions.contains("atmosphere.add-accounts") { return AtmosphereActions.addAccounts(engine: engine) }
        if let findings = AtmosphereShellActions.perform(screen, engine: engine) { return findings }
        if screen.actions.contains("report.write") { return writeReport(engine: engine, catalog: catalog) }
        return writeFiles(plan, engine: engine, checkID: screen.actions.first ?? "atmosphere.inventory")
    }

    /// Writes the Markdown report (0600) where final.report_path says, and records it.
    static func writeReport(engine: Engine, catalog: WizardCatalog) -> [Finding] {
        let reader: AnswerReader
        do { reader = try StepContext.answers(engine) } catch { return [error.finding] }
        let path = (reader.text("final.report_path") as NSString).expandingTildeInPath
        do {
            try AnswersFile.writePrivately(try SessionReport.markdown(engine: engine, catalog: catalog), to: path)
            try engine.store.recordArtifact(session: engine.session.id ?? 0, path: path)
            return [Finding(checkID: "report.write", target: path, severity: .ok, observed: "report written (mode 0600)")]
        } catch {
            return [Finding(checkID: "report.write", target: path, severity: .failure, observed: "cannot be written: \(error.localizedDescription)",
                            remedy: "Set final.report_path to a place you may write.")]
        }
    }

    /// Writes each planned file (keeping a backup) and records it as an artifact; one finding per file.
    static func writeFiles(_ plan: ActionPlan, engine: Engine, checkID: String) -> [Finding] {
        plan.files.map { file in
            do {
                let result = try InventoryLayout.write(file.new, to: file.path)
                guard result.changed else {
                    return Finding(checkID: checkID, target: file.path, severity: .ok, observed: "already as it should be")
                }
                try engine.store.recordArtifact(session: engine.session.id ?? 0, path: file.path)
                return Finding(checkID: checkID, target: file.path, severity: .ok,
                               observed: "written" + (result.backup.map { "; the previous version is in \($0)" } ?? " (new file)"))
            } catch {
                return Finding(checkID: checkID, target: file.path, severity: .failure, observed: "cannot be written: \(error.localizedDescription)",
                               remedy: "Check that you may write to \((file.path as NSString).deletingLastPathComponent) (run as its owner), or choose another path.")
            }
        }
    }

    /// The inventory's plan; `read` gives a file's current content (from disk here, or from the probe of a remote server).
    static func inventoryPlan(_ engine: Engine, read: (String) -> String? = { try? String(contentsOfFile: $0, encoding: .utf8) })
        -> Result<ActionPlan, FindingError> {
        let context: AtmosphereActions.Context
        switch AtmosphereActions.context(engine, checkID: "atmosphere.inventory") {
        case let .success(found): context = found
        case let .failure(error): return .failure(error)
        }
        let group = context.text("inventory.group")
        guard !group.isEmpty else {
            return .failure(FindingError(Finding(checkID: "atmosphere.inventory", target: "inventory.group", severity: .failure,
                                                 observed: "no inventory group", remedy: "Answer inventory.group (atmosphere-<provider>).")))
        }
        let ranges = context.list("inventory.hosts").compactMap(IPRange.init)
        guard !ranges.isEmpty else {
            return .failure(FindingError(Finding(checkID: "atmosphere.inventory", target: "inventory.hosts", severity: .failure,
                                                 observed: "no floating IP ranges to list", remedy: "Answer inventory.hosts (or dns.floating_ranges) with the external network's ranges.")))
        }
        let format = context.reader.optionalText("provider.hostname_format")
        guard let patterns = InventoryEditor.hostPatterns(for: ranges, hostnameFormat: format, domain: context.reader.optionalText("dns.domain")) else {
            return .failure(FindingError(Finding(checkID: "atmosphere.inventory", target: "provider.hostname_format", severity: .failure,
                                                 observed: "the host name format \(format ?? "") cannot name the inventory's hosts",
                                                 expected: "%(four)s in it, and %(domain)s only with dns.domain (Atmosphere's INSTANCE_HOSTNAMING_DOMAIN)",
                                                 remedy: "Give dns.domain, or a format without %(domain)s; without a usable format Atmosphere names instances by their IP.")))
        }
        let entries = patterns.map { "\($0) ansible_port=22" }
        let layout = InventoryLayout(ansibleCheckout: context.install.ansibleCheckout, usesInventoryDirectory: context.install.usesInventoryDirectory)
        let oldHosts = read(layout.hostsPath)
        let varsPath = layout.groupVarsDirectory + "/" + group
        let vars: String
        do {
            vars = try InventoryEditor.groupVars(group: group, timezone: context.text("inventory.timezone"),
                                                 guacamoleHost: context.reader.optionalText("inventory.guacamole_host"))
        } catch let error as InventoryValueError {
            return .failure(FindingError(Finding(checkID: "atmosphere.inventory", target: error.key, severity: .failure, observed: error.message,
                                                 expected: error.expected, remedy: "Give \(error.key) as \(error.expected); nothing was written.")))
        } catch {
            return .failure(FindingError(Finding(checkID: "atmosphere.inventory", target: varsPath, severity: .failure, observed: "\(error)",
                                                 remedy: "Report this: the group_vars could not be emitted.")))
        }
        let files = [
            PlannedFile(path: layout.hostsPath, old: oldHosts, new: InventoryEditor.apply(to: oldHosts ?? "", group: group, entries: entries)),
            PlannedFile(path: varsPath, old: read(varsPath), new: vars),
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
