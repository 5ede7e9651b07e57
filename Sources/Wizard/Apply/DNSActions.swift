import CloudProbe
import Foundation
import StepEngine

/// The DNS step: A and PTR records for every floating IP, and the BIND fragments on request.
enum DNSActions {
    struct Inputs {
        var ranges: [IPRange]
        var format: String
        var domain: String?
        var server: String?
    }

    static func inputs(_ run: StepContext) -> Result<Inputs, FindingError> {
        let reader = run.answers
        let ranges = reader.list("dns.floating_ranges").compactMap(IPRange.init)
        guard !ranges.isEmpty else {
            return .failure(
                FindingError(
                    Finding(
                        checkID: "dns.instance-records", target: "dns.floating_ranges", severity: .failure,
                        observed: "no floating IP ranges",
                        remedy: "Run the prerequisites step (it reads the external network's pools) or type the ranges.")))
        }
        let total = ranges.reduce(0) { $0 + $1.count }
        guard total <= 65_536 else {
            return .failure(
                FindingError(
                    Finding(
                        checkID: "dns.instance-records", target: "dns.floating_ranges", severity: .failure,
                        observed: "\(total) addresses: more than a /16", remedy: "Give the floating ranges themselves, not a whole network.")))
        }
        return .success(
            Inputs(
                ranges: ranges, format: reader.text("dns.hostname_format"),
                domain: reader.optionalText("dns.domain"), server: reader.optionalText("dns.server")))
    }

    /// Every address's records, asked of the operator's server or the system resolver.
    static func check(_ run: StepContext) async -> [Finding] {
        let inputs: Inputs
        switch self.inputs(run) {
        case let .success(found): inputs = found
        case let .failure(error): return [error.finding]
        }
        // Blocking socket work: off the cooperative pool.
        return await Task.detached {
            do {
                return try InstanceDNS.check(
                    ranges: inputs.ranges, format: inputs.format, domain: inputs.domain,
                    client: try DNSClient(server: inputs.server))
            } catch let problem as DNSProblem {
                return [
                    Finding(
                        checkID: "dns.instance-records", target: inputs.server ?? "system resolver", severity: .failure,
                        observed: problem.message, remedy: problem.remedy)
                ]
            } catch {
                return [
                    Finding(
                        checkID: "dns.instance-records", target: inputs.server ?? "system resolver", severity: .failure,
                        observed: String(describing: error), remedy: "Check dns.server.")
                ]
            }
        }.value
    }

    /// The two fragments, when the operator asked for them.
    static func zonePlan(_ run: StepContext) -> Result<ActionPlan, FindingError> {
        let reader = run.answers
        guard reader.flag("dns.write_zone_files") else { return .success(ActionPlan(summary: [], files: [])) }
        return inputs(run).flatMap { inputs in
            guard let fragments = InstanceDNS.zoneFragments(ranges: inputs.ranges, format: inputs.format, domain: inputs.domain) else {
                return .failure(
                    FindingError(
                        Finding(
                            checkID: "dns.zone-fragments", target: "dns.hostname_format", severity: .failure,
                            observed: "\(inputs.format) is not a valid hostname_format",
                            remedy: "Use at least one of %(one)s to %(four)s (and give dns.domain for %(domain)s).")))
            }
            let directory = (reader.text("dns.zone_dir") as NSString).expandingTildeInPath
            let files = [(directory + "/atmosphere-a.zone", fragments.forward), (directory + "/atmosphere-ptr.zone", fragments.reverse)]
            return .success(
                ActionPlan(
                    summary: ["Write the A and PTR records of \(inputs.ranges.reduce(0) { $0 + $1.count }) floating IPs as BIND fragments."],
                    files: files.map { PlannedFile(path: $0.0, old: try? String(contentsOfFile: $0.0, encoding: .utf8), new: $0.1) }))
        }
    }
}
