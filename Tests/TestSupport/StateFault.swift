import Foundation

/// A write failure injected into a state database, as a full disk or a damaged file would make it: every insert of an
/// event of one kind (or of any artifact) is refused by SQLite, while everything else still works.
public enum StateFault {
    /// Makes `database` refuse to record events of `kind` (its raw value, "cloud-intent"), with SQLite's words for a
    /// full disk.
    public static func refuseEvents(_ kind: String, in database: String) throws {
        try install(
            "CREATE TRIGGER refuse_\(kind.replacingOccurrences(of: "-", with: "_")) BEFORE INSERT ON event WHEN NEW.kind = '\(kind)' "
                + "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
            in: database)
    }

    /// Makes `database` refuse to record any file written.
    public static func refuseArtifacts(in database: String) throws {
        try install("CREATE TRIGGER refuse_artifacts BEFORE INSERT ON artifact BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;", in: database)
    }

    private static func install(_ statement: String, in database: String) throws {
        let run = ChildProcess.run([
            "/usr/bin/python3", "-c", "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute(sys.argv[2])\nc.commit()", database, statement,
        ])
        guard run.status == 0 else { throw NSError(domain: "StateFault", code: Int(run.status), userInfo: [NSLocalizedDescriptionKey: run.output]) }
    }
}
