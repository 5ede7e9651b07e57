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

    /// `apply` reads a saved STEP.txt only once its block was shown (saved as STEP.sh) and only if written after it:
    /// an output put there before, by anyone, answers nothing.
    func testAnOutputSavedBeforeItsBlockWasShownIsNotRead() async throws {
        let outputs = TestPaths.scratch("early-outputs")
        chmod(outputs, 0o700)
        let lab = try DemoLabSession("early-output", extra: "atmosphere.remote: true\natmosphere.remote_outputs: \(outputs)\n")
        defer { lab.cloud.shutdown() }
        let screen = try XCTUnwrap(lab.catalog.screen("prerequisites"))
        try "ATMO-CONNECT-PROBE planted\n".write(toFile: outputs + "/prerequisites.txt", atomically: true, encoding: .utf8)
        guard case let .needsRemoteOutput(instructions) = try await StepExecution.execute(screen, engine: lab.engine, catalog: lab.catalog, readsSavedOutputs: true)
        else { return XCTFail("an output older than its block is not read") }
        XCTAssertEqual(instructions.outputFile, outputs + "/prerequisites.txt")
        let block = try String(contentsOfFile: outputs + "/prerequisites.sh", encoding: .utf8)
        XCTAssertEqual(block, instructions.script + "\n", "the saved block is the one shown")

        // Saved after the block: read, and the step ends with what it says.
        try "whatever the server printed\n".write(toFile: outputs + "/prerequisites.txt", atomically: true, encoding: .utf8)
        guard case let .finished(result) = try await StepExecution.execute(screen, engine: lab.engine, catalog: lab.catalog, readsSavedOutputs: true)
        else { return XCTFail("an output saved after its block is read") }
        XCTAssertTrue(result.findings.contains { $0.checkID == "atmosphere.detect" && $0.observed.contains("no probe lines") }, "\(result.findings)")
    }

    /// A folder others may enter holds no block of ours and is never read from.
    func testAFolderOthersMayEnterIsNeitherWrittenNorRead() async throws {
        let outputs = TestPaths.scratch("open-outputs")
        chmod(outputs, 0o777)
        let lab = try DemoLabSession("open-output", extra: "atmosphere.remote: true\natmosphere.remote_outputs: \(outputs)\n")
        defer { lab.cloud.shutdown() }
        let screen = try XCTUnwrap(lab.catalog.screen("prerequisites"))
        for _ in 0..<2 {
            guard case let .needsRemoteOutput(instructions) = try await StepExecution.execute(screen, engine: lab.engine, catalog: lab.catalog, readsSavedOutputs: true)
            else { return XCTFail("nothing is read from a folder others may enter") }
            XCTAssertNil(instructions.outputFile)
            XCTAssertTrue(instructions.notes.contains { $0.contains("others may enter it (mode 777)") && $0.contains("no output saved there is read") }, "\(instructions.notes)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: outputs + "/prerequisites.sh"))
            // Another user's output, written there "after" the block: still not read.
            try "ATMO-CONNECT-PROBE planted\n".write(toFile: outputs + "/prerequisites.txt", atomically: true, encoding: .utf8)
        }
    }
}
