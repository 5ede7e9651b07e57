import Foundation
import GRDB

extension StateStore {
    /// A valid session name: lowercase letters, digits and dashes.
    public static func isValidSessionName(_ name: String) -> Bool {
        guard (1...63).contains(name.count), let first = name.unicodeScalars.first,
            CharacterSet.lowercaseLetters.contains(first) || CharacterSet.decimalDigits.contains(first)
        else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// Every session, oldest first.
    public func sessions() throws -> [SessionRecord] {
        try read { db in try SessionRecord.order(SessionRecord.Columns.id).fetchAll(db) }
    }

    /// The session with this name, if any.
    public func session(named name: String) throws -> SessionRecord? {
        try read { db in try SessionRecord.filter(SessionRecord.Columns.name == name).fetchOne(db) }
    }

    /// The current session, if one was chosen.
    public func currentSession() throws -> SessionRecord? {
        try read { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM setting WHERE key = 'current-session'") else { return nil }
            return try SessionRecord.fetchOne(db, key: id)
        }
    }

    /// Creates a session and makes it current.
    @discardableResult
    public func createSession(named name: String) throws -> SessionRecord {
        guard Self.isValidSessionName(name) else { throw EngineError.invalidSessionName(name) }
        return try transaction { db in
            if try SessionRecord.filter(SessionRecord.Columns.name == name).fetchCount(db) > 0 { throw EngineError.sessionExists(name: name) }
            var record = SessionRecord(id: nil, name: name, createdAt: Date(), openStep: nil)
            try record.insert(db)
            let id = record.id ?? 0
            try Self.setCurrent(db, id: id)
            try Self.append(db, session: id, kind: .sessionCreated, step: nil, detail: name)
            return record
        }
    }

    /// Makes the named session current.
    @discardableResult
    public func makeCurrent(named name: String) throws -> SessionRecord {
        try transaction { db in
            guard let record = try SessionRecord.filter(SessionRecord.Columns.name == name).fetchOne(db), let id = record.id else {
                let known = try String.fetchAll(db, sql: "SELECT name FROM session ORDER BY id")
                throw EngineError.sessionNotFound(name: name, known: known)
            }
            try Self.setCurrent(db, id: id)
            try Self.append(db, session: id, kind: .sessionSelected, step: nil, detail: name)
            return record
        }
    }

    /// Remembers which step the operator has open, for resume.
    public func setOpenStep(_ step: String?, session: Int64) throws {
        try transaction { db in
            try db.execute(sql: "UPDATE session SET openStep = ? WHERE id = ?", arguments: [step, session])
        }
    }

    static func setCurrent(_ db: Database, id: Int64) throws {
        try db.execute(
            sql: "INSERT INTO setting(key, value) VALUES ('current-session', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            arguments: [String(id)])
    }
}
