import StepEngine

/// Creates the atmoadmin project, user and admin grant that are missing, after a preview of what exists.
struct AtmoadminAction: StepCapability {
    let descriptor = Capability(
        id: "keystone.atmoadmin", kind: .action, title: "Create the atmoadmin project, user and admin grant", availability: .available)

    func plan(_ run: StepContext) async -> Result<ActionPlan, FindingError>? { await CloudActions.atmoadminPlan(run) }

    func perform(_ run: StepContext, plan: ActionPlan) async -> [Finding] { await CloudActions.ensureAtmoadmin(run) }
}
