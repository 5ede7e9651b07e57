import DemoCloud
import Foundation
import StepEngine
import TestSupport
import Wizard
import XCTest

/// Fail closed: a journal that cannot be written means a resume that cannot find what was made, so the smoke test
/// makes nothing it could not record, and stops (removing what it made) at the first record that fails.
final class JournalFailureTests: XCTestCase {
    func runSmokeTest(_ lab: DemoLabSession) async throws -> StepResult {
        try await finished("exercise-cloud", engine: lab.engine, catalog: lab.catalog)
    }

    func testATestWhoseTagCannotBeRecordedMakesNothing() async throws {
        let lab = try DemoLabSession("unrecorded-tag", extra: "smoke.ssh_port: 22\n")
        defer { lab.cloud.shutdown() }
        try StateFault.refuseEvents("cloud-intent", in: lab.store.directory.databasePath)

        let result = try await runSmokeTest(lab)
        XCTAssertEqual(result.outcome, .failed, "\(result.findings)")
        let finding = try XCTUnwrap(result.findings.first { $0.severity == .failure }, "\(result.findings)")
        XCTAssertEqual(finding.checkID, "cloud.smoke-test")
        XCTAssertTrue(finding.observed.contains("could not be recorded") && finding.observed.contains("database or disk is full"), finding.observed)
        XCTAssertTrue(finding.remedy.contains("state directory"), finding.remedy)
        XCTAssertEqual(lab.cloud.serversCreated, 0, "nothing was booted")
    }

    func testAServerWhoseIDCannotBeRecordedIsRemovedAndNothingMoreIsMade() async throws {
        let lab = try DemoLabSession("unrecorded-server", extra: "smoke.ssh_port: 22\n")
        defer { lab.cloud.shutdown() }
        try StateFault.refuseEvents("cloud-created", in: lab.store.directory.databasePath)

        let result = try await runSmokeTest(lab)
        XCTAssertEqual(result.outcome, .failed, "\(result.findings)")
        XCTAssertTrue(
            result.findings.contains { $0.severity == .failure && $0.observed.contains("could not be recorded") }, "\(result.findings)")
        XCTAssertEqual(lab.cloud.serversCreated, 1, "one server was asked for; nothing after it")
        let left = lab.cloud.resourceCounts
        XCTAssertEqual([left.servers, left.floatingIPs, left.volumes], [0, 0, 0], "the server it could not record was removed")
    }
}
