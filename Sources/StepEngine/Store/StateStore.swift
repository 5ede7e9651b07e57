import Foundation
import GRDB

/// The SQLite file behind a state directory: the only place SQL is written.
public final class StateStore: Sendable {
    public let directory: StateDirectory
    let pool: DatabasePool

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
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw Self.translate(error, path: path)
        }
    }

    /// Runs `body` in an IMMEDIATE transaction, so concurrent writers from other processes queue rather than fail.
    func transaction<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
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
                return EngineError.stateCorrupt(path: path, reason: "it is not a valid atmo-connect state database (\(database.message ?? "corrupt"))")
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
