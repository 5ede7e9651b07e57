import DemoCloud
import Foundation
import StepEngine
import TestSupport
import Wizard
import XCTest

/// The force-unlock fence covers every action: a run displaced by another atmo-connect that took the state over
/// (`--force`) makes no file, script or cloud change after that moment.
final class DisplacedRunTests: XCTestCase {
    /// Another atmo-connect forces the lock right after `engine`'s step has recorded its attempt.
    static func displace(_ engine: Engine) throws {
        _ = try engine.store.acquireLock()
        let path = engine.store.directory.path
        engine.faultHook = { point, _ in
            guard point == .afterBegin else { return }
            let taker = try! StateStore(directory: StateDirectory(path: path))
            _ = try! taker.acquireLock(force: true)
        }
    }

    /// Runs `step` with consent, displaced; what it returned or threw.
    static func runDisplaced(_ step: String, engine: Engine, catalog: WizardCatalog) async throws -> String {
        try displace(engine)
        let screen = try XCTUnwrap(catalog.screen(step))
        do {
            return "\(try await StepExecution.execute(screen, engine: engine, catalog: catalog, consent: true))"
        } catch {
            return "\(error)"
        }
    }

    func testADisplacedRunWritesNoFile() async throws {
        let zones = TestPaths.scratch("displaced-zones") + "/zones"
        let lab = try DemoLabSession(
            "displaced-dns",
            extra: "dns.floating_ranges: [127.0.113.10-127.0.113.12]\ndns.write_zone_files: true\ndns.zone_dir: \(zones)\ndns.domain: demo.test\n")
        defer { lab.cloud.shutdown() }
        let outcome = try await Self.runDisplaced("dns", engine: lab.engine, catalog: lab.catalog)
        XCTAssertTrue(outcome.contains("took over") || outcome.contains("lockLost"), outcome)
        XCTAssertFalse(FileManager.default.fileExists(atPath: zones + "/atmosphere-a.zone"), "no zone file: \(outcome)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: zones + "/atmosphere-ptr.zone"))
    }

    func testADisplacedRunMakesNothingOnTheCloud() async throws {
        let lab = try DemoLabSession("displaced-smoke", extra: "smoke.ssh_port: 22\n")
        defer { lab.cloud.shutdown() }
        let outcome = try await Self.runDisplaced("exercise-cloud", engine: lab.engine, catalog: lab.catalog)
        XCTAssertEqual(lab.cloud.serversCreated, 0, outcome)
    }
}
