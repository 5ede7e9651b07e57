import AtmosphereKit
import Foundation
import StepEngine
import TestSupport
import XCTest

final class AccountsScriptTests: XCTestCase {
    func install() throws -> (AtmosphereInstall, String) {
        let root = try AtmosphereTree.make(old: false)
        FileManager.default.createFile(atPath: root + "/providers.txt", contents: Data("default\nlab\n".utf8))
        let found = try XCTUnwrap(AtmosphereInstall.detect(checkout: root + "/atmosphere", virtualenv: root + "/env/atmo",
                                                           ansibleCheckout: root + "/atmosphere-ansible").install)
        return (found, root)
    }

    func testProviderListAndIdentitiesAndARerun() throws {
        let (install, root) = try install()
        let environment = ["FAKE_ATMO_TREE": root]
        XCTAssertEqual(try AccountsScript.providers(install: install, environment: environment), [4: "default", 5: "lab"])
        let first = try AccountsScript.addAccounts(install: install, providerID: 5, users: ["cmart", "alice"], admin: true, environment: environment)
        XCTAssertEqual(first.map(\.severity), [.ok, .ok])
        XCTAssertEqual(first.first?.observed, "1 new identity on provider 5")
        let record = try String(contentsOfFile: root + "/add_new_accounts.record.json", encoding: .utf8)
        XCTAssertTrue(record.contains("\"--users\", \"cmart,alice\", \"--admin\""), record)
        let again = try AccountsScript.addAccounts(install: install, providerID: 5, users: ["cmart"], admin: false, environment: environment)
        XCTAssertEqual(again.first?.observed, "0 new identities", "a re-run creates nothing, and says so")
    }

    func testSilentPluginFailuresAndABadProvider() throws {
        let (install, root) = try install()
        let failed = try AccountsScript.addAccounts(install: install, providerID: 5, users: ["bob"], admin: false,
                                                    environment: ["FAKE_ATMO_TREE": root, "FAKE_ATMO_MODE": "plugin-failure"])
        XCTAssertEqual(failed.map(\.severity), [.failure])
        XCTAssertTrue(failed[0].remedy.contains("Could *NOT* Create NEW account for bob"))
        let missing = try AccountsScript.addAccounts(install: install, providerID: 42, users: ["bob"], admin: false, environment: ["FAKE_ATMO_TREE": root])
        XCTAssertEqual(missing.map(\.severity), [.failure])
        XCTAssertEqual(missing[0].observed, "Exception: Provider matching query does not exist.")
    }
}
