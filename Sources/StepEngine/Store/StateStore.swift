import Foundation
import GRDB

/// The SQLite file behind a state directory: the only place SQL is written.
public final class StateStore: Sendable {
    public let directory: StateDirectory
    let pool: DatabasePool
    /// The lock generation this process took, checked inside every write transaction once it holds the lock.
    let fence = Fence()

    /// The generation this process holds, behind a lock (a store is shared across tasks).
    final class Fence: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Int64?
        var generation: Int64? {
            get { lock.lock(); defer { lock.unlock() }; return value }
            set { lock.lock(); defer { lock.unlock() }; value = newValue }
        }
    }

    /// Opens (creating if needed) the state database in `directory`, applying migrations.
    public init(directory: StateDirectory) throws {
        try directory.prepare()
        self.directory = directory
        let path = directory.databasePath
        try StateDirectory.ensurePrivateFile(path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        // Two processes opening a new state directory at once: the second waits here for the first to create and migrate
        // the database (rather than failing in SQLite with "database is locked"), then meets the run lock's own message.
        let gate = open(directory.openLockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard gate >= 0 else { throw EngineError.fileUnwritable(path: directory.openLockPath, reason: String(cString: strerror(errno))) }
        defer { close(gate) }
        while flock(gate, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(gate, LOCK_UN) }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            let unknown = try pool.read { db in try Self.unknownMigrations(db) }
            if !unknown.isEmpty { throw EngineError.stateTooNew(path: path, migrations: unknown) }
            try Self.migrator.migrate(pool)
        } catch {
            throw Self.translate(error, path: path)
        }
    }

    /// Migrations the database has and this build does not know: a newer atmo-connect made it.
    static func unknownMigrations(_ db: Database) throws -> [String] {
        guard try db.tableExists("grdb_migrations") else { return [] }
        let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        let known = Set(migrator.migrations)
        return applied.filter { !known.contains($0) }.sorted()
    }

    /// Runs `body` in an IMMEDIATE transaction, so concurrent writers from other processes queue rather than fail.
    func transaction<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            let held = fence.generation
            return try pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    // A displaced holder's write is refused in the same transaction that would have made it.
                    if let held { try Self.checkFence(db, generation: held, path: directory.databasePath) }
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw EngineError.invalidPlan("transaction produced no result") }
                return result
            }
        } catch {
            throw Self.translate(error, path: directory.databasePath)
        }
    }

    /// Throws `lockLost` unless this process still holds the lock at `generation`.
    static func checkFence(_ db: Database, generation: Int64, path: String) throws {
        let current = try Int64.fetchOne(
            db, sql: "SELECT generation FROM lock WHERE id = 1 AND pid = ? AND host = ?",
            arguments: [ProcessIdentity.pid, ProcessIdentity.host])
        guard current == generation else { throw EngineError.lockLost(path: path) }
    }

    /// Whether this process still holds the lock it took (true when it took none): asked before each call to the cloud.
    public func stillHoldsLock() -> Bool {
        guard let held = fence.generation else { return true }
        return (try? read { db in try Self.checkFence(db, generation: held, path: directory.databasePath) }) != nil
    }

    /// Runs `body` on a read snapshot.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch {
            throw Self.translate(error, path: directory.databasePath)
        }
    }

    /// Names the applied migrations, oldest first.
    public func appliedMigrations() throws -> [String] {
        try read { db in try Self.migrator.appliedMigrations(db) }
    }

    static func translate(_ error: Error, path: String) -> Error {
        if error is EngineError { return error }
        if let database = error as? DatabaseError {
            switch database.resultCode {
            case .SQLITE_NOTADB, .SQLITE_CORRUPT:
                return EngineError.stateCorrupt(
                    path: path, reason: "it is not a valid atmo-connect state database (\(database.message ?? "corrupt"))")
            case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM:
                return EngineError.stateDirectoryUnusable(path: path, reason: database.message ?? "the database cannot be opened for writing")
            case .SQLITE_FULL:
                return EngineError.fileUnwritable(path: path, reason: "the disk is full")
            default:
                break
            }
        }
        return error
    }
}
