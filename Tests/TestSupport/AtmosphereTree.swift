import DemoCloud
import Foundation

/// Atmosphere installs made by the tests: upstream's own scripts of a generation (Tests/Peers/atmosphere/make_tree.py),
/// with stand-ins for Django, the database and rtwo, reaching the demo cloud when one is given.
public enum AtmosphereTree {
    /// The interpreter the peer runs on.
    public static var python: String { Peers.python ?? "/usr/bin/python3" }

    /// Makes an install under a new temporary directory and returns its root (checkout at ROOT/atmosphere, ROOT/env/atmo,
    /// ROOT/atmosphere-ansible). With `cloud`, its names resolve there and, if `trustsCloud`, its CA is trusted.
    public static func make(
        _ generation: AtmosphereSandbox.Generation, cloud: DemoCloud? = nil, trustsCloud: Bool = true, users: [String] = [],
        virtualenv: Bool = true, ansible: Bool = true
    ) throws -> String {
        try make(
            generation, trust: cloud.map { trustsCloud ? [$0.caBundle] : [] } ?? [], resolve: cloud?.resolve ?? [], users: users,
            virtualenv: virtualenv, ansible: ansible)
    }

    /// An install that trusts the CA bundles `trust` and resolves the `host:port:address` names of `resolve` (any cloud).
    public static func make(
        _ generation: AtmosphereSandbox.Generation, trust: [String], resolve: [String], users: [String] = [], virtualenv: Bool = true,
        ansible: Bool = true
    ) throws -> String {
        let root = TestPaths.scratch("atmo-tree")
        guard let packages = AtmosphereSandbox.packagesFolder() else {
            throw AtmosphereSandbox.Failure(description: "Atmosphere's pinned packages are missing: " + Peers.missingVenv)
        }
        try AtmosphereSandbox.make(
            root: root, peer: Peers.directory + "/atmosphere", python: python, packages: packages, generation: generation,
            trust: trust, hosts: resolve.isEmpty ? [] : AtmosphereSandbox.hostsLines(resolve: resolve), users: users,
            virtualenv: virtualenv, ansible: ansible, cache: TestPaths.fixtures)
        return root
    }

    /// The tests written for the two script generations: the guide's, or the final code (with its inventory directory)
    /// or the 2017 window of final-style scripts on Django 1.10 (without it).
    public static func make(
        old: Bool, inventoryDirectory: Bool = false, virtualenv: Bool = true, ansible: Bool = true, users: [String] = []
    ) throws -> String {
        try make(old ? .guide : (inventoryDirectory ? .final : .window), users: users, virtualenv: virtualenv, ansible: ansible)
    }

    /// The rows of one model in the install's database, each as its JSON fields plus "id".
    public static func rows(_ root: String, model: String) throws -> [[String: Any]] {
        let code = """
            import json, sqlite3, sys
            connection = sqlite3.connect(sys.argv[1])
            rows = []
            for row_id, data in connection.execute("SELECT id, data FROM rows WHERE model = ? ORDER BY id", (sys.argv[2],)):
                item = json.loads(data)
                item["id"] = row_id
                rows.append(item)
            print(json.dumps(rows))
            """
        let result = ChildProcess.run([python, "-c", code, root + "/atmosphere.sqlite3", model])
        guard result.status == 0, let rows = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] else {
            throw CocoaError(
                .fileReadCorruptFile, userInfo: [NSFilePathErrorKey: root + "/atmosphere.sqlite3", NSLocalizedDescriptionKey: result.output])
        }
        return rows
    }

    /// Every row of the database, as text: two snapshots are equal when nothing changed.
    public static func snapshot(_ root: String) throws -> String {
        let code = """
            import sqlite3, sys
            for row in sqlite3.connect(sys.argv[1]).execute("SELECT model, id, data FROM rows ORDER BY model, id"):
                print(row)
            """
        let result = ChildProcess.run([python, "-c", code, root + "/atmosphere.sqlite3"])
        guard result.status == 0 else { throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: result.output]) }
        return result.output
    }

    /// Environment for the install's scripts, as Atmosphere's README says to run them.
    public static func environment(_ root: String) -> [String: String] {
        ["DJANGO_SETTINGS_MODULE": "atmosphere.settings", "PYTHONPATH": root + "/atmosphere"]
    }
}
