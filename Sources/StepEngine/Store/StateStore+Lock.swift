import Foundation
import GRDB

/// How the lock was obtained.
public enum LockAcquisition: Sendable, Equatable {
    case fresh
    /// The previous holder on this host was gone; its unfinished attempts were marked interrupted.
    case tookOver(from: LockRecord, interruptedAttempts: Int)
    /// `--force-unlock`: a holder that looked alive (or lived on another host) was displaced.
    case forced(from: LockRecord, interruptedAttempts: Int)
}

extension StateStore {
    /// The lock's current holder, if any.
    public func lockHolder() throws -> LockRecord? {
        try read { db in try LockRecord.fetchOne(db, key: 1) }
    }

    /// Whether the lock is held by a live process (on another host, assumed live).
    public func lockHolderIsLive() throws -> Bool {
        guard let holder = try lockHolder() else { return false }
        return Self.isLive(holder)
    }

    /// Takes the lock for this process, taking it over from a dead holder on this host; `force` displaces a live one.
    /// Unfinished attempts of a previous holder are closed as interrupted in the same transaction.
    public func acquireLock(force: Bool = false) throws -> LockAcquisition {
        var me = LockRecord(
            pid: ProcessIdentity.pid, host: ProcessIdentity.host, startedAt: Date(),
            processStart: ProcessIdentity.startTime(of: ProcessIdentity.pid))
        fence.generation = nil
        let outcome: LockAcquisition = try transaction { db in
            let holder = try LockRecord.fetchOne(db, key: 1)
            var outcome = LockAcquisition.fresh
            if let holder, !(holder.pid == me.pid && holder.host == me.host) {
                if Self.isLive(holder) && !force {
                    throw EngineError.stateLocked(path: directory.databasePath, pid: holder.pid, host: holder.host, since: holder.startedAt)
                }
                let interrupted = try Self.interruptOpenAttempts(
                    db, reason: "the process holding the state (pid \(holder.pid)) ended while the step ran")
                outcome =
                    Self.isLive(holder)
                    ? .forced(from: holder, interruptedAttempts: interrupted)
                    : .tookOver(from: holder, interruptedAttempts: interrupted)
                try Self.append(
                    db, session: nil, kind: force ? .lockForced : .lockTakenOver, step: nil,
                    detail: "from pid \(holder.pid) on \(holder.host); \(interrupted) attempts interrupted")
            } else if holder == nil {
                // A clean release leaves no open attempts, but a crash between release and exit could.
                let interrupted = try Self.interruptOpenAttempts(db, reason: "the process ended while the step ran")
                if interrupted > 0 {
                    try Self.append(db, session: nil, kind: .attemptsInterrupted, step: nil, detail: "\(interrupted) attempts")
                }
            }
            // The next generation: a holder it displaced fails its next write.
            try db.execute(sql: "UPDATE fence SET generation = generation + 1 WHERE id = 1")
            me.generation = try Int64.fetchOne(db, sql: "SELECT generation FROM fence WHERE id = 1") ?? 1
            try me.save(db)
            return outcome
        }
        fence.generation = me.generation
        return outcome
    }

    /// Gives the lock up, if this process holds it.
    /// A displaced holder releases nothing: the row is another holder's generation by then.
    public func releaseLock() throws {
        let held = fence.generation ?? -1
        fence.generation = nil
        try transaction { db in
            try db.execute(
                sql: "DELETE FROM lock WHERE id = 1 AND pid = ? AND host = ? AND generation = ?",
                arguments: [ProcessIdentity.pid, ProcessIdentity.host, held])
        }
    }

    static func isLive(_ holder: LockRecord) -> Bool {
        guard holder.host == ProcessIdentity.host else { return true }
        return ProcessIdentity.isAlive(pid: holder.pid, start: holder.processStart)
    }

    private static func interruptOpenAttempts(_ db: Database, reason: String) throws -> Int {
        let open = try AttemptRecord.filter(AttemptRecord.Columns.endedAt == nil).fetchAll(db)
        for attempt in open {
            try db.execute(
                sql: "UPDATE attempt SET endedAt = ?, outcome = 'interrupted', message = ? WHERE id = ?",
                arguments: [Date(), "interrupted: \(reason); run it again to check what it did", attempt.id])
            try append(
                db, session: attempt.sessionID, kind: .stepInterrupted, step: attempt.stepID,
                detail: "attempt \(attempt.id ?? 0)")
        }
        return open.count
    }
}
