import AtmosphereKit
import Foundation
import StepEngine

/// What actions that write files share: the writing, and the inventory's plan (here, or against a remote probe).
enum ActionRunner {
    /// Writes each planned file (keeping a backup) and records it as an artifact; one finding per file.
    static func writeFiles(_ plan: ActionPlan, engine: Engine, checkID: String) -> [Finding] {
        plan.files.map { file in
            do {
                let result = try InventoryLayout.write(file.new, to: file.path)
                guard result.changed else {
                    return Finding(checkID: checkID, target: file.path, severity: .ok, observed: "already as it should be")
                }
                try engine.store.recordArtifact(session: engine.session.id ?? 0, path: file.path)
                return Finding(
                    checkID: checkID, target: file.path, severity: .ok,
                    observed: "written" + (result.backup.map { "; the previous version is in \($0)" } ?? " (new file)"))
            } catch {
                return Finding(
                    checkID: checkID, target: file.path, severity: .failure, observed: "cannot be written: \(error.localizedDescription)",
                    remedy:
                        "Check that you may write to \((file.path as NSString).deletingLastPathComponent) (run as its owner), or choose another path."
                )
            }
        }
    }

    /// The inventory's plan; `read` gives a file's current content (from disk here, or from the probe of a remote server).
    static func inventoryPlan(
        _ run: StepContext, read: (String) -> String? = { try? String(contentsOfFile: $0, encoding: .utf8) }
    )
        -> Result<ActionPlan, FindingError>
    {
        let context: AtmosphereActions.Context
        switch AtmosphereActions.context(run, checkID: "atmosphere.inventory") {
        case let .success(found): context = found
        case let .failure(error): return .failure(error)
        }
        let group = context.text("inventory.group")
        guard !group.isEmpty else {
            return .failure(
                FindingError(
                    Finding(
                        checkID: "atmosphere.inventory", target: "inventory.group", severity: .failure,
                        observed: "no inventory group", remedy: "Answer inventory.group (atmosphere-<provider>).")))
        }
        let ranges = context.list("inventory.hosts").compactMap(IPRange.init)
        guard !ranges.isEmpty else {
            return .failure(
                FindingError(
                    Finding(
                        checkID: "atmosphere.inventory", target: "inventory.hosts", severity: .failure,
                        observed: "no floating IP ranges to list",
                        remedy: "Answer inventory.hosts (or dns.floating_ranges) with the external network's ranges.")))
        }
        let format = context.reader.optionalText("provider.hostname_format")
        guard let patterns = InventoryEditor.hostPatterns(for: ranges, hostnameFormat: format, domain: context.reader.optionalText("dns.domain"))
        else {
            return .failure(
                FindingError(
                    Finding(
                        checkID: "atmosphere.inventory", target: "provider.hostname_format", severity: .failure,
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
            vars = try InventoryEditor.groupVars(
                group: group, timezone: context.text("inventory.timezone"),
                guacamoleHost: context.reader.optionalText("inventory.guacamole_host"))
        } catch let error as InventoryValueError {
            return .failure(
                FindingError(
                    Finding(
                        checkID: "atmosphere.inventory", target: error.key, severity: .failure, observed: error.message,
                        expected: error.expected, remedy: "Give \(error.key) as \(error.expected); nothing was written.")))
        } catch {
            return .failure(
                FindingError(
                    Finding(
                        checkID: "atmosphere.inventory", target: varsPath, severity: .failure, observed: "\(error)",
                        remedy: "Report this: the group_vars could not be emitted.")))
        }
        let files = [
            PlannedFile(path: layout.hostsPath, old: oldHosts, new: InventoryEditor.apply(to: oldHosts ?? "", group: group, entries: entries)),
            PlannedFile(path: varsPath, old: read(varsPath), new: vars),
        ]
        return .success(
            ActionPlan(
                summary: [
                    "Add \(group) with \(entries.count) host pattern(s) to the atmosphere-ansible inventory, under [atmosphere:children], and its group_vars."
                ],
                files: files))
    }
}

/// A finding carried as an error.
struct FindingError: Error, Sendable {
    let finding: Finding
    init(_ finding: Finding) { self.finding = finding }
}
