import StepEngine

/// Writes BIND zone fragments for the floating IPs, when the operator asks for them.
struct ZoneFragmentsAction: StepCapability {
    let descriptor = Capability(
        id: "dns.zone-fragments", kind: .action, title: "Write BIND zone fragments for the floating IPs", availability: .available)

    func plan(_ run: StepContext) async -> Result<ActionPlan, FindingError>? { DNSActions.zonePlan(run) }
}
