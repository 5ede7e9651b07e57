import DemoCloud
import Foundation
import StepEngine
import TestSupport
import Wizard
import XCTest

/// With Atmosphere on another server, `apply` reads each step's STEP.txt from the outputs folder as what the server
/// printed: the prerequisites refuse a folder another user may write to, and accept the operator's own.
final class OutputsFolderCheckTests: XCTestCase {
    func findings(outputs: String) async throws -> [Finding] {
        let lab = try DemoLabSession("outputs-folder", extra: "atmosphere.remote: true\natmosphere.remote_outputs: \(outputs)\n")
        defer { lab.cloud.shutdown() }
        let screen = try XCTUnwrap(lab.catalog.screen("prerequisites"))
        guard case let .finished(result) = try await StepExecution.execute(screen, engine: lab.engine, catalog: lab.catalog, remoteOutput: "")
        else {
            XCTFail("the step reads the (empty) output")
            throw XCTSkip()
        }
        return result.findings.filter { $0.checkID == "atmosphere.outputs-folder" }
    }

    func testAFolderOthersMayWriteToIsRefused() async throws {
        let outputs = TestPaths.scratch("shared-outputs")
        chmod(outputs, 0o777)
        let found = try await findings(outputs: outputs)
        XCTAssertEqual(found.map(\.severity), [.failure], "\(found)")
        XCTAssertTrue(found.first?.observed.contains("others may enter it (mode 777)") ?? false, "\(found)")
        XCTAssertTrue(found.first?.observed.contains("apply reads as the Atmosphere server's output") ?? false, "\(found)")
        XCTAssertTrue(found.first?.remedy.contains("chmod 700") ?? false, "\(found)")
    }

    func testTheOperatorsOwnFolderOrNoneYetPasses() async throws {
        let own = TestPaths.scratch("own-outputs")
        chmod(own, 0o700)
        let mine = try await findings(outputs: own)
        XCTAssertEqual(mine.map(\.severity), [.ok], "\(mine)")
        let none = TestPaths.scratch("fresh") + "/outputs"
        let fresh = try await findings(outputs: none)
        XCTAssertEqual(fresh.map(\.severity), [.ok], "\(fresh)")
        // The step saved its block there first: the folder atmo-connect made is the operator's alone.
        XCTAssertTrue(fresh.first?.observed.contains("yours, and nobody else may enter it") ?? false, "\(fresh)")
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: none)[.posixPermissions] as? Int, 0o700)
    }
}
