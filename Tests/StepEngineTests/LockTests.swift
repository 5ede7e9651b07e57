import Foundation
import StepEngine
import TestSupport
import XCTest

final class LockTests: XCTestCase {
    let harness = TestPaths.executable("engine-harness")

    /// A child process holding the lock on a fresh state, and this process's store on the same state.
    private func startHolder() throws -> (ChildProcess.Running, StateStore) {
        let path = TestPaths.scratch("lock")
        let holder = ChildProcess.start([harness, "hold-lock", path])
        XCTAssertTrue(holder.waitForOutput("LOCKED"), holder.output)
        return (holder, try StateStore(directory: StateDirectory(path: path)))
    }

    func testASecondProcessIsRefusedWhileTheFirstLives() throws {
        let (holder, store) = try startHolder()
        defer { kill(holder.pid, SIGKILL); _ = holder.wait() }
        XCTAssertThrowsError(try store.acquireLock()) { error in
            guard case let .stateLocked(_, pid, host, _)? = error as? EngineError else { return XCTFail("\(error)") }
            XCTAssertEqual(pid, holder.pid)
            XCTAssertEqual(host, ProcessIdentity.host)
            XCTAssertTrue((error as? EngineError)?.remedy.contains("--force-unlock") ?? false)
        }
        XCTAssertTrue(try store.lockHolderIsLive())
    }

    func testADeadHoldersLockIsTakenOver() throws {
        let (holder, store) = try startHolder()
        kill(holder.pid, SIGKILL)
        XCTAssertEqual(holder.wait().signal, SIGKILL)
        XCTAssertFalse(try store.lockHolderIsLive())
        guard case let .tookOver(previous, _) = try store.acquireLock() else { return XCTFail("expected a take-over") }
        XCTAssertEqual(previous.pid, holder.pid)
        XCTAssertEqual(try store.lockHolder()?.pid, getpid())
        XCTAssertTrue(try store.events(session: nil).contains { $0.kind == "lock-taken-over" })
        try store.releaseLock()
        XCTAssertNil(try store.lockHolder())
    }

    func testForceDisplacesALiveHolder() throws {
        let (holder, store) = try startHolder()
        defer { kill(holder.pid, SIGKILL); _ = holder.wait() }
        guard case .forced = try store.acquireLock(force: true) else { return XCTFail("expected forced") }
        XCTAssertEqual(try store.lockHolder()?.pid, getpid())
    }

    func testAReusedPidIsNotMistakenForTheHolder() throws {
        // Our parent's pid with another start time: a process that died and whose pid was reused.
        XCTAssertFalse(ProcessIdentity.isAlive(pid: getppid(), start: "1"))
        XCTAssertFalse(ProcessIdentity.isAlive(pid: Int32.max - 1, start: nil), "no such process")
        XCTAssertTrue(ProcessIdentity.isAlive(pid: getpid(), start: ProcessIdentity.startTime(of: getpid())))
    }

    /// The fence: once another holder took the lock (a new generation), the displaced store's next write is refused in
    /// the transaction that would have made it, and it says so; the new holder writes on.
    func testADisplacedHolderCannotWrite() throws {
        let path = TestPaths.scratch("fence")
        let displaced = try StateStore(directory: StateDirectory(path: path))
        XCTAssertEqual(try displaced.acquireLock(), .fresh)
        let session = try displaced.createSession(named: "one")
        XCTAssertTrue(displaced.stillHoldsLock())
        let taker = try StateStore(directory: StateDirectory(path: path))
        _ = try taker.acquireLock(force: true)
        XCTAssertFalse(displaced.stillHoldsLock())
        XCTAssertThrowsError(try displaced.appendEvent(session: session.id, kind: EventKind(rawValue: "late"), detail: "after the take-over")) {
            error in
            guard case .lockLost? = error as? EngineError else { return XCTFail("\(error)") }
            XCTAssertTrue((error as? EngineError)?.message.contains("took over the state") ?? false)
        }
        XCTAssertFalse(try taker.events(session: session.id, limit: 100).contains { $0.kind == "late" }, "nothing was written")
        XCTAssertNoThrow(try taker.appendEvent(session: session.id, kind: EventKind(rawValue: "mine"), detail: "the new holder writes"))
        try displaced.releaseLock()
        XCTAssertEqual(try taker.lockHolder()?.generation, 2, "the displaced release leaves the new holder's lock in place")
    }
}
