import AtmosphereKit
import CloudProbe
import Foundation
import StepEngine

/// Adds the provider's group and its group_vars to the atmosphere-ansible inventory, after a diff: here on disk, or on
/// the Atmosphere server through a block that writes both files (with backups) if the hosts file is as the probe read it.
struct InventoryAction: AtmosphereServerCapability {
    let descriptor = Capability(
        id: "atmosphere.inventory", kind: .action, title: "Add the provider group and group_vars to atmosphere-ansible", availability: .available)

    /// The group, its hosts and variables, and where atmosphere-ansible is.
    struct Inputs: CapabilityInputs {
        var site: AtmosphereSite.Inputs
        var group: String
        var hosts: [String]
        var hostnameFormat: String?
        var domain: String?
        var timezone: String
        var guacamoleHost: String?

        init(_ answers: InputReader) {
            site = AtmosphereSite.Inputs(answers)
            group = answers.text("inventory.group")
            hosts = answers.list("inventory.hosts")
            hostnameFormat = answers.optionalText("provider.hostname_format")
            domain = answers.optionalText("dns.domain")
            timezone = answers.text("inventory.timezone")
            guacamoleHost = answers.optionalText("inventory.guacamole_host")
        }
    }

    func plan(_ run: StepContext) async -> Result<ActionPlan, FindingError>? {
        let existing = ExistingFile(owner: self)
        return plan(run, read: { path throws(FindingError) in try existing.read(path) })
    }

    /// The inventory's plan; `read` gives a file's current content (from disk here, or from the probe of a remote server).
    func plan(_ run: StepContext, read: (String) throws(FindingError) -> String?) -> Result<ActionPlan, FindingError> {
        let inputs = Inputs(run.reader(for: self))
        let site: AtmosphereSite
        switch AtmosphereSite.find(inputs.site, run: run, owner: self) {
        case let .success(found): site = found
        case let .failure(error): return .failure(error)
        }
        guard !inputs.group.isEmpty else {
            return .failure(refusal(target: "inventory.group", observed: "no inventory group", remedy: "Answer inventory.group (atmosphere-<provider>)."))
        }
        let ranges = inputs.hosts.compactMap(IPRange.init)
        guard !ranges.isEmpty else {
            return .failure(
                refusal(
                    target: "inventory.hosts", observed: "no floating IP ranges to list",
                    remedy: "Answer inventory.hosts (or dns.floating_ranges) with the external network's ranges."))
        }
        // The DNS step's bound: more is a whole network, whose patterns would never finish.
        let count = ranges.reduce(0) { $0 + $1.count }
        guard count <= FloatingIPNames.maximumAddresses else {
            return .failure(
                refusal(
                    target: "inventory.hosts", observed: "\(count) addresses: more than a /16",
                    remedy: "Give the floating ranges themselves, not a whole network."))
        }
        guard let patterns = InventoryEditor.hostPatterns(for: ranges, hostnameFormat: inputs.hostnameFormat, domain: inputs.domain) else {
            return .failure(
                refusal(
                    target: "provider.hostname_format", observed: "the host name format \(inputs.hostnameFormat ?? "") cannot name the inventory's hosts",
                    expected: "%(four)s in it, and %(domain)s only with dns.domain (Atmosphere's INSTANCE_HOSTNAMING_DOMAIN)",
                    remedy: "Give dns.domain, or a format without %(domain)s; without a usable format Atmosphere names instances by their IP."))
        }
        let entries = patterns.map { "\($0) ansible_port=22" }
        let layout = layout(site)
        let varsPath = layout.groupVarsDirectory + "/" + inputs.group
        let oldHosts: String?, oldVars: String?
        do {
            oldHosts = try read(layout.hostsPath)
            oldVars = try read(varsPath)
        } catch { return .failure(error) }
        let vars: String
        do {
            vars = try InventoryEditor.groupVars(group: inputs.group, timezone: inputs.timezone, guacamoleHost: inputs.guacamoleHost)
        } catch let error as InventoryValueError {
            var finding = Finding(error, checkID: id, target: error.key)
            finding.expected = error.expected
            return .failure(FindingError(finding))
        } catch {
            return .failure(refusal(target: varsPath, observed: "\(error)", remedy: "Report this: the group_vars could not be emitted."))
        }
        return .success(
            ActionPlan(
                summary: [
                    "Add \(inputs.group) with \(entries.count) host pattern(s) to the atmosphere-ansible inventory, under [atmosphere:children], and its group_vars."
                ],
                files: [
                    PlannedFile(path: layout.hostsPath, old: oldHosts, new: InventoryEditor.apply(to: oldHosts ?? "", group: inputs.group, entries: entries)),
                    PlannedFile(path: varsPath, old: oldVars, new: vars),
                ]))
    }

    /// Where the inventory's files are.
    func layout(_ site: AtmosphereSite) -> InventoryLayout {
        InventoryLayout(ansibleCheckout: site.install.ansibleCheckout, usesInventoryDirectory: site.install.usesInventoryDirectory)
    }
}
