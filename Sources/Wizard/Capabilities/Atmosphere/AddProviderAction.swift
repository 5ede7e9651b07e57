import AtmosphereKit
import StepEngine

/// Runs add_new_provider.py --from-json and finds the provider's id: here, or on Atmosphere's own server through a
/// block that copies the JSON over, checks that the server reaches Keystone, runs the script and lists the providers.
struct AddProviderAction: StepCapability {
    let descriptor = Capability(
        id: "atmosphere.add-provider", kind: .action, title: "Run add_new_provider.py --from-json and find the provider id", availability: .available)

    var runsOnAtmosphereServer: Bool { true }

    func plan(_ run: StepContext) async -> Result<ActionPlan, FindingError>? { AtmosphereActions.providerPlan(run) }

    func perform(_ run: StepContext, plan: ActionPlan) async -> [Finding] { await AtmosphereActions.addProvider(plan: plan, run: run) }

    func remoteBlock(_ run: StepContext) async -> Result<RemoteInstructions?, FindingError> {
        RemoteProcedure.providerInstructions(run).map { $0 }
    }

    func readRemote(_ output: RemoteOutput, run: StepContext) -> [Finding] { RemoteProcedure.checkProvider(output, run: run) }
}
