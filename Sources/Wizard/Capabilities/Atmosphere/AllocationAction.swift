import AtmosphereKit
import StepEngine

/// Sets up the allocation strategy of the provider (the guide's generation), or checks that an allocation-source
/// plugin is configured (newer Atmosphere, where there is nothing to create).
struct AllocationAction: DjangoShellStep {
    let descriptor = Capability(
        id: "atmosphere.allocation", kind: .action, title: "Set up the allocation strategy or check the allocation source", availability: .available)

    func intent(_ context: AtmosphereActions.Context) -> Result<(summary: [String], changes: Bool), FindingError> {
        providerID(context).map { provider in
            context.install.hasAllocationStrategy
                ? (["Create the allocation strategy for provider \(provider) (and missing behaviours)."], true)
                // Nothing to create, only a check, so no question.
                : (["Check that an allocation-source plugin is configured."], false)
        }
    }

    func code(_ context: AtmosphereActions.Context, run: StepContext, reveal: Bool) -> String? {
        guard context.install.hasAllocationStrategy else { return AtmosphereSnippets.allocationSourcePlugin }
        guard case let .success(provider) = providerID(context) else { return nil }
        return AtmosphereSnippets.allocationStrategy(
            providerID: provider, counting: context.text("allocation.counting"),
            refresh: context.list("allocation.refresh"), rules: context.list("allocation.rules"))
    }

    func findings(_ value: [String: AnyCodableValue], context: AtmosphereActions.Context) -> [Finding] {
        guard context.install.hasAllocationStrategy else {
            let plugins = strings("plugins", in: value)
            return [
                Finding(
                    checkID: id, target: "ALLOCATION_SOURCE_PLUGINS", severity: plugins.isEmpty ? .failure : .ok,
                    observed: plugins.isEmpty ? "no allocation-source plugin configured" : plugins.joined(separator: ", "),
                    remedy: plugins.isEmpty
                        ? "Set ALLOCATION_SOURCE_PLUGINS (FlexibleAllocationSourcePlugin by default): account creation fails silently without it."
                        : "")
            ]
        }
        let created = strings("behaviours_created", in: value)
        return [
            Finding(
                checkID: id, target: "provider \(context.answers["provider.id"].map { $0.displayText } ?? "?")", severity: .ok,
                observed: "allocation strategy \(value["strategy"] == .string("new") ? "created" : "already there")"
                    + (created.isEmpty ? "" : "; behaviours created: \(created.joined(separator: ", "))"))
        ]
    }
}
