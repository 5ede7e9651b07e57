import CloudProbe
import Foundation
import StepEngine

/// Writes BIND zone fragments for the floating IPs, when the operator asks for them.
struct ZoneFragmentsAction: StepCapability {
    typealias Inputs = FloatingIPNames

    let descriptor = Capability(
        id: "dns.zone-fragments", kind: .action, title: "Write BIND zone fragments for the floating IPs", availability: .available)

    /// Only zone files are written, and only when asked for.
    func mayChange(_ answers: InputReader) -> Bool { Inputs(answers).writeZoneFiles }

    /// The two fragments, when the operator asked for them.
    func plan(_ run: StepContext) async -> Result<ActionPlan, FindingError>? {
        let asked = Inputs(run.reader(for: self))
        // Without zone files nothing is planned, whatever the ranges (the check says what is wrong with them).
        guard asked.writeZoneFiles else { return .success(ActionPlan(summary: [], files: [])) }
        let inputs: Inputs
        do { inputs = try asked.checked() } catch { return .failure(error) }
        guard let fragments = InstanceDNS.zoneFragments(ranges: inputs.ranges, format: inputs.format, domain: inputs.domain) else {
            return .failure(
                refusal(
                    target: "dns.hostname_format", observed: "\(inputs.format) is not a valid hostname_format",
                    remedy: "Use at least one of %(one)s to %(four)s (and give dns.domain for %(domain)s)."))
        }
        let files = [
            (inputs.zoneDirectory + "/atmosphere-a.zone", fragments.forward), (inputs.zoneDirectory + "/atmosphere-ptr.zone", fragments.reverse),
        ]
        let existing = ExistingFile(owner: self)
        do {
            return .success(
                ActionPlan(
                    summary: ["Write the A and PTR records of \(inputs.count) floating IPs as BIND fragments."],
                    files: try files.map { (path, text) throws(FindingError) in PlannedFile(path: path, old: try existing.read(path), new: text) }))
        } catch { return .failure(error) }
    }
}
