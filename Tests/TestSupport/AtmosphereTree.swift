import Foundation

/// Atmosphere trees made by the tests: the checkout, virtualenv and atmosphere-ansible layout of either generation,
/// with the code markers atmo-connect reads to tell them apart.
public enum AtmosphereTree {
    /// Makes a tree under a new temporary directory and returns its root (checkout at ROOT/atmosphere, ROOT/env/atmo,
    /// ROOT/atmosphere-ansible).
    public static func make(old: Bool, inventoryDirectory: Bool = false, virtualenv: Bool = true, ansible: Bool = true) throws -> String {
        let root = TestPaths.scratch("atmo-tree")
        let manager = FileManager.default
        func write(_ path: String, _ text: String, executable: Bool = false) throws {
            try manager.createDirectory(atPath: ((root + path) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            manager.createFile(atPath: root + path, contents: Data(text.utf8), attributes: [.posixPermissions: executable ? 0o755 : 0o644])
        }
        // The generation's own prompt text (what detection reads), then the stand-in that behaves as that generation.
        let marker = old ? "# print(\"Select a platform type for your new provider\")\n# require_input(\"Is this provider public? (yes/[no]): \")\n"
                         : "# print(\"Platform Type is no longer a required attribute\")\n# require_input(\"Would you like Atmosphere to make this provider public? (yes/[no]): \")\n"
        let providerScript = marker + """
            import os, runpy
            os.environ["FAKE_ATMO_GENERATION"] = "\(old ? "old" : "head")"
            os.environ.setdefault("FAKE_ATMO_TREE", \(String(reflecting: root)))
            runpy.run_path(\(String(reflecting: Peers.directory + "/atmosphere/add_new_provider.py")), run_name="__main__")

            """
        try write("/atmosphere/scripts/add_new_provider.py", providerScript)
        try write("/atmosphere/scripts/add_new_accounts.py", """
            import os, runpy
            os.environ.setdefault("FAKE_ATMO_TREE", \(String(reflecting: root)))
            runpy.run_path(\(String(reflecting: Peers.directory + "/atmosphere/add_new_accounts.py")), run_name="__main__")

            """)
        try write("/atmosphere/manage.py", """
            import os, runpy, sys
            os.environ["FAKE_ATMO_GENERATION"] = "\(old ? "old" : "head")"
            os.environ.setdefault("FAKE_ATMO_TREE", \(String(reflecting: root)))
            runpy.run_path(\(String(reflecting: Peers.directory + "/atmosphere/manage.py")), run_name="__main__")

            """)
        if old { try write("/atmosphere/core/models/allocation_strategy.py", "class AllocationStrategy(models.Model): pass\n") }
        try write("/atmosphere/service/deploy.py", inventoryDirectory ? "'--inventory=%s/ansible/inventory' % settings.ANSIBLE_ROOT\n" : "hosts = settings.ANSIBLE_HOST_FILE\n")
        if virtualenv {
            try manager.createDirectory(atPath: root + "/env/atmo/bin", withIntermediateDirectories: true)
            // A real interpreter, so the tree's scripts run.
            try manager.createSymbolicLink(atPath: root + "/env/atmo/bin/python", withDestinationPath: Peers.python ?? "/usr/bin/python3")
        }
        if ansible { try manager.createDirectory(atPath: root + "/atmosphere-ansible/ansible", withIntermediateDirectories: true) }
        return root
    }
}
