import AtmosphereKit
import DemoCloud
import Foundation
import StepEngine
import TestSupport
import XCTest

/// Upstream's add_new_accounts.py of each generation, judged by what the database holds afterwards.
final class AccountsScriptTests: XCTestCase {
    func provider(_ lab: AtmosphereLab) throws -> AtmosphereProvider {
        let outcome = try lab.addProvider(lab.settings())
        XCTAssertTrue(outcome.succeeded, outcome.transcript)
        return try XCTUnwrap(try AtmosphereProviders.list(install: lab.install).first)
    }

    func present(_ lab: AtmosphereLab, _ id: Int) throws -> Set<String> {
        Set(try AtmosphereProviders.list(install: lab.install).first { $0.id == id }?.users ?? [])
    }

    func testIdentitiesOnEveryGenerationAndARerunChangesNothing() throws {
        for generation in AtmosphereSandbox.Generation.allCases {
            // The window's script does not make the AtmosphereUser: there the users have logged in once.
            let lab = try AtmosphereLab(generation, users: generation == .window ? ["cmart", "alice"] : [])
            let provider = try provider(lab)
            let run = try AccountsScript.addAccounts(install: lab.install, providerID: provider.id, users: ["cmart", "alice"], admin: false)
            XCTAssertEqual(run.status, 0, "\(generation): \(run.output)")
            XCTAssertTrue(
                run.output.contains(generation == .guide ? "cmart added." : "1 new identities identity_total for cmart."),
                "\(generation): \(run.output)")
            let findings = AccountsScript.findings(
                output: run.output, status: run.status, providerID: provider.id, users: ["cmart", "alice"],
                present: try present(lab, provider.id))
            XCTAssertEqual(findings.map(\.severity), [.ok, .ok], "\(generation): \(findings)")
            let before = try AtmosphereTree.snapshot(lab.root)
            let again = try AccountsScript.addAccounts(install: lab.install, providerID: provider.id, users: ["cmart"], admin: false)
            XCTAssertEqual(again.status, 0)
            if generation == .guide {
                XCTAssertFalse(again.output.contains("cmart added."), "the guide's script skips an existing identity without a word")
            }
            let judged = AccountsScript.findings(
                output: again.output, status: again.status, providerID: provider.id, users: ["cmart"],
                present: try present(lab, provider.id))
            XCTAssertEqual(judged.map(\.severity), [.ok], "\(generation): an existing identity is success")
            XCTAssertEqual(try lab.rows("Identity").count, 3, "\(generation): admin, cmart, alice")
            XCTAssertEqual(try AtmosphereTree.snapshot(lab.root), before, "\(generation): a re-run changes nothing")
        }
    }

    func testSwallowedFailuresAreFoundInTheDatabase() throws {
        // The window's script neither makes the user nor says why it made no identity.
        let lab = try AtmosphereLab(.window)
        let provider = try provider(lab)
        let run = try AccountsScript.addAccounts(install: lab.install, providerID: provider.id, users: ["bob"], admin: false)
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("0 Total identities identity_total for 0 users"), run.output)
        let findings = AccountsScript.findings(
            output: run.output, status: run.status, providerID: provider.id, users: ["bob"],
            present: try present(lab, provider.id))
        XCTAssertEqual(findings.map(\.severity), [.failure])
        XCTAssertTrue(findings[0].remedy.contains("Could *NOT* Create NEW account for bob"), findings[0].remedy)
        let log = try String(contentsOfFile: lab.root + "/atmosphere/logs/atmosphere.log", encoding: .utf8)
        XCTAssertTrue(log.contains("Could *NOT* Create NEW account for bob"), "the cause is in Atmosphere's log, as upstream logs it")
        let missing = try AccountsScript.addAccounts(install: lab.install, providerID: 42, users: ["bob"], admin: false)
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.output.contains("Provider matching query does not exist."), missing.output)
    }
}
