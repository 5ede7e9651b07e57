import Foundation
import GRDB

extension StateStore {
    /// The stored answers of a session.
    public func answers(session: Int64) throws -> [String: Answer] {
        try read { db in
            let records = try AnswerRecord.filter(AnswerRecord.Columns.sessionID == session).fetchAll(db)
            var result: [String: Answer] = [:]
            for record in records {
                guard let value = AnswerValue(jsonText: record.value) else {
                    throw EngineError.stateCorrupt(path: directory.databasePath, reason: "the stored answer \(record.key) is not readable")
                }
                result[record.key] = Answer(key: record.key, value: value, source: record.source, updatedAt: record.updatedAt)
            }
            return result
        }
    }

    /// Stores answers in one transaction. Callers must never pass a secret: `Engine` checks this against the plan.
    func storeAnswers(_ answers: [Answer], session: Int64, event: EventKind) throws {
        try transaction { db in
            for answer in answers {
                var record = AnswerRecord(
                    sessionID: session, key: answer.key, value: answer.value.jsonText,
                    source: answer.source, updatedAt: answer.updatedAt)
                try record.upsert(db)
            }
            let keys = answers.map { "\($0.key) (\($0.source.rawValue))" }.joined(separator: ", ")
            try Self.append(db, session: session, kind: event, step: nil, detail: keys)
        }
    }

    /// Forgets answers (never the event that recorded them).
    func removeAnswers(_ keys: [String], session: Int64) throws {
        try transaction { db in
            for key in keys {
                try db.execute(sql: "DELETE FROM answer WHERE sessionID = ? AND key = ?", arguments: [session, key])
            }
            try Self.append(db, session: session, kind: .answersRemoved, step: nil, detail: keys.joined(separator: ", "))
        }
    }
}
