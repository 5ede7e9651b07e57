import AtmosphereKit
import StepEngine

/// Imports the provider's sizes, volumes, images and instances into Atmosphere (monitor_resources_for).
struct InitialSyncAction: DjangoShellStep {
    let descriptor = Capability(
        id: "atmosphere.initial-sync", kind: .action, title: "Import sizes, images and instances (monitor_resources_for)", availability: .available)

    func intent(_ context: AtmosphereActions.Context) -> Result<(summary: [String], changes: Bool), FindingError> {
        providerID(context).map { (["Import sizes, volumes, images and instances of provider \($0)."], true) }
    }

    func code(_ context: AtmosphereActions.Context, run: StepContext, reveal: Bool) -> String? {
        guard case let .success(provider) = providerID(context) else { return nil }
        return AtmosphereSnippets.initialSync(providerID: provider, includeInstances: context.flag("sync.include_instances"))
    }

    func findings(_ value: [String: AnyCodableValue], context: AtmosphereActions.Context) -> [Finding] {
        func number(_ key: String) -> Int? { if case let .int(count)? = value[key] { return count } else { return nil } }
        let sizes = number("sizes") ?? 0, images = number("images") ?? 0
        return [
            Finding(
                checkID: id, target: "provider \(context.answers["provider.id"].map { $0.displayText } ?? "?")",
                severity: sizes == 0 || images == 0 ? .warning : .ok,
                observed: "imported \(sizes) size(s), \(images) image(s)" + (number("volumes").map { ", \($0) volume(s)" } ?? "")
                    + (number("instances").map { ", \($0) instance(s)" } ?? ""),
                remedy: sizes == 0 || images == 0
                    ? "Check that the admin identity sees the flavors and public images (MACHINE_VALIDATION_PLUGIN may filter images)." : "")
        ]
    }
}
