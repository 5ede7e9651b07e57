import AtmosphereKit
import StepEngine

/// Imports the provider's sizes, volumes, images and instances into Atmosphere (monitor_resources_for).
struct InitialSyncAction: DjangoShellStep {
    let descriptor = Capability(
        id: "atmosphere.initial-sync", kind: .action, title: "Import sizes, images and instances (monitor_resources_for)", availability: .available)

    /// The provider the provider step found, and whether its running instances come too.
    struct Inputs: DjangoShellInputs {
        var site: AtmosphereSite.Inputs
        var provider: ProviderRecord
        var includeInstances: Bool

        init(_ answers: InputReader) {
            site = AtmosphereSite.Inputs(answers)
            provider = ProviderRecord(answers)
            includeInstances = answers.flag("sync.include_instances")
        }
    }

    func intent(_ inputs: Inputs, site: AtmosphereSite) -> Result<(summary: [String], changes: Bool), FindingError> {
        do { return .success((["Import sizes, volumes, images and instances of provider \(try inputs.provider.required())."], true)) } catch {
            return .failure(error)
        }
    }

    func code(_ inputs: Inputs, site: AtmosphereSite, reveal: Bool) -> String? {
        inputs.provider.id.map { AtmosphereSnippets.initialSync(providerID: $0, includeInstances: inputs.includeInstances) }
    }

    func findings(_ value: [String: AnyCodableValue], inputs: Inputs, site: AtmosphereSite) -> [Finding] {
        func number(_ key: String) -> Int? { if case let .int(count)? = value[key] { return count } else { return nil } }
        let sizes = number("sizes") ?? 0, images = number("images") ?? 0
        let target = "provider \(inputs.provider.id.map(String.init) ?? "?")"
        let observed =
            "imported \(sizes) size(s), \(images) image(s)" + (number("volumes").map { ", \($0) volume(s)" } ?? "")
            + (number("instances").map { ", \($0) instance(s)" } ?? "")
        guard sizes > 0, images > 0 else {
            return [
                warning(
                    target: target, observed: observed,
                    remedy: "Check that the admin identity sees the flavors and public images (MACHINE_VALIDATION_PLUGIN may filter images).")
            ]
        }
        return [ok(target: target, observed: observed)]
    }
}
