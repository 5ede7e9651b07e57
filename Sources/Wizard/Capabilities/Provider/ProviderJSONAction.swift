import StepEngine

/// Writes the provider JSON (0600) after a lint: part of adding the provider, which plans and performs it (the file
/// exists only while add_new_provider.py reads it); the findings about the file are this capability's.
struct ProviderJSONAction: StepCapability {
    let descriptor = Capability(
        id: "atmosphere.provider-json", kind: .action, title: "Write the provider JSON (0600) after a lint", availability: .available)
}
