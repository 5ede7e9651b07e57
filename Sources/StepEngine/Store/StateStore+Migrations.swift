import GRDB

extension StateStore {
    /// The schema's migrations, by name. A migration is never edited once landed: add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-initial") { db in
            try db.execute(
                sql: """
                    CREATE TABLE session (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL UNIQUE,
                        createdAt DATETIME NOT NULL,
                        openStep TEXT
                    );
                    CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    CREATE TABLE answer (
                        sessionID INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
                        key TEXT NOT NULL,
                        value TEXT NOT NULL,
                        source TEXT NOT NULL CHECK (source IN ('answers-file', 'typed', 'derived', 'generated', 'default')),
                        updatedAt DATETIME NOT NULL,
                        PRIMARY KEY (sessionID, key)
                    );
                    CREATE TABLE attempt (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        sessionID INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
                        stepID TEXT NOT NULL,
                        startedAt DATETIME NOT NULL,
                        endedAt DATETIME,
                        outcome TEXT CHECK (outcome IN ('passed', 'warned', 'failed', 'skipped', 'interrupted')),
                        inputHash TEXT NOT NULL,
                        message TEXT NOT NULL,
                        pid INTEGER NOT NULL
                    );
                    CREATE INDEX attempt_by_step ON attempt(sessionID, stepID, id);
                    CREATE TABLE finding (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        attemptID INTEGER NOT NULL REFERENCES attempt(id) ON DELETE CASCADE,
                        checkID TEXT NOT NULL,
                        target TEXT NOT NULL,
                        severity TEXT NOT NULL CHECK (severity IN ('ok', 'info', 'warning', 'failure')),
                        observed TEXT NOT NULL,
                        expected TEXT NOT NULL,
                        remedy TEXT NOT NULL
                    );
                    CREATE INDEX finding_by_attempt ON finding(attemptID);
                    CREATE TABLE event (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        sessionID INTEGER,
                        at DATETIME NOT NULL,
                        kind TEXT NOT NULL,
                        stepID TEXT,
                        detail TEXT NOT NULL
                    );
                    CREATE INDEX event_by_session ON event(sessionID, id);
                    CREATE TRIGGER event_no_update BEFORE UPDATE ON event
                        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
                    CREATE TRIGGER event_no_delete BEFORE DELETE ON event
                        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
                    CREATE TABLE artifact (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        sessionID INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
                        path TEXT NOT NULL,
                        sha256 TEXT NOT NULL,
                        createdAt DATETIME NOT NULL
                    );
                    CREATE TABLE lock (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        pid INTEGER NOT NULL,
                        host TEXT NOT NULL,
                        startedAt DATETIME NOT NULL,
                        processStart TEXT
                    );
                    """)
        }
        // The fence: every taking of the lock gets a new generation, and each write checks it still holds it.
        migrator.registerMigration("v2-lock-generation") { db in
            try db.execute(
                sql: """
                    ALTER TABLE lock ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
                    CREATE TABLE fence (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL);
                    INSERT INTO fence (id, generation) VALUES (1, 0);
                    """)
        }
        return migrator
    }
}
