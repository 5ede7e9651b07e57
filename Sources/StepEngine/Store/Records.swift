import Foundation
import GRDB

/// One cloud being connected; several may exist, one is current.
public struct SessionRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "session"
    public var id: Int64?
    public var name: String
    public var createdAt: Date
    /// The step the operator had open, so a resume lands there.
    public var openStep: String?

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A stored (never secret) answer.
struct AnswerRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "answer"
    var sessionID: Int64
    var key: String
    var value: String
    var source: AnswerSource
    var updatedAt: Date
}

/// One attempt at a step: `outcome` is nil while it runs, and stays nil if the process died.
public struct AttemptRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "attempt"
    public var id: Int64?
    public var sessionID: Int64
    public var stepID: String
    public var startedAt: Date
    public var endedAt: Date?
    public var outcome: AttemptOutcome?
    public var inputHash: String
    public var message: String
    public var pid: Int32

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A finding as stored, tied to its attempt.
struct FindingRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "finding"
    var id: Int64?
    var attemptID: Int64
    var checkID: String
    var target: String
    var severity: Severity
    var observed: String
    var expected: String
    var remedy: String

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    var finding: Finding {
        Finding(checkID: checkID, target: target, severity: severity, observed: observed, expected: expected, remedy: remedy)
    }
}

/// An entry of the append-only event log.
public struct EventRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "event"
    public var id: Int64?
    public var sessionID: Int64?
    public var at: Date
    public var kind: String
    public var stepID: String?
    public var detail: String

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A file the wizard wrote.
public struct ArtifactRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "artifact"
    public var id: Int64?
    public var sessionID: Int64
    public var path: String
    public var sha256: String
    public var createdAt: Date

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// Who holds the state: one row at most.
public struct LockRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "lock"
    public var id: Int = 1
    public var pid: Int32
    public var host: String
    public var startedAt: Date
    /// The process's start time as the kernel counts it, so a reused pid is not mistaken for the owner.
    public var processStart: String?
    /// Which taking of the lock this is: each one gets the next number, so a displaced holder's writes are refused.
    public var generation: Int64 = 0
}

// The columns queries name, from each record's coding keys: a renamed property cannot leave a query behind.
extension AnswerRecord {
    enum Columns {
        static let sessionID = Column(CodingKeys.sessionID)
    }
}

extension ArtifactRecord {
    /// The columns queries name.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let sessionID = Column(CodingKeys.sessionID)
    }
}

extension AttemptRecord {
    /// The columns queries name.
    public enum Columns {
        public static let endedAt = Column(CodingKeys.endedAt)
        public static let id = Column(CodingKeys.id)
        public static let sessionID = Column(CodingKeys.sessionID)
        public static let stepID = Column(CodingKeys.stepID)
    }
}

extension EventRecord {
    /// The columns queries name.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let kind = Column(CodingKeys.kind)
        public static let sessionID = Column(CodingKeys.sessionID)
        public static let stepID = Column(CodingKeys.stepID)
    }
}

extension FindingRecord {
    enum Columns {
        static let attemptID = Column(CodingKeys.attemptID)
        static let id = Column(CodingKeys.id)
    }
}

extension SessionRecord {
    /// The columns queries name.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let name = Column(CodingKeys.name)
    }
}
