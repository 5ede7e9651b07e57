import AtmosphereKit
import Foundation
import StepEngine
import TestSupport
import XCTest

/// Atmosphere trees of both generations, made here, with the code markers detection reads.
final class AtmosphereInstallTests: XCTestCase {
    func makeTree(old: Bool, inventoryDirectory: Bool = false, venv: Bool = true, ansible: Bool = true) throws -> String {
        try AtmosphereTree.make(old: old, inventoryDirectory: inventoryDirectory, virtualenv: venv, ansible: ansible)
    }

    func detect(_ root: String) -> (AtmosphereInstall?, [Finding]) {
        AtmosphereInstall.detect(checkout: root + "/atmosphere", virtualenv: root + "/env/atmo", ansibleCheckout: root + "/atmosphere-ansible")
    }

    func testTheGuidesGeneration() throws {
        let root = try makeTree(old: true)
        let (install, findings) = detect(root)
        XCTAssertEqual(install?.generation, .old)
        XCTAssertEqual(install?.hasAllocationStrategy, true)
        XCTAssertEqual(install?.usesInventoryDirectory, false)
        XCTAssertEqual(findings.filter { $0.severity == .failure }, [])
        XCTAssertEqual(findings.filter { $0.severity == .info }, [], "nothing differs from the guide")
        XCTAssertTrue(findings.contains { $0.observed == "atmosphere-ansible found; inventory at \(root)/atmosphere-ansible/ansible/hosts" })
    }

    func testTheLaterGenerationAndWhatDiffers() throws {
        let root = try makeTree(old: false, inventoryDirectory: true)
        let (install, findings) = detect(root)
        XCTAssertEqual(install?.generation, .head)
        XCTAssertEqual(install?.hasAllocationStrategy, false)
        XCTAssertEqual(install?.usesInventoryDirectory, true)
        let notes = findings.filter { $0.severity == .info }.map(\.observed)
        XCTAssertEqual(notes.count, 3)
        XCTAssertTrue(notes[1].contains("AllocationStrategy was removed in 2018"))
        XCTAssertTrue(notes[2].contains("ansible/inventory/hosts"))
        XCTAssertTrue(findings.contains { $0.observed.hasSuffix("inventory at \(root)/atmosphere-ansible/ansible/inventory/hosts") })
    }

    func testWhatIsMissingIsAFailureWithARemedy() throws {
        let nothing = detect(NSTemporaryDirectory() + "atmo-none-\(UUID().uuidString.prefix(8))")
        XCTAssertNil(nothing.0)
        XCTAssertEqual(nothing.1.map(\.severity), [.failure])
        XCTAssertTrue(nothing.1[0].remedy.contains("atmosphere.checkout"))
        let root = try makeTree(old: false, venv: false, ansible: false)
        let failures = detect(root).1.filter { $0.severity == .failure }
        XCTAssertEqual(failures.map(\.target), [root + "/env/atmo", root + "/atmosphere-ansible"])
        XCTAssertTrue(failures[0].remedy.contains("atmosphere.venv"))
        XCTAssertTrue(failures[1].remedy.contains("atmosphere.ansible_checkout"))
    }
}
