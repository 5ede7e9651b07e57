import Foundation
import GRDB
import StepEngine
import TestSupport
import XCTest

final class StoreTests: XCTestCase {
    func testDirectoryAndFilesArePrivate() throws {
        let path = TestPaths.scratch("perm") + "/nested/state"
        let store = try StateStore(directory: StateDirectory(path: path))
        try store.createSession(named: "one")
        XCTAssertEqual(try mode(path), 0o700)
        XCTAssertEqual(try mode(path + "/state.db"), 0o600)
        for side in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + "/state.db" + side) {
            XCTAssertEqual(try mode(path + "/state.db" + side) & 0o077, 0, side)
        }
    }

    func testLooseDirectoryIsTightened() throws {
        let path = TestPaths.scratch("loose")
        chmod(path, 0o755)
        _ = try StateStore(directory: StateDirectory(path: path))
        XCTAssertEqual(try mode(path), 0o700)
    }

    func testDefaultLocationFollowsXDG() {
        XCTAssertEqual(
            StateDirectory.resolve(override: nil, environment: ["XDG_STATE_HOME": "/x/state", "HOME": "/h"]).databasePath,
            "/x/state/atmo-connect/state.db")
        XCTAssertEqual(StateDirectory.resolve(override: nil, environment: ["HOME": "/h"]).databasePath, "/h/.local/state/atmo-connect/state.db")
        XCTAssertEqual(StateDirectory.resolve(override: "/o", environment: ["HOME": "/h"]).path, "/o")
    }

    func testWALAndFullSync() throws {
        let path = TestPaths.scratch("wal")
        let store = try StateStore(directory: StateDirectory(path: path))
        try store.createSession(named: "one")
        let queue = try DatabaseQueue(path: path + "/state.db")
        XCTAssertEqual(try queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }, "wal")
        XCTAssertEqual(try store.appliedMigrations(), ["v1-initial", "v2-lock-generation"])
    }

    func testEventLogIsAppendOnly() throws {
        let path = TestPaths.scratch("events")
        let store = try StateStore(directory: StateDirectory(path: path))
        try store.createSession(named: "one")
        let queue = try DatabaseQueue(path: path + "/state.db")
        XCTAssertThrowsError(try queue.write { try $0.execute(sql: "UPDATE event SET detail = 'x'") })
        XCTAssertThrowsError(try queue.write { try $0.execute(sql: "DELETE FROM event") })
        XCTAssertEqual(try store.eventCount(), 1)
    }

    func testSessionsOneCurrent() throws {
        let store = try StateStore(directory: StateDirectory(path: TestPaths.scratch("sessions")))
        try store.createSession(named: "alpha")
        try store.createSession(named: "beta")
        XCTAssertEqual(try store.currentSession()?.name, "beta")
        try store.makeCurrent(named: "alpha")
        XCTAssertEqual(try store.currentSession()?.name, "alpha")
        XCTAssertThrowsError(try store.createSession(named: "alpha")) { XCTAssertEqual($0 as? EngineError, .sessionExists(name: "alpha")) }
        XCTAssertThrowsError(try store.createSession(named: "Bad Name")) { XCTAssertEqual($0 as? EngineError, .invalidSessionName("Bad Name")) }
        XCTAssertThrowsError(try store.makeCurrent(named: "gamma")) { error in
            XCTAssertEqual(error as? EngineError, .sessionNotFound(name: "gamma", known: ["alpha", "beta"]))
        }
    }

    func testArtifactsKeepTheirDigest() throws {
        let path = TestPaths.scratch("artifact")
        let store = try StateStore(directory: StateDirectory(path: path))
        let session = try store.createSession(named: "one")
        let file = path + "/out.txt"
        FileManager.default.createFile(atPath: file, contents: Data("abc".utf8))
        try store.recordArtifact(session: session.id ?? 0, path: file)
        XCTAssertEqual(
            try store.artifacts(session: session.id ?? 0).first?.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testCorruptDatabaseIsReportedWithARemedy() throws {
        let path = TestPaths.scratch("corrupt")
        FileManager.default.createFile(atPath: path + "/state.db", contents: Data(repeating: 0x41, count: 8192))
        XCTAssertThrowsError(try StateStore(directory: StateDirectory(path: path))) { error in
            guard case .stateCorrupt? = error as? EngineError else { return XCTFail("\(error)") }
            XCTAssertTrue((error as? EngineError)?.remedy.contains("mv ") ?? false)
        }
    }

    func testAFileWhereTheDirectoryShouldBeIsRefused() throws {
        let path = TestPaths.scratch("notdir") + "/file"
        FileManager.default.createFile(atPath: path, contents: Data())
        XCTAssertThrowsError(try StateStore(directory: StateDirectory(path: path))) { error in
            XCTAssertEqual(error as? EngineError, .stateDirectoryUnusable(path: path, reason: "it exists and is not a directory"))
        }
    }

    func testSHA256Vectors() {
        XCTAssertEqual(SHA256.hex(Array("".utf8)), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(
            SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(
            SHA256.hex(Array(repeating: UInt8(ascii: "a"), count: 1_000_000)),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    private func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }
}
