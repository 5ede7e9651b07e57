import StepEngine

/// Writes the OpenStack-Ansible user_variables.yml fragment for the catalog as Keystone lists it.
struct OSAUserVariablesAction: StepCapability {
    let descriptor = Capability(
        id: "osa.user-variables", kind: .action, title: "Write the OpenStack-Ansible user_variables.yml fragment", availability: .available)

    func plan(_ run: StepContext) async -> Result<ActionPlan, FindingError>? { await CloudActions.osaPlan(run) }
}
