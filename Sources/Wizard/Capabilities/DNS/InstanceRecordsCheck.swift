import StepEngine

/// Forward and reverse DNS for every floating IP, from the operator's server or the system resolver.
struct InstanceRecordsCheck: StepCapability {
    let descriptor = Capability(
        id: "dns.instance-records", kind: .check, title: "Forward and reverse DNS for the floating IPs", availability: .available)

    func observe(_ run: StepContext) async -> [Finding] { await DNSActions.check(run) }
}
