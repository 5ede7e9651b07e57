import DemoCloud
import Foundation
import StepEngine
import TestSupport
import Wizard
import XCTest

/// Fail closed: what an interrupted smoke test may have left is looked up by its tag before a new test; when that
/// look-up fails, nothing new is made and the tag stays open, instead of reading "nothing left" and forgetting it.
final class SmokeLeftoversTests: XCTestCase {
    func testAnUnlistableLeftoverStopsTheTestBeforeItMakesAnything() async throws {
        let lab = try DemoLabSession("leftovers", scenario: "name: cinder-500\nendpoints: {volumev3: error-500}\n", extra: "smoke.ssh_port: 22\n")
        defer { lab.cloud.shutdown() }
        let (cloud, catalog, store, engine) = (lab.cloud, lab.catalog, lab.store, lab.engine)
        let session = engine.session
        // A run killed after it asked for a server, before the id came back: only its tag is known.
        try store.appendEvent(session: session.id, kind: .cloudIntent, step: "exercise-cloud", detail: "atmo-connect-smoke-killed")

        let screen = try XCTUnwrap(catalog.screen("exercise-cloud"))
        guard case let .finished(result) = try await StepExecution.execute(screen, engine: engine, catalog: catalog, consent: true) else {
            return XCTFail("the step ends with a result")
        }
        XCTAssertEqual(result.outcome, .failed, "\(result.findings)")
        let finding = try XCTUnwrap(result.findings.first { $0.target == "resources tagged atmo-connect-smoke-killed" }, "\(result.findings)")
        XCTAssertTrue(finding.observed.hasPrefix("what an interrupted run may have left cannot be listed: "), finding.observed)
        XCTAssertTrue(finding.observed.contains("500"), finding.observed)
        XCTAssertEqual(cloud.serversCreated, 0, "nothing new was made")
        XCTAssertEqual(try store.events(session: session.id, kind: .cloudFinished, step: "exercise-cloud").count, 0, "the tag stays open")
        XCTAssertEqual(
            try store.events(session: session.id, kind: .cloudIntent, step: "exercise-cloud").map(\.detail), ["atmo-connect-smoke-killed"],
            "no new test was started")
    }
}
