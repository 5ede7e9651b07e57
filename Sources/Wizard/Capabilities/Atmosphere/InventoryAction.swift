import AtmosphereKit
import StepEngine

/// Adds the provider's group and its group_vars to the atmosphere-ansible inventory, after a diff.
struct InventoryAction: StepCapability {
    let descriptor = Capability(
        id: "atmosphere.inventory", kind: .action, title: "Add the provider group and group_vars to atmosphere-ansible", availability: .available)

    var runsOnAtmosphereServer: Bool { true }

    func plan(_ run: StepContext) async -> Result<ActionPlan, FindingError>? { ActionRunner.inventoryPlan(run) }

    func remoteBlock(_ run: StepContext) async -> Result<RemoteInstructions?, FindingError> {
        RemoteProcedure.inventoryInstructions(run).map { $0 }
    }

    func readRemote(_ output: RemoteOutput, run: StepContext) -> [Finding] { RemoteProcedure.checkInventory(output, run: run) }
}
