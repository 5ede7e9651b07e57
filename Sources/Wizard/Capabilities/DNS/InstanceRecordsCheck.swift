import CloudProbe
import StepEngine

/// Forward and reverse DNS for every floating IP, from the operator's server or the system resolver.
struct InstanceRecordsCheck: StepCapability {
    typealias Inputs = FloatingIPNames

    let descriptor = Capability(
        id: "dns.instance-records", kind: .check, title: "Forward and reverse DNS for the floating IPs", availability: .available)

    /// Every address's records, asked of the operator's server or the system resolver.
    func observe(_ run: StepContext) async -> [Finding] {
        let inputs: Inputs
        do { inputs = try Inputs(run.reader(for: self)).checked() } catch { return [error.finding] }
        let target = inputs.server ?? "system resolver"
        // Blocking socket work: off the cooperative pool.
        return await Task.detached {
            do {
                return try InstanceDNS.check(
                    ranges: inputs.ranges, format: inputs.format, domain: inputs.domain, client: try DNSClient(server: inputs.server))
            } catch {
                return [failure(error, target: target, remedy: "Check dns.server.")]
            }
        }.value
    }
}
