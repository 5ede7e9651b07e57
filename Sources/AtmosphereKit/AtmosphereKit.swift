import StepEngine

/// The checks and actions on the Atmosphere server.
public enum AtmosphereKit {
    /// Every capability this module registers, by id.
    public static let capabilities: [Capability] = [
        Capability(id: "atmosphere.detect", kind: .check, title: "Find the Atmosphere checkout, virtualenv and generation", availability: .available),
        Capability(id: "atmosphere.provider-json", kind: .action, title: "Write the provider JSON (0600) after a lint", availability: .available),
        Capability(id: "atmosphere.add-provider", kind: .action, title: "Run add_new_provider.py --from-json and find the provider id", availability: .available),
        Capability(id: "atmosphere.add-accounts", kind: .action, title: "Run add_new_accounts.py for the named users", availability: .available),
        Capability(id: "atmosphere.staff-rights", kind: .action, title: "Grant staff and superuser rights through the Django shell", availability: .available),
        Capability(id: "atmosphere.allocation", kind: .action, title: "Set up the allocation strategy or check the allocation source", availability: .available),
        Capability(id: "atmosphere.initial-sync", kind: .action, title: "Import sizes, images and instances (monitor_resources_for)", availability: .available),
        Capability(id: "atmosphere.inventory", kind: .action, title: "Add the provider group and group_vars to atmosphere-ansible", availability: .available),
        Capability(id: "atmosphere.api-verify", kind: .check, title: "Verify the provider, identities, sizes and images through /api/v2", availability: .available),
        Capability(id: "report.write", kind: .action, title: "Write the Markdown report of the session", availability: .available),
    ]
}
