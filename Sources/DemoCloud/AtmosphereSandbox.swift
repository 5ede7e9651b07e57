import Foundation

/// An Atmosphere installation in a folder, of either generation: the checkout, virtualenv and atmosphere-ansible layout,
/// the code markers detection reads, and scripts that run stand-ins reproducing the real scripts' prompts and failures.
public enum AtmosphereSandbox {
    /// Makes the tree under `root` (checkout at ROOT/atmosphere, ROOT/env/atmo, ROOT/atmosphere-ansible). `standIns` is
    /// the folder of the stand-in scripts (Tests/Peers/atmosphere in the repository); `python` runs them.
    public static func make(root: String, standIns: String, python: String, old: Bool, inventoryDirectory: Bool = false,
                            virtualenv: Bool = true, ansible: Bool = true) throws {
        let manager = FileManager.default
        func write(_ path: String, _ text: String) throws {
            try manager.createDirectory(atPath: ((root + path) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            guard manager.createFile(atPath: root + path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o644]) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: root + path])
            }
        }
        func runner(_ script: String, generation: Bool) -> String {
            (generation ? "os.environ[\"FAKE_ATMO_GENERATION\"] = \"\(old ? "old" : "head")\"\n" : "")
                + "os.environ.setdefault(\"FAKE_ATMO_TREE\", \(String(reflecting: root)))\n"
                + "runpy.run_path(\(String(reflecting: standIns + "/" + script)), run_name=\"__main__\")\n"
        }
        // The generation's own prompt text (what detection reads), then the stand-in that behaves as that generation.
        let marker = old ? "# print(\"Select a platform type for your new provider\")\n# require_input(\"Is this provider public? (yes/[no]): \")\n"
                         : "# print(\"Platform Type is no longer a required attribute\")\n# require_input(\"Would you like Atmosphere to make this provider public? (yes/[no]): \")\n"
        try write("/atmosphere/scripts/add_new_provider.py", marker + "import os, runpy\n" + runner("add_new_provider.py", generation: true))
        try write("/atmosphere/scripts/add_new_accounts.py", "import os, runpy\n" + runner("add_new_accounts.py", generation: false))
        try write("/atmosphere/manage.py", "import os, runpy, sys\n" + runner("manage.py", generation: true))
        if old { try write("/atmosphere/core/models/allocation_strategy.py", "class AllocationStrategy(models.Model): pass\n") }
        try write("/atmosphere/service/deploy.py", inventoryDirectory ? "'--inventory=%s/ansible/inventory' % settings.ANSIBLE_ROOT\n" : "hosts = settings.ANSIBLE_HOST_FILE\n")
        if virtualenv {
            try manager.createDirectory(atPath: root + "/env/atmo/bin", withIntermediateDirectories: true)
            // A real interpreter, so the tree's scripts run.
            try manager.createSymbolicLink(atPath: root + "/env/atmo/bin/python", withDestinationPath: python)
        }
        if ansible { try manager.createDirectory(atPath: root + "/atmosphere-ansible/ansible", withIntermediateDirectories: true) }
    }
}
