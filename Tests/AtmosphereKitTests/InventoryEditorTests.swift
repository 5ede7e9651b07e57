import AtmosphereKit
import Foundation
import TestSupport
import StepEngine
import XCTest
import Yams

final class InventoryEditorTests: XCTestCase {
    let existing = """
        # atmosphere-ansible inventory (managed by hand)
        # If you do not modify this file, your instances will not make it past 'active - networking'!

        [atmosphere:children]
        atmosphere-oldcloud

        [atmosphere-oldcloud]
        # the first cloud
        vm7.oldcloud.example.org ansible_host=128.196.171.7 ansible_port=22

        [gateone-hosts]
        shell.example.org

        """

    func testRangesBecomeAnsiblePatternsPerSlash24() {
        let ranges = [IPRange("203.0.113.10-203.0.113.50"), IPRange("198.51.100.250-198.51.101.3"), IPRange("192.0.2.9")].compactMap { $0 }
        XCTAssertEqual(
            InventoryEditor.hostPatterns(for: ranges, hostnameFormat: nil),
            ["203.0.113.[10:50]", "198.51.100.[250:255]", "198.51.101.[0:3]", "192.0.2.9"])
        XCTAssertEqual(
            InventoryEditor.hostPatterns(for: ranges, hostnameFormat: "vm%(three)s-%(four)s.lab.example.org"),
            ["vm113-[10:50].lab.example.org", "vm100-[250:255].lab.example.org", "vm101-[0:3].lab.example.org", "vm2-9.lab.example.org"])
    }

    func testTheDomainPlaceholderIsFilledOrRefusedNeverWrittenLiterally() throws {
        let ranges = [try XCTUnwrap(IPRange("203.0.113.10-203.0.113.12"))]
        XCTAssertEqual(
            InventoryEditor.hostPatterns(for: ranges, hostnameFormat: "vm%(three)s-%(four)s.%(domain)s", domain: "cloud.lab.org"),
            ["vm113-[10:12].cloud.lab.org"])
        XCTAssertNil(InventoryEditor.hostPatterns(for: ranges, hostnameFormat: "vm%(three)s-%(four)s.%(domain)s", domain: nil), "no domain: refused")
        XCTAssertNil(InventoryEditor.hostPatterns(for: ranges, hostnameFormat: "vm%(three)s-%(five)s.lab.org"), "an unknown key: refused")
        XCTAssertNil(InventoryEditor.hostPatterns(for: ranges, hostnameFormat: "vm%(three)s.lab.org"), "no %(four)s cannot name each host")
        XCTAssertEqual(InventoryEditor.hostPatterns(for: ranges, hostnameFormat: "%(one)s.%(two)s.%(three)s.%(four)s"), ["203.0.113.[10:12]"])
        XCTAssertNil(InventoryEditor.hostPatterns(for: ranges, hostnameFormat: "vm%(four)s-100%%.lab.org"), "a percent sign names no host")
    }

    func testAPlaceholderDomainIsNeverAProvidersFormat() {
        XCTAssertTrue(ProviderJSONLint.isPlaceholder(hostnameFormat: "vm%(three)s-%(four)s.cloud.example.org"))
        XCTAssertTrue(ProviderJSONLint.isPlaceholder(hostnameFormat: "vm%(four)s.example.com."))
        XCTAssertFalse(ProviderJSONLint.isPlaceholder(hostnameFormat: "vm%(three)s-%(four)s.demo.test"))
        XCTAssertFalse(ProviderJSONLint.isPlaceholder(hostnameFormat: "vm%(four)s.notexample.org"))
    }

    func testAddsTheGroupAndLeavesEverythingElseAsItWas() {
        let entries = ["vm113-[10:50].lab.example.org ansible_port=22"]
        let edited = InventoryEditor.apply(to: existing, group: "atmosphere-lab", entries: entries)
        XCTAssertEqual(
            edited,
            """
            # atmosphere-ansible inventory (managed by hand)
            # If you do not modify this file, your instances will not make it past 'active - networking'!

            [atmosphere:children]
            atmosphere-oldcloud
            atmosphere-lab

            [atmosphere-oldcloud]
            # the first cloud
            vm7.oldcloud.example.org ansible_host=128.196.171.7 ansible_port=22

            [gateone-hosts]
            shell.example.org

            [atmosphere-lab]
            vm113-[10:50].lab.example.org ansible_port=22

            """)
        XCTAssertEqual(InventoryEditor.apply(to: edited, group: "atmosphere-lab", entries: entries), edited, "a second run changes nothing")
        let more = InventoryEditor.apply(to: edited, group: "atmosphere-lab", entries: entries + ["vm114-[0:9].lab.example.org ansible_port=22"])
        XCTAssertTrue(
            more.hasSuffix("[atmosphere-lab]\nvm113-[10:50].lab.example.org ansible_port=22\nvm114-[0:9].lab.example.org ansible_port=22\n"))
    }

    func testAnEmptyFileGetsBothSections() {
        XCTAssertEqual(
            InventoryEditor.apply(to: "", group: "atmosphere-lab", entries: ["192.0.2.[10:20] ansible_port=22"]),
            "[atmosphere:children]\natmosphere-lab\n\n[atmosphere-lab]\n192.0.2.[10:20] ansible_port=22\n")
    }

    func testWritingKeepsABackupAndSkipsUnchangedFiles() throws {
        let directory = TestPaths.scratch("inv")
        let layout = InventoryLayout(ansibleCheckout: directory, usesInventoryDirectory: true)
        XCTAssertEqual(layout.hostsPath, directory + "/ansible/inventory/hosts")
        XCTAssertEqual(
            InventoryLayout(ansibleCheckout: directory, usesInventoryDirectory: false).groupVarsDirectory, directory + "/ansible/group_vars")
        let first = try InventoryLayout.write(existing, to: layout.hostsPath)
        XCTAssertEqual(first.changed, true)
        XCTAssertNil(first.backup, "nothing to back up in a new file")
        let edited = InventoryEditor.apply(to: existing, group: "atmosphere-lab", entries: ["192.0.2.9 ansible_port=22"])
        let second = try InventoryLayout.write(edited, to: layout.hostsPath)
        let backup = try XCTUnwrap(second.backup)
        XCTAssertEqual(try String(contentsOfFile: backup, encoding: .utf8), existing)
        XCTAssertEqual(try String(contentsOfFile: layout.hostsPath, encoding: .utf8), edited)
        let third = try InventoryLayout.write(edited, to: layout.hostsPath)
        XCTAssertFalse(third.changed)
        XCTAssertNil(third.backup)
    }

    func testGroupVarsAreEmittedByYamsAndReadBackAsGiven() throws {
        let vars = try InventoryEditor.groupVars(group: "atmosphere-lab", timezone: "America/Phoenix", guacamoleHost: nil)
        let loaded = try XCTUnwrap(try Yams.load(yaml: vars) as? [String: Any])
        XCTAssertEqual(loaded["TIMEZONE"] as? String, "America/Phoenix")
        XCTAssertEqual(loaded["ZONEINFO"] as? String, "/usr/share/zoneinfo/America/Phoenix")
        XCTAssertEqual(loaded["SETUP_GUACAMOLE"] as? Bool, false)
        XCTAssertEqual(loaded.count, 4, "exactly the keys written: \(loaded.keys)")
        let guac = try XCTUnwrap(
            try Yams.load(yaml: try InventoryEditor.groupVars(group: "atmosphere-lab", timezone: "Etc/UTC", guacamoleHost: "192.0.2.5"))
                as? [String: Any])
        XCTAssertEqual(guac["GUACAMOLE_SERVER_IP"] as? String, "192.0.2.5")
        XCTAssertEqual(guac["SETUP_GUACAMOLE"] as? Bool, true)
    }

    /// Hostile values for every answer that reaches the inventory: each is refused, by the screen's input and by the emitter.
    func testHostileValuesNeverReachTheInventory() throws {
        let hostile = [
            "Etc/UTC\nansible_ssh_common_args: \"-o ProxyCommand=touch /tmp/p\"", "{{ lookup('pipe', 'id') }}", "{% raw %}x",
            "Etc/UTC\"", "Etc/UTC #", "Etc UTC", "Etc/UTC; id", "$(id)", "`id`", "Etc/UTC\u{0}", String(repeating: "A/", count: 3000) + "B",
            ")\nATMO_CONNECT_EOF\nid\n",
        ]
        for value in hostile {
            XCTAssertThrowsError(try InventoryEditor.groupVars(group: "g", timezone: value, guacamoleHost: nil), value)
            XCTAssertThrowsError(try InventoryEditor.groupVars(group: "g", timezone: "Etc/UTC", guacamoleHost: value), value)
            let format = "vm%(four)s." + value
            XCTAssertNil(InventoryEditor.hostPatterns(for: [try XCTUnwrap(IPRange("203.0.113.10"))], hostnameFormat: format), format)
            XCTAssertNotNil(HostnameFormat.problem(format), format)
            XCTAssertNil(
                InventoryEditor.hostPatterns(for: [try XCTUnwrap(IPRange("203.0.113.10"))], hostnameFormat: "vm%(four)s.%(domain)s", domain: value),
                "a hostile domain: \(value)")
        }
        XCTAssertNotNil(HostnameFormat.problem("vm%(four)s.lab.org ansible_python_interpreter=/tmp/x"), "spaces would add host variables")
        XCTAssertNil(HostnameFormat.problem("vm%(three)s-%(four)s.lab.org"))
    }
}
