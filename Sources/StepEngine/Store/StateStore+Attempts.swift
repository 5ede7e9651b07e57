import Foundation
import GRDB

extension StateStore {
    /// Records that a step is about to act, in its own committed transaction, before any side effect.
    public func beginAttempt(session: Int64, step: String, inputHash: String) throws -> AttemptRecord {
        try transaction { db in
            var record = AttemptRecord(
                id: nil, sessionID: session, stepID: step, startedAt: Date(), endedAt: nil,
                outcome: nil, inputHash: inputHash, message: "running", pid: ProcessIdentity.pid)
            try record.insert(db)
            try Self.append(db, session: session, kind: .stepStarted, step: step, detail: "attempt \(record.id ?? 0)")
            return record
        }
    }

    /// Records how an attempt ended, with its findings, in its own transaction.
    /// `inputHash`, when given, replaces the one recorded at the start (the step's own observations kept as answers).
    public func finishAttempt(_ attempt: AttemptRecord, result: StepResult, inputHash: String? = nil) throws {
        guard let id = attempt.id else { return }
        try transaction { db in
            try db.execute(
                sql: "UPDATE attempt SET endedAt = ?, outcome = ?, message = ?, inputHash = ? WHERE id = ?",
                arguments: [Date(), result.outcome.rawValue, result.message, inputHash ?? attempt.inputHash, id])
            for finding in result.findings {
                var record = FindingRecord(
                    id: nil, attemptID: id, checkID: finding.checkID, target: finding.target,
                    severity: finding.severity, observed: finding.observed,
                    expected: finding.expected, remedy: finding.remedy)
                try record.insert(db)
            }
            try Self.append(
                db, session: attempt.sessionID, kind: .stepEnded(result.outcome), step: attempt.stepID,
                detail: "attempt \(id): \(result.message)")
        }
    }

    /// The newest attempt of each step in a session, with its worst finding.
    public func latestAttempts(session: Int64) throws -> [String: AttemptSummary] {
        try read { db in
            let attempts = try AttemptRecord.fetchAll(
                db,
                sql: """
                    SELECT * FROM attempt WHERE id IN (SELECT MAX(id) FROM attempt WHERE sessionID = ? GROUP BY stepID)
                    """, arguments: [session])
            var result: [String: AttemptSummary] = [:]
            for attempt in attempts {
                let severities = try String.fetchAll(
                    db, sql: "SELECT DISTINCT severity FROM finding WHERE attemptID = ?",
                    arguments: [attempt.id])
                result[attempt.stepID] = AttemptSummary(attempt: attempt, worstSeverity: severities.compactMap(Severity.init(rawValue:)).max())
            }
            return result
        }
    }

    /// Every attempt of a session (or of one of its steps), oldest first.
    public func attempts(session: Int64, step: String? = nil) throws -> [AttemptRecord] {
        try read { db in
            var request = AttemptRecord.filter(AttemptRecord.Columns.sessionID == session)
            if let step { request = request.filter(AttemptRecord.Columns.stepID == step) }
            return try request.order(AttemptRecord.Columns.id).fetchAll(db)
        }
    }

    /// The findings of one attempt.
    public func findings(attempt: Int64) throws -> [Finding] {
        try read { db in
            try FindingRecord.filter(FindingRecord.Columns.attemptID == attempt).order(FindingRecord.Columns.id).fetchAll(db).map(\.finding)
        }
    }

    /// Forgets the attempts of one step, so it runs afresh; the event log keeps the history.
    public func resetStep(_ step: String, session: Int64) throws -> Int {
        try transaction { db in
            try db.execute(sql: "DELETE FROM attempt WHERE sessionID = ? AND stepID = ?", arguments: [session, step])
            let removed = db.changesCount
            try Self.append(db, session: session, kind: .stepReset, step: step, detail: "\(removed) attempts forgotten")
            return removed
        }
    }

    /// Forgets a session's answers, attempts and artifact records (not the files); the event log keeps the history.
    public func resetSession(_ session: Int64) throws {
        try transaction { db in
            try db.execute(sql: "DELETE FROM attempt WHERE sessionID = ?", arguments: [session])
            let attempts = db.changesCount
            try db.execute(sql: "DELETE FROM answer WHERE sessionID = ?", arguments: [session])
            let answers = db.changesCount
            try db.execute(sql: "DELETE FROM artifact WHERE sessionID = ?", arguments: [session])
            try db.execute(sql: "UPDATE session SET openStep = NULL WHERE id = ?", arguments: [session])
            try Self.append(
                db, session: session, kind: .sessionReset, step: nil,
                detail: "\(attempts) attempts and \(answers) answers forgotten")
        }
    }
}
