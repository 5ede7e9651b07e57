import AtmoModel
import AtmosphereKit
import Foundation
import TestSupport
import XCTest

/// The runtime files of Atmosphere's scripts (their ledger, their temporary folders) live only in a directory that is
/// ours; a script whose record cannot be kept does not run on unknown to the next sweep.
final class ChildLedgerTests: XCTestCase {
    /// Every test of this class points the ledger elsewhere; the test process's own folder serves the rest.
    override func tearDown() { try? ChildLedger.use(directory: TestPaths.root + "/runtime") }

    func testADirectoryThatIsNotOursIsRefusedAndNotTouched() throws {
        let open = TestPaths.scratch("ledger-open")
        chmod(open, 0o777)
        XCTAssertThrowsError(try ChildLedger.use(directory: open)) { error in
            XCTAssertTrue("\(error)".contains("others may enter it (mode 777)"), "\(error)")
        }
        var info = stat()
        XCTAssertEqual(stat(open, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o777, "refused, not tightened or taken over")
        let target = TestPaths.scratch("ledger-target")
        let link = TestPaths.scratch("ledger-link") + "/run"
        XCTAssertEqual(symlink(target, link), 0)
        XCTAssertThrowsError(try ChildLedger.use(directory: link)) { error in
            XCTAssertTrue("\(error)".contains("is a symbolic link to \(target)"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: target), [], "nothing written through the link")
    }

    /// The records' folder opened to others after the ledger was set up: the script is ended before it does anything
    /// and the run fails, naming the folder.
    func testAScriptWhoseRecordCannotBeKeptIsEndedAndTheRunFails() throws {
        let runtime = TestPaths.scratch("ledger-runtime") + "/run"
        try ChildLedger.use(directory: runtime)
        XCTAssertEqual(mkdir(runtime + "/children", 0o700), 0)
        chmod(runtime + "/children", 0o777)
        let marker = TestPaths.scratch("ledger-marker") + "/ran"
        let output = TestPaths.scratch("ledger-output") + "/out.txt"
        XCTAssertThrowsError(
            try ProcessSpawner.runToCompletion(
                ["/bin/sh", "-c", "sleep 1; touch \(marker)"], environment: [:], outputPath: output, timeout: 10, name: "the marker script")
        ) { error in
            guard case let .cannotStart(name, reason)? = error as? ScriptError else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "the marker script")
            XCTAssertTrue(reason.contains(runtime + "/children") && reason.contains("others may enter it"), reason)
        }
        usleep(1_500_000)
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "the script was ended before it got there")
    }
}

/// A child gets the descriptors it is given and no other of this process's: not the state database, not a listening
/// socket (a child holding one keeps it listening after this process closed it, accepting for nobody).
final class InheritedDescriptorTests: XCTestCase {
    func testAChildGetsNoDescriptorOfOurs() throws {
        let path = TestPaths.scratch("fds") + "/open.txt"
        FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
        let held = open(path, O_RDONLY)  // no O_CLOEXEC, as a library's descriptor may be
        XCTAssertGreaterThan(held, 2)
        defer { close(held) }
        let output = TestPaths.scratch("fds-out") + "/out.txt"
        let status = try ProcessSpawner.runToCompletion(
            ["/bin/sh", "-c", "ls /proc/$$/fd"], environment: [:], outputPath: output, timeout: 10, name: "the descriptor list")
        XCTAssertEqual(status, 0)
        let descriptors = try String(contentsOfFile: output, encoding: .utf8).split(whereSeparator: \.isWhitespace).compactMap { Int32($0) }
        XCTAssertFalse(descriptors.contains(held), "descriptor \(held) of ours reached the child: \(descriptors)")
    }
}
