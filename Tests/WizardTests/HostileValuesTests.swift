import AtmosphereKit
import CloudProbe
import Foundation
import StepEngine
import TestSupport
import XCTest
import Yams

/// Values an answer's meaning allows but that would be code somewhere else come out inert, read back by the program
/// that consumes each file or block: Python's json (add_new_provider.py reads the JSON so), PyYAML and ansible-inventory
/// (ansible-core) for YAML and the inventory, bash for the remote blocks. What meaning excludes is refused: see
/// HostileAnswersTests.
final class HostileValuesTests: XCTestCase {
    static let canary = "/tmp/atmo-hostile-canary"

    /// Text that is data to us and code to a shell, YAML, Jinja or Python.
    static let hostile = [
        "lab \"net\"", "it's", "a #b", "x: y", "- item", "&anchor *alias", "!!python/object/apply:os.system ['id']",
        "$(touch \(canary))", "`touch \(canary)`", "a;touch \(canary)", "{{ lookup('pipe', 'touch \(canary)') }}",
        "{% raw %}", "yes", "null", "0777", "1e3", "\\back\\slash", "né ü 漢 🙂", "'''", "\"\"\"",
        String(repeating: "a", count: 5000),
    ]

    override func setUp() {
        continueAfterFailure = false
        unlink(Self.canary)
    }
    override func tearDown() { XCTAssertFalse(FileManager.default.fileExists(atPath: Self.canary), "something ran a hostile value") }

    static func hex(_ text: String) -> String { text.utf8.map { String(format: "%02x", $0) }.joined() }

    /// Runs `program` with `arguments`, returning its standard output (what the tests parse; warnings on standard error,
    /// such as a dependency's deprecation notice, are kept for the failure message); fails the test when it does not exit 0.
    /// ansible keeps its temporary files in ANSIBLE_HOME (~/.ansible by default): the test's own folder instead, so the
    /// run leaves nothing in HOME.
    func output(_ argv: [String], file: StaticString = #filePath, line: UInt = #line) -> String {
        let run = ChildProcess.run(argv, environment: ["ANSIBLE_HOME": TestPaths.scratch("ansible-home")])
        XCTAssertEqual(run.status, 0, "\(argv.prefix(3)): \(run.output.prefix(2000))", file: file, line: line)
        return run.stdout
    }

    func testProviderJSONFieldsReachPythonAsGiven() throws {
        let directory = TestPaths.scratch("hostile-json")
        for value in Self.hostile {
            // Secrets are registered with the process's redactor: a unique tail keeps "null" or "it's" from being masked in
            // every later test's output.
            let password = value + "-" + UUID().uuidString
            let settings = ProviderSettings(
                name: "lab", isPublic: true, adminUsername: value, adminTenant: value, adminPassword: SecretValue(password),
                authURL: "https://keystone.example.org:5000", adminURL: "https://keystone.example.org:35357", region: value,
                publicRouters: [value, "public_router"], networkName: value, topology: "External Router Topology",
                dnsNameservers: ["8.8.8.8"], adminRoleName: value, userRoleName: value, domain: value,
                secret: SecretValue(value + String(repeating: "s", count: 32)), hostnameFormat: "vm%(four)s.example.org")
            let path = directory + "/provider.json"
            try AnswersFile.writePrivately(settings.json(), to: path)
            let code = """
                import json, sys
                d = json.load(open(sys.argv[1]))
                c, u = d['credential'], d['cloud_config']['user']
                for v in (d['admin']['username'], d['admin']['tenant'], d['admin']['password'][:-37], c['region_name'],
                          c['public_routers'].split(',')[0], c['network_name'], u['admin_role_name'], u['user_role_name'], u['domain']):
                    print(v.encode('utf-8').hex())
                """
            let lines = output(["/usr/bin/python3", "-c", code, path]).split(separator: "\n").map(String.init)
            // Router names are kept as one comma-separated string: the screen refuses a name with a comma.
            var expected = Array(repeating: Self.hex(value), count: 9)
            if value.contains(",") { expected[4] = Self.hex(String(value.prefix { $0 != "," })) }
            XCTAssertEqual(lines, expected, "as Python reads it: \(value.prefix(60))")
            let shown = settings.redactedJSON()
            XCTAssertFalse(shown.contains(value + String(repeating: "s", count: 32)), "the preview masks the secret")
            XCTAssertEqual(
                output([
                    "/usr/bin/python3", "-c",
                    "import json, sys\nd = json.loads(sys.argv[1])\nprint(d['admin']['password'], d['cloud_config']['user']['secret'])", shown,
                ])
                .trimmingCharacters(in: .newlines), "\(Redactor.mask) \(Redactor.mask)", "masked as values, whatever they hold")
        }
    }

    func testTheOpenStackAnsibleFragmentReadsBackAsGivenInPyYAMLYamsAndAnsible() throws {
        let inventoryTool = try XCTUnwrap(Peers.tool("ansible-inventory"), Peers.missingVenv)
        let python = try XCTUnwrap(Peers.tool("python"), Peers.missingVenv)
        let directory = TestPaths.scratch("hostile-osa")
        try FileManager.default.createDirectory(atPath: directory + "/group_vars", withIntermediateDirectories: true)
        try "localhost ansible_connection=local\n".write(toFile: directory + "/hosts", atomically: true, encoding: .utf8)
        // Paths refuse Jinja and control characters; everything else a file name may hold is tried.
        for value in Self.hostile where !value.contains("{{") && !value.contains("{%") {
            let path = "/etc/ssl/" + value
            let fragment = try OSAUserVariables(
                publicEndpoints: [
                    CatalogEndpoint(
                        id: "1", interface: "public", region: nil, url: "https://cloud.example.org:5000/v3",
                        serviceType: "identity", serviceName: "keystone")
                ],
                identityAdmin: nil, fqdn: "cloud.example.org", certificate: path, key: path, caCertificate: path)
            try fragment.yaml.write(toFile: directory + "/group_vars/all.yml", atomically: true, encoding: .utf8)
            let keys = ["haproxy_user_ssl_cert", "haproxy_user_ssl_key", "haproxy_user_ssl_ca_cert"]
            let pyyaml = output(
                [
                    python, "-c", "import sys, yaml\nd = yaml.safe_load(open(sys.argv[1]))\nfor k in sys.argv[2:]: print(d[k].encode('utf-8').hex())",
                    directory + "/group_vars/all.yml",
                ] + keys)
            XCTAssertEqual(pyyaml.split(separator: "\n").map(String.init), Array(repeating: Self.hex(path), count: 3), "PyYAML: \(value.prefix(60))")
            let yams = try XCTUnwrap(try Yams.load(yaml: fragment.yaml) as? [String: Any])
            XCTAssertEqual(keys.map { yams[$0] as? String }, Array(repeating: path, count: 3), "Yams")
            let listed = output([inventoryTool, "-i", directory + "/hosts", "--host", "localhost"])
            let vars = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [String: Any], listed)
            XCTAssertEqual(keys.map { vars[$0] as? String }, Array(repeating: path, count: 3), "ansible-inventory: \(value.prefix(60))")
            XCTAssertEqual(
                vars["keystone_service_adminuri"] as? String, "https://cloud.example.org:{{ keystone_admin_port }}", "our own template stays one")
        }
    }

    func testTheInventoryIsWhatAnsibleSeesAndNothingMore() throws {
        let inventoryTool = try XCTUnwrap(Peers.tool("ansible-inventory"), Peers.missingVenv)
        let directory = TestPaths.scratch("hostile-inventory")
        try FileManager.default.createDirectory(atPath: directory + "/group_vars", withIntermediateDirectories: true)
        let site = "# site inventory\n[atmosphere]\natmo.example.org\n\n[other]\nhost1 # keep me\n"
        let ranges = try ["203.0.113.10-203.0.113.12", "198.51.100.7"].map { try XCTUnwrap(IPRange($0)) }
        let patterns = try XCTUnwrap(
            InventoryEditor.hostPatterns(for: ranges, hostnameFormat: "vm%(three)s-%(four)s.%(domain)s", domain: "lab.example.org"))
        try InventoryEditor.apply(to: site, group: "atmosphere-lab", entries: patterns).write(
            toFile: directory + "/hosts", atomically: true, encoding: .utf8)
        try InventoryEditor.groupVars(group: "atmosphere-lab", timezone: "America/Phoenix", guacamoleHost: "192.0.2.5")
            .write(toFile: directory + "/group_vars/atmosphere-lab.yml", atomically: true, encoding: .utf8)
        // ansible warns about the dash in the group's name on standard error; the JSON is standard output alone.
        let listed = output([inventoryTool, "-i", directory + "/hosts", "--list"])
        let inventory = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [String: Any], listed)
        let hosts = try XCTUnwrap((inventory["atmosphere-lab"] as? [String: Any])?["hosts"] as? [String], listed)
        XCTAssertEqual(Set(hosts), ["vm113-10.lab.example.org", "vm113-11.lab.example.org", "vm113-12.lab.example.org", "vm100-7.lab.example.org"])
        XCTAssertEqual((inventory["other"] as? [String: Any])?["hosts"] as? [String], ["host1"], "the site's groups are kept")
        let hostvars = try XCTUnwrap((inventory["_meta"] as? [String: Any])?["hostvars"] as? [String: [String: Any]], listed)
        for host in hosts {
            let vars = try XCTUnwrap(hostvars[host])
            XCTAssertEqual(
                Set(vars.keys), ["TIMEZONE", "ZONEINFO", "SSH_ALLOW_GROUPS", "SETUP_GUACAMOLE", "GUACAMOLE_SERVER_IP"],
                "exactly our variables on \(host)")
            XCTAssertEqual(vars["TIMEZONE"] as? String, "America/Phoenix")
            XCTAssertEqual(vars["ZONEINFO"] as? String, "/usr/share/zoneinfo/America/Phoenix")
            XCTAssertEqual(vars["SSH_ALLOW_GROUPS"] as? String, "users root")
            XCTAssertEqual(vars["SETUP_GUACAMOLE"] as? Bool, true)
            XCTAssertEqual(vars["GUACAMOLE_SERVER_IP"] as? String, "192.0.2.5")
        }
        XCTAssertNil(hostvars["host1"].flatMap { $0["TIMEZONE"] }, "and only on its group")
    }

    /// The probe, pasted into a real bash, with an install whose checkout, virtualenv and atmosphere-ansible live at paths
    /// that are shell code: it reads them as paths (the probe finds the install) and runs nothing of them.
    func testRemoteBlocksTakePathsAsWords() throws {
        let tree = try AtmosphereTree.make(.final)
        let base = TestPaths.scratch("hostile-paths")
        // Relative to the shell's directory (/tmp), or to the checkout if it ran after the cd: a file name holds no slash.
        let name = (Self.canary as NSString).lastPathComponent
        for value in ["$(touch \(name))", "`touch \(name)`", "a;touch \(name)", "it's \"quoted\" #x", "\\back\\slash"] {
            let parent = base + "/" + Self.hex(value).prefix(16)
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            for (name, target) in [("checkout", "/atmosphere"), ("venv", "/env/atmo"), ("ansible", "/atmosphere-ansible")] {
                try FileManager.default.createSymbolicLink(atPath: parent + "/" + name + value, withDestinationPath: tree + target)
            }
            let block = RemoteScript.probe(
                checkout: parent + "/checkout" + value, virtualenv: parent + "/venv" + value,
                ansibleCheckout: parent + "/ansible" + value, reach: [])
            let shown = try RemoteShell.paste(block, home: TestPaths.scratch("hostile-home"), directory: "/tmp")
            XCTAssertFalse(FileManager.default.fileExists(atPath: tree + "/atmosphere/" + name))
            XCTAssertTrue(shown.contains("ATMO-CONNECT-PROBE generation head"), "the probe ran in the checkout: \(shown.suffix(1500))")
            XCTAssertTrue(
                shown.contains("ATMO-CONNECT-PROBE venv yes") && shown.contains("ATMO-CONNECT-PROBE ansible yes"), shown.suffix(1500).description)
            XCTAssertTrue(shown.contains("ATMO-CONNECT-PROBE done"), shown.suffix(1500).description)
        }
    }
}
