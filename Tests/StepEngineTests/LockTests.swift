import Foundation
import StepEngine
import TestSupport
import XCTest

final class LockTests: XCTestCase {
    let harness = TestPaths.executable("engine-harness")

    func testASecondProcessIsRefusedWhileTheFirstLives() throws {
        let path = TestPaths.scratch("lock")
        let holder = ChildProcess.start([harness, "hold-lock", path])
        defer { kill(holder.pid, SIGKILL); _ = holder.wait() }
        XCTAssertTrue(holder.waitForOutput("LOCKED"), holder.output)
        let store = try StateStore(directory: StateDirectory(path: path))
        XCTAssertThrowsError(try store.acquireLock()) { error in
            guard case let .stateLocked(_, pid, host, _)? = error as? EngineError else { return XCTFail("\(error)") }
            XCTAssertEqual(pid, holder.pid)
            XCTAssertEqual(host, ProcessIdentity.host)
            XCTAssertTrue((error as? EngineError)?.remedy.contains("--force-unlock") ?? false)
        }
        XCTAssertTrue(try store.lockHolderIsLive())
    }

    func testADeadHoldersLockIsTakenOver() throws {
        let path = TestPaths.scratch("lock")
        let holder = ChildProcess.start([harness, "hold-lock", path])
        XCTAssertTrue(holder.waitForOutput("LOCKED"), holder.output)
        kill(holder.pid, SIGKILL)
        XCTAssertEqual(holder.wait().signal, SIGKILL)
        let store = try StateStore(directory: StateDirectory(path: path))
        XCTAssertFalse(try store.lockHolderIsLive())
        guard case let .tookOver(previous, _) = try store.acquireLock() else { return XCTFail("expected a take-over") }
        XCTAssertEqual(previous.pid, holder.pid)
        XCTAssertEqual(try store.lockHolder()?.pid, getpid())
        XCTAssertTrue(try store.events(session: nil).contains { $0.kind == "lock-taken-over" })
        try store.releaseLock()
        XCTAssertNil(try store.lockHolder())
    }

    func testForceDisplacesALiveHolder() throws {
        let path = TestPaths.scratch("lock")
        let holder = ChildProcess.start([harness, "hold-lock", path])
        defer { kill(holder.pid, SIGKILL); _ = holder.wait() }
        XCTAssertTrue(holder.waitForOutput("LOCKED"), holder.output)
        let store = try StateStore(directory: StateDirectory(path: path))
        guard case .forced = try store.acquireLock(force: true) else { return XCTFail("expected forced") }
        XCTAssertEqual(try store.lockHolder()?.pid, getpid())
    }

    func testAReusedPidIsNotMistakenForTheHolder() throws {
        // Our parent's pid with another start time: a process that died and whose pid was reused.
        XCTAssertFalse(ProcessIdentity.isAlive(pid: getppid(), start: "1"))
        XCTAssertFalse(ProcessIdentity.isAlive(pid: Int32.max - 1, start: nil), "no such process")
        XCTAssertTrue(ProcessIdentity.isAlive(pid: getpid(), start: ProcessIdentity.startTime(of: getpid())))
    }
}
