import DemoCloud
import Foundation

/// Atmosphere trees made by the tests: the checkout, virtualenv and atmosphere-ansible layout of either generation,
/// with the code markers atmo-connect reads to tell them apart.
public enum AtmosphereTree {
    /// Makes a tree under a new temporary directory and returns its root (checkout at ROOT/atmosphere, ROOT/env/atmo,
    /// ROOT/atmosphere-ansible).
    public static func make(old: Bool, inventoryDirectory: Bool = false, virtualenv: Bool = true, ansible: Bool = true) throws -> String {
        let root = TestPaths.scratch("atmo-tree")
        try AtmosphereSandbox.make(root: root, standIns: Peers.directory + "/atmosphere", python: Peers.python ?? "/usr/bin/python3", old: old,
                                   inventoryDirectory: inventoryDirectory, virtualenv: virtualenv, ansible: ansible)
        return root
    }
}
