import AtmosphereKit
import StepEngine

/// Sets up the allocation strategy of the provider (the guide's generation), or checks that an allocation-source
/// plugin is configured (newer Atmosphere, where there is nothing to create).
struct AllocationAction: DjangoShellStep {
    let descriptor = Capability(
        id: "atmosphere.allocation", kind: .action, title: "Set up the allocation strategy or check the allocation source", availability: .available)

    /// The strategy's counting, refresh and rules, for the provider the provider step found.
    struct Inputs: DjangoShellInputs {
        var site: AtmosphereSite.Inputs
        var provider: ProviderRecord
        var counting: String
        var refresh: [String]
        var rules: [String]

        init(_ answers: InputReader) {
            site = AtmosphereSite.Inputs(answers)
            provider = ProviderRecord(answers)
            counting = answers.text("allocation.counting")
            refresh = answers.list("allocation.refresh")
            rules = answers.list("allocation.rules")
        }
    }

    /// Only the guide's generation has a strategy to create; newer Atmosphere is only checked (unknown yet: it may).
    func mayChange(_ answers: InputReader) -> Bool { answers.flag("atmosphere.allocation_strategies", true) }

    func intent(_ inputs: Inputs, site: AtmosphereSite) -> Result<(summary: [String], changes: Bool), FindingError> {
        do {
            let provider = try inputs.provider.required()
            return .success(
                site.install.hasAllocationStrategy
                    ? (["Create the allocation strategy for provider \(provider) (and missing behaviours)."], true)
                    // Nothing to create, only a check, so no question.
                    : (["Check that an allocation-source plugin is configured."], false))
        } catch { return .failure(error) }
    }

    func code(_ inputs: Inputs, site: AtmosphereSite, reveal: Bool) -> String? {
        guard site.install.hasAllocationStrategy else { return AtmosphereSnippets.allocationSourcePlugin }
        guard let provider = inputs.provider.id else { return nil }
        return AtmosphereSnippets.allocationStrategy(providerID: provider, counting: inputs.counting, refresh: inputs.refresh, rules: inputs.rules)
    }

    func findings(_ value: [String: AnyCodableValue], inputs: Inputs, site: AtmosphereSite) -> [Finding] {
        guard site.install.hasAllocationStrategy else {
            let plugins = strings("plugins", in: value)
            guard !plugins.isEmpty else {
                return [
                    failure(
                        target: "ALLOCATION_SOURCE_PLUGINS", observed: "no allocation-source plugin configured",
                        remedy: "Set ALLOCATION_SOURCE_PLUGINS (FlexibleAllocationSourcePlugin by default): account creation fails silently without it.")
                ]
            }
            return [ok(target: "ALLOCATION_SOURCE_PLUGINS", observed: plugins.joined(separator: ", "))]
        }
        let created = strings("behaviours_created", in: value)
        return [
            ok(
                target: "provider \(inputs.provider.id.map(String.init) ?? "?")",
                observed: "allocation strategy \(value["strategy"] == .string("new") ? "created" : "already there")"
                    + (created.isEmpty ? "" : "; behaviours created: \(created.joined(separator: ", "))"))
        ]
    }
}
