import Foundation
import StepEngine

/// A session opened for work: its engine, the answers resolved by precedence and stored, the secrets found kept in
/// memory. Every front end opens a session this one way.
public struct OpenedSession {
    public let engine: Engine
    public let resolution: AnswerResolution
    /// Finished steps that the stored answers made stale.
    public let stale: [String]

    /// Opens `session`: the answers file over what is stored, defaults and derivations under them; `event` names the change in the journal.
    public init(_ session: SessionRecord, store: StateStore, catalog: WizardCatalog, file: AnswersFile? = nil, event: EventKind) throws {
        engine = Engine(store: store, plan: catalog.plan, session: session)
        resolution = try AnswerResolution.resolve(catalog: catalog, file: file, stored: try engine.storedAnswers())
        for (key, secret) in resolution.secrets { try engine.setSecret(secret, for: key, generated: resolution.generatedSecrets.contains(key)) }
        stale = try engine.setAnswers(resolution.toStore, event: event)
    }
}
