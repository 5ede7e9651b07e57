import Foundation
import GRDB

extension StateStore {
    /// Appends to the event log.
    public func appendEvent(session: Int64?, kind: EventKind, step: String? = nil, detail: String) throws {
        try transaction { db in try Self.append(db, session: session, kind: kind, step: step, detail: detail) }
    }

    /// The newest events, newest last.
    public func events(session: Int64?, limit: Int = 100) throws -> [EventRecord] {
        try read { db in
            var request = EventRecord.all()
            if let session { request = request.filter(EventRecord.Columns.sessionID == session) }
            return try request.order(EventRecord.Columns.id.desc).limit(limit).fetchAll(db).reversed()
        }
    }

    /// The newest event of `kind` for `step` in a session, if any.
    public func latestEvent(session: Int64?, kind: EventKind, step: String) throws -> EventRecord? {
        try read { db in
            try EventRecord.filter(
                EventRecord.Columns.sessionID == session && EventRecord.Columns.kind == kind.rawValue && EventRecord.Columns.stepID == step
            )
            .order(EventRecord.Columns.id.desc).fetchOne(db)
        }
    }

    /// Every event of `kind` for `step` in a session, oldest first.
    public func events(session: Int64?, kind: EventKind, step: String) throws -> [EventRecord] {
        try read { db in
            try EventRecord.filter(
                EventRecord.Columns.sessionID == session && EventRecord.Columns.kind == kind.rawValue && EventRecord.Columns.stepID == step
            )
            .order(EventRecord.Columns.id).fetchAll(db)
        }
    }

    /// How many events the log holds.
    public func eventCount() throws -> Int {
        try read { db in try EventRecord.fetchCount(db) }
    }

    /// Records a file the wizard wrote, with its digest.
    @discardableResult
    public func recordArtifact(session: Int64, path: String) throws -> ArtifactRecord {
        let digest = try SHA256.hex(ofFileAt: path)
        return try transaction { db in
            var record = ArtifactRecord(id: nil, sessionID: session, path: path, sha256: digest, createdAt: Date())
            try record.insert(db)
            try Self.append(db, session: session, kind: .artifactWritten, step: nil, detail: "\(path) sha256 \(digest)")
            return record
        }
    }

    /// The files a session wrote.
    public func artifacts(session: Int64) throws -> [ArtifactRecord] {
        try read { db in try ArtifactRecord.filter(ArtifactRecord.Columns.sessionID == session).order(ArtifactRecord.Columns.id).fetchAll(db) }
    }

    static func append(_ db: Database, session: Int64?, kind: EventKind, step: String?, detail: String) throws {
        var event = EventRecord(
            id: nil, sessionID: session, at: Date(), kind: kind.rawValue, stepID: step,
            detail: Redactor.shared.redact(detail))
        try event.insert(db)
    }
}
