import AtmosphereKit
import DemoCloud
import Foundation
import StepEngine
import TestSupport
import XCTest

/// Detection reads upstream's files as they are (cyverse/atmosphere at each generation's commit), and the virtualenv.
final class AtmosphereInstallTests: XCTestCase {
    func detect(_ root: String) -> (AtmosphereInstall?, [Finding]) {
        AtmosphereInstall.detect(checkout: root + "/atmosphere", virtualenv: root + "/env/atmo", ansibleCheckout: root + "/atmosphere-ansible")
    }

    func testEachGenerationFromItsOwnFiles() throws {
        let expected: [(AtmosphereSandbox.Generation, AtmosphereGeneration, String, Bool, Bool)] = [
            (.guide, .old, "1.10.6", true, false), (.window, .head, "1.10.6", true, false), (.final, .head, "1.11.23", false, true),
        ]
        for (sandbox, generation, django, strategies, inventoryDirectory) in expected {
            let root = try AtmosphereTree.make(sandbox)
            let (install, findings) = detect(root)
            XCTAssertEqual(install?.generation, generation, "\(sandbox)")
            XCTAssertEqual(install?.djangoVersion, django, "\(sandbox)")
            XCTAssertEqual(install?.hasAllocationStrategy, strategies, "\(sandbox)")
            XCTAssertEqual(install?.usesInventoryDirectory, inventoryDirectory, "\(sandbox)")
            XCTAssertEqual(findings.filter { $0.severity == .failure }, [], "\(sandbox)")
            let evidence = findings.first { $0.observed.hasPrefix("how this was told: ") }?.observed ?? ""
            XCTAssertTrue(evidence.contains("Django \(django) in the virtualenv"), evidence)
            let hosts = InventoryLayout(ansibleCheckout: root + "/atmosphere-ansible", usesInventoryDirectory: inventoryDirectory).hostsPath
            XCTAssertTrue(findings.contains { $0.observed.hasSuffix("inventory at \(hosts)") }, "\(sandbox): \(findings)")
        }
    }

    func testTheFinalScriptsCommentedPromptAndTheJoinedInventoryPath() throws {
        let final = try String(contentsOfFile: Peers.directory + "/atmosphere/upstream/4688a4a9/scripts/add_new_provider.py", encoding: .utf8)
        XCTAssertTrue(final.contains("Select a platform type"), "the final script still holds the old prompt, in a comment")
        XCTAssertEqual(AtmosphereEvidence.generation(providerScript: final)?.generation, .head)
        let guide = try String(contentsOfFile: Peers.directory + "/atmosphere/upstream/ceb888bf/scripts/add_new_provider.py", encoding: .utf8)
        XCTAssertEqual(AtmosphereEvidence.generation(providerScript: guide)?.generation, .old)
        let deploy = try String(contentsOfFile: Peers.directory + "/atmosphere/upstream/4688a4a9/service/deploy.py", encoding: .utf8)
        XCTAssertFalse(deploy.contains("ansible/inventory"), "the final deploy.py joins the path: no literal to find")
        XCTAssertTrue(AtmosphereEvidence.usesInventoryDirectory(deployScript: deploy))
        let older = try String(contentsOfFile: Peers.directory + "/atmosphere/upstream/0b57c829/service/deploy.py", encoding: .utf8)
        XCTAssertFalse(AtmosphereEvidence.usesInventoryDirectory(deployScript: older))
        XCTAssertNil(
            AtmosphereEvidence.generation(providerScript: "# Is this provider public? (yes/[no]): \nprint('hello')\n"),
            "a prompt in a comment is no evidence")
    }

    func testWhatIsMissingIsAFailureWithARemedy() throws {
        let nothing = detect(TestPaths.root + "/none-\(UUID().uuidString.prefix(8))")
        XCTAssertNil(nothing.0)
        XCTAssertEqual(nothing.1.map(\.severity), [.failure])
        XCTAssertTrue(nothing.1[0].remedy.contains("atmosphere.checkout"))
        let root = try AtmosphereTree.make(.final, virtualenv: false, ansible: false)
        let failures = detect(root).1.filter { $0.severity == .failure }
        XCTAssertEqual(failures.map(\.target), [root + "/env/atmo", root + "/atmosphere-ansible"])
        XCTAssertTrue(failures[0].remedy.contains("atmosphere.venv"))
        XCTAssertTrue(failures[1].remedy.contains("atmosphere.ansible_checkout"))
    }
}
