import Foundation
import StepEngine
import Wizard

/// `status --json` and `sessions --json`: one JSON document for scripts, with the raw status words
/// (pending, running, passed, warned, failed, skipped, stale, blocked) and ISO 8601 times. Keys are snake_case, as in
/// `check --json` and OpenStack's own APIs; `format` names the document and its version (2: snake_case keys; 1 was
/// camelCase and had no `format`).
struct StatusDocument: Encodable {
    /// A session, as `sessions --json` lists it.
    struct Session: Encodable {
        var name: String
        var current: Bool
        var createdAt: Date
        var openStep: String?
    }

    /// The process holding the state, if any.
    struct Holder: Encodable {
        var pid: Int32
        var host: String
        var live: Bool
    }

    /// The last attempt of a step.
    struct Attempt: Encodable {
        var startedAt: Date
        var endedAt: Date?
        var outcome: String
        var message: String
    }

    /// One step of the shown session.
    struct Step: Encodable {
        var id: String
        var title: String
        var required: Bool
        var status: StepStatus
        var reason: String?
        var lastAttempt: Attempt?
        var worstFinding: String?
    }

    var format = "atmo-connect-status/2"
    var state: String
    var sessions: [Session]
    var inUseBy: Holder?
    /// The session the steps are of (absent when there is none yet).
    var session: String?
    var steps: [Step]?
    /// Test mode: the http endpoints credentials are sent to in clear (absent outside test mode).
    var testModePlainHTTP: [String]?

    /// The sessions of a store, the current one marked.
    static func sessions(of store: StateStore) throws -> [Session] {
        let current = try store.currentSession()?.id
        return try store.sessions().map { Session(name: $0.name, current: $0.id == current, createdAt: $0.createdAt, openStep: $0.openStep) }
    }

    /// The steps of a session, as the table shows them.
    static func steps(_ states: [StepState], catalog: WizardCatalog) -> [Step] {
        states.map { state in
            Step(
                id: state.stepID, title: catalog.screen(state.stepID)?.title ?? state.stepID,
                required: catalog.screen(state.stepID)?.required ?? true, status: state.status, reason: state.reason,
                lastAttempt: state.lastAttempt.map {
                    Attempt(startedAt: $0.startedAt, endedAt: $0.endedAt, outcome: $0.outcome?.rawValue ?? "unfinished", message: $0.message)
                }, worstFinding: state.worstSeverity?.rawValue)
        }
    }

    /// Prints a document as pretty, sorted JSON; an encoding failure is an error, never an empty document.
    static func print<Document: Encodable>(_ document: Document) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = try encoder.encode(document)
        Swift.print(String(decoding: data, as: UTF8.self))
    }
}

/// The document `sessions --json` prints.
struct SessionsDocument: Encodable {
    var format = "atmo-connect-sessions/2"
    var state: String
    var sessions: [StatusDocument.Session]
}
