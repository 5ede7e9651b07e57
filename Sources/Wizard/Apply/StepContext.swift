import CloudProbe
import Foundation
import StepEngine

/// One run of one step, as its capabilities see it: the session's answers read once as the run starts (a failed read is
/// a failure naming it, never the code's own defaults), the secrets in memory, the journal, and what the operator
/// pasted back from the Atmosphere server.
struct StepContext: Sendable {
    let engine: Engine
    let catalog: WizardCatalog
    let screen: Screen
    /// The answers as this run started, over the screens' own defaults.
    let answers: AnswerReader
    /// What the operator pasted back from the Atmosphere server.
    let remoteOutput: String?
    /// Whether an output saved in the outputs folder (STEP.txt) answers a block, as `apply` reads them.
    let readsSavedOutputs: Bool
    /// What more than one capability of the step shares (one cloud verification, one Keystone session).
    let shared = SharedObservations()
    /// Hears a line of the step's progress as it works (user 12 of 1,000): apply prints it, the wizard shows it.
    let progress: @Sendable (String) -> Void

    /// The context for a run of `screen`, reading the answers now.
    init(
        screen: Screen, engine: Engine, catalog: WizardCatalog, remoteOutput: String? = nil, readsSavedOutputs: Bool = false,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) throws(FindingError) {
        self.progress = progress
        self.screen = screen
        self.engine = engine
        self.catalog = catalog
        self.remoteOutput = remoteOutput
        self.readsSavedOutputs = readsSavedOutputs
        answers = try Self.answers(engine)
    }

    /// Whether Atmosphere runs on another server in this session.
    var isRemote: Bool { answers.isRemote }

    /// The reader an `Inputs` declaration of `owner` decodes from.
    func reader(for owner: some FindingOwner) -> InputReader {
        let engine = engine
        return InputReader(answers: answers, owner: owner, secrets: { engine.secret(for: $0) }, generated: { engine.secretWasGenerated($0) })
    }

    /// The step's journal, failures reported as `owner`'s.
    func journal(_ owner: some FindingOwner) -> Journal { Journal(engine: engine, step: screen.id, owner: owner) }

    /// The force-unlock fence, failures reported as `owner`'s.
    func fence(_ owner: some FindingOwner) -> Fence { Fence(store: engine.store, owner: owner) }

    /// What the Atmosphere server printed for `instructions`: pasted back, or (for `apply`) saved in the outputs
    /// folder and answering this block; nil while the operator has still to run it.
    func output(answering instructions: RemoteInstructions) -> String? {
        if let remoteOutput { return remoteOutput }
        guard readsSavedOutputs, let text = RemoteOutbox(answers).savedOutput(answering: instructions), instructions.isAnswered(by: text) else {
            return nil
        }
        return text
    }

    /// The answers now, over the screens' own defaults (the only place defaults live): for readers outside a run.
    static func answers(_ engine: Engine) throws(FindingError) -> AnswerReader {
        do {
            var values = try engine.answerValues()
            for input in engine.plan.inputs where values[input.key] == nil {
                if let value = input.staticDefault { values[input.key] = value }
            }
            return AnswerReader(answers: values)
        } catch {
            throw FindingSource.state.refusal(
                target: "the state database",
                observed: "the session's answers cannot be read: \(Redactor.shared.redact(String(describing: error)))",
                remedy: "Nothing was done. Check the state directory (atmo-connect status names it; the disk, its permissions), then run this step again.")
        }
    }
}

/// What one verification of the cloud found: the findings of all its checks, and each endpoint's TLS as seen.
struct CloudObservation: Sendable {
    var findings: [Finding]
    var tls: [TLSReport]
}

/// What a step's capabilities observe once and share, computed on first use.
actor SharedObservations {
    private var cloud: CloudObservation?
    private var keystone: Result<(session: KeystoneSession, client: HTTPClient), any Error>?

    /// The cloud verification: run once for the step, whichever of its checks asks first.
    func cloud(_ compute: @Sendable () async -> CloudObservation) async -> CloudObservation {
        if let cloud { return cloud }
        let found = await compute()
        cloud = found
        return found
    }

    /// The operator's Keystone session: one login for the run, whichever capability asks first (a failed login is
    /// not tried again within the run).
    func keystone(
        _ login: @Sendable () async throws -> (session: KeystoneSession, client: HTTPClient)
    ) async throws -> (session: KeystoneSession, client: HTTPClient) {
        if let keystone { return try keystone.get() }
        let result: Result<(session: KeystoneSession, client: HTTPClient), any Error>
        do { result = .success(try await login()) } catch { result = .failure(error) }
        keystone = result
        return try result.get()
    }
}
