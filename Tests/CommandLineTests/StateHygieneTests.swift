import Foundation
import StepEngine
import TestSupport
import XCTest

/// The state directory is the wizard's own: no symbolic link is followed, another user's directory is refused, a
/// database of a newer schema is left alone, and two processes creating one state directory meet the run lock's message.
final class StateHygieneTests: XCTestCase {
    let binary = TestPaths.executable("atmo-connect")

    func mode(_ path: String) throws -> Int { try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) }

    func testSymbolicLinksAreNeverFollowed() throws {
        for name in ["state.db", "atmo-connect.log"] {
            let state = TestPaths.scratch("links") + "/state"
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let elsewhere = TestPaths.scratch("elsewhere") + "/target"
            FileManager.default.createFile(atPath: elsewhere, contents: Data("someone else's file\n".utf8), attributes: [.posixPermissions: 0o644])
            try FileManager.default.createSymbolicLink(atPath: state + "/" + name, withDestinationPath: elsewhere)
            let run = ChildProcess.run([binary, "status", "--state-dir", state])
            XCTAssertEqual(run.status, 3, "\(name): \(run.output)")
            XCTAssertTrue(run.output.contains("\(name) is a symbolic link"), run.output)
            XCTAssertEqual(try mode(elsewhere), 0o644, "\(name): the target's mode is unchanged")
            XCTAssertEqual(try String(contentsOfFile: elsewhere, encoding: .utf8), "someone else's file\n", "\(name): the target is unchanged")
        }
        let real = TestPaths.scratch("real-state")
        let link = TestPaths.scratch("link-parent") + "/state"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        let linked = ChildProcess.run([binary, "status", "--state-dir", link])
        XCTAssertEqual(linked.status, 3, linked.output)
        XCTAssertTrue(linked.output.contains("is a symbolic link; give its real path"), linked.output)
    }

    func testADatabaseOfANewerSchemaIsLeftAlone() throws {
        let state = TestPaths.scratch("newer") + "/state"
        XCTAssertEqual(ChildProcess.run([binary, "status", "--state-dir", state]).status, 0)
        let database = state + "/state.db"
        let python = AtmosphereTree.python
        let bump = ChildProcess.run([
            python, "-c",
            "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute(\"INSERT INTO grdb_migrations VALUES ('v99-future')\")\nc.commit()",
            database,
        ])
        XCTAssertEqual(bump.status, 0, bump.output)
        // Its contents, as SQLite reads them (a checkpoint may move the write-ahead log into the file without changing them).
        func dump() -> String {
            ChildProcess.run([python, "-c", "import sqlite3, sys\nprint('\\n'.join(sqlite3.connect(sys.argv[1]).iterdump()))", database]).output
        }
        let before = dump()
        let refused = ChildProcess.run([binary, "apply", "--answers", TestPaths.scratch("a") + "/none.yaml", "--state-dir", state])
        XCTAssertEqual(refused.status, 3, refused.output)
        let status = ChildProcess.run([binary, "status", "--state-dir", state])
        XCTAssertEqual(status.status, 3, status.output)
        XCTAssertTrue(status.output.contains("was made by a newer atmo-connect (schema v99-future"), status.output)
        XCTAssertEqual(dump(), before, "nothing in it changed")
        XCTAssertTrue(before.contains("v99-future"))
    }

    func testTwoProcessesCreatingOneStateDirectoryMeetTheLockNotSQLite() throws {
        let answers = TestPaths.scratch("race") + "/answers.yaml"
        try "session.name: race\n".write(toFile: answers, atomically: true, encoding: .utf8)
        // Without the gate, 4 processes on a new directory hit SQLite's "database is locked" about once in 8 rounds here.
        for round in 0..<16 {
            let state = TestPaths.scratch("race-\(round)") + "/state"
            let started = (0..<4).map { _ in ChildProcess.start([binary, "apply", "--answers", answers, "--until", "welcome", "--state-dir", state]) }
            for finished in started.map({ $0.wait() }) {
                XCTAssertFalse(finished.output.contains("database is locked") || finished.output.contains("SQLite error"), finished.output)
                XCTAssertTrue(
                    finished.status == 0 || (finished.status == 3 && finished.output.contains("Another atmo-connect")),
                    "round \(round): \(finished.status) \(finished.output)")
            }
        }
    }
}
