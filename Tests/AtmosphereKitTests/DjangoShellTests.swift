import AtmosphereKit
import Foundation
import TestSupport
import XCTest

/// The snippets run in each tree's manage.py shell (stub models of that generation), with the code on stdin.
final class DjangoShellTests: XCTestCase {
    func tree(old: Bool) throws -> (AtmosphereInstall, String) {
        let root = try AtmosphereTree.make(old: old)
        FileManager.default.createFile(atPath: root + "/providers.txt", contents: Data("default\nlab\n".utf8))
        return (try XCTUnwrap(AtmosphereInstall.detect(checkout: root + "/atmosphere", virtualenv: root + "/env/atmo",
                                                       ansibleCheckout: root + "/atmosphere-ansible").install), root)
    }

    func testStaffRightsForExistingUsersAndNamesTheMissing() throws {
        let (install, root) = try tree(old: false)
        let result = try DjangoShell.run(install: install, code: AtmosphereSnippets.staffRights(users: ["cmart", "nobody"]),
                                         environment: ["FAKE_ATMO_TREE": root, "FAKE_ATMO_USERS": "cmart,alice"])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertEqual(result.value?["staff"], .list([.string("cmart")]))
        XCTAssertEqual(result.value?["missing"], .list([.string("nobody")]))
        let state = try String(contentsOfFile: root + "/django.json", encoding: .utf8)
        XCTAssertTrue(state.contains("\"cmart\": {\"is_staff\": true, \"is_superuser\": true}"), state)
    }

    func testTheOldAllocationStrategyCreatesMissingBehavioursOnce() throws {
        let (install, root) = try tree(old: true)
        let code = AtmosphereSnippets.allocationStrategy(providerID: 5, counting: "1 Month - Calendar Window", refresh: ["First of the Month"],
                                                         rules: ["Ignore non-active status", "Multiply by Size CPU"])
        let first = try DjangoShell.run(install: install, code: code, environment: ["FAKE_ATMO_TREE": root])
        XCTAssertEqual(first.value?["strategy"], .string("new"), first.output)
        XCTAssertEqual(first.value?["behaviours_created"], .list([.string("1 Month - Calendar Window"), .string("First of the Month"),
                                                                 .string("Ignore non-active status"), .string("Multiply by Size CPU")]))
        let second = try DjangoShell.run(install: install, code: code, environment: ["FAKE_ATMO_TREE": root])
        XCTAssertEqual(second.value?["strategy"], .string("existing"))
        XCTAssertEqual(second.value?["behaviours_created"], .list([]), "a re-run changes nothing")
        let later = try tree(old: false)
        let refused = try DjangoShell.run(install: later.0, code: code, environment: ["FAKE_ATMO_TREE": later.1])
        XCTAssertNil(refused.value, "the later generation has no AllocationStrategy")
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.output.contains("No module named 'core.models.allocation_strategy'"), refused.output)
    }

    func testAllocationSourcePluginAndTheInitialSync() throws {
        let (install, root) = try tree(old: false)
        let plugins = try DjangoShell.run(install: install, code: AtmosphereSnippets.allocationSourcePlugin,
                                          environment: ["FAKE_ATMO_TREE": root, "FAKE_ATMO_ALLOCATION_PLUGINS": "cyverse_allocation.plugins.allocation_source.FlexibleAllocationSourcePlugin"])
        XCTAssertEqual(plugins.value?["plugins"], .list([.string("cyverse_allocation.plugins.allocation_source.FlexibleAllocationSourcePlugin")]))
        let sync = try DjangoShell.run(install: install, code: AtmosphereSnippets.initialSync(providerID: 5, old: false),
                                       environment: ["FAKE_ATMO_TREE": root, "FAKE_ATMO_SYNC": "3,2,1"])
        XCTAssertEqual(sync.value, ["sizes": .int(3), "images": .int(2), "instances": .int(1)])
        let (oldInstall, oldRoot) = try tree(old: true)
        let oldSync = try DjangoShell.run(install: oldInstall, code: AtmosphereSnippets.initialSync(providerID: 5, old: true),
                                          environment: ["FAKE_ATMO_TREE": oldRoot, "FAKE_ATMO_SYNC": "4,1,0"])
        XCTAssertEqual(oldSync.value, ["sizes": .int(4), "images": .int(1), "instances": .null])
    }
}
