import Foundation

/// Named moments of a step run, where crash tests kill the process.
public enum FaultPoint: String, Sendable, CaseIterable {
    case beforeBegin = "before-begin"
    case afterBegin = "after-begin"
    case beforeFinish = "before-finish"
    case afterFinish = "after-finish"
}

/// One session's view of the state: answers, secrets in memory, statuses and step runs.
public final class Engine: @unchecked Sendable {
    public let store: StateStore
    public let plan: Plan
    public let session: SessionRecord
    /// Called at each fault point; crash tests kill the process here. Nil in normal runs.
    public var faultHook: (@Sendable (FaultPoint, String) -> Void)?

    private let lock = NSLock()
    private var secrets: [String: SecretValue] = [:]
    private var generatedSecrets: Set<String> = []

    /// Binds a session of `store` to `plan`.
    public init(store: StateStore, plan: Plan, session: SessionRecord) {
        self.store = store
        self.plan = plan
        self.session = session
    }

    var sessionID: Int64 { session.id ?? 0 }

    /// The stored answers (never secrets).
    public func storedAnswers() throws -> [String: Answer] {
        try store.answers(session: sessionID)
    }

    /// The stored answer values, as status derivation and hashing see them.
    public func answerValues() throws -> [String: AnswerValue] {
        try storedAnswers().mapValues(\.value)
    }

    /// Every step's derived status.
    public func states() throws -> [StepState] {
        plan.states(
            latest: try store.latestAttempts(session: sessionID), answers: try answerValues(),
            ownerIsLive: try store.lockHolderIsLive())
    }

    /// The steps that are done now and would go stale if `key` changed to `value`; nothing is written.
    public func previewChange(key: String, value: AnswerValue?) throws -> [String] {
        plan.stepsInvalidated(
            byChanging: key, to: value, latest: try store.latestAttempts(session: sessionID),
            answers: try answerValues())
    }

    /// Stores non-secret answers and returns the steps that went stale because of them.
    @discardableResult
    public func setAnswers(_ answers: [Answer], event: EventKind = .answersSet) throws -> [String] {
        for answer in answers {
            guard let input = plan.input(answer.key) else { throw EngineError.unknownAnswerKey(answer.key) }
            guard !input.isSecret else { throw EngineError.secretNotPersistable(key: answer.key) }
        }
        let latest = try store.latestAttempts(session: sessionID)
        let before = try answerValues()
        var after = before
        for answer in answers { after[answer.key] = answer.value }
        let wasDone = Set(
            plan.states(latest: latest, answers: before, ownerIsLive: false)
                .filter { $0.status.satisfiesDependents }.map(\.stepID))
        let stale = plan.states(latest: latest, answers: after, ownerIsLive: false)
            .filter { $0.status == .stale && wasDone.contains($0.stepID) }.map(\.stepID)
        let changed = answers.filter { before[$0.key] != $0.value }
        guard !changed.isEmpty else { return [] }
        try store.storeAnswers(changed, session: sessionID, event: event)
        if !stale.isEmpty {
            try store.appendEvent(session: sessionID, kind: .stepsStale, detail: stale.joined(separator: ", "))
        }
        return stale
    }

    /// Forgets the operator's answer to `key`, so what the wizard works out (a derivation, a default) applies again at
    /// the next resolution; the journal keeps that it was removed.
    public func forgetAnswer(_ key: String) throws {
        guard plan.input(key) != nil else { throw EngineError.unknownAnswerKey(key) }
        try store.removeAnswers([key], session: sessionID)
    }

    /// Keeps a secret in memory for this process only; `generated` when this process made it up (nobody else knows it).
    public func setSecret(_ secret: SecretValue, for key: String, generated: Bool = false) throws {
        guard plan.input(key)?.isSecret == true else { throw EngineError.unknownAnswerKey(key) }
        lock.lock(); defer { lock.unlock() }
        secrets[key] = secret
        if generated { generatedSecrets.insert(key) } else { generatedSecrets.remove(key) }
    }

    /// Whether the secret for `key` was made up by this process (a strong-secret default), not given by the operator.
    public func secretWasGenerated(_ key: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return generatedSecrets.contains(key)
    }

    /// A secret given earlier in this process.
    public func secret(for key: String) -> SecretValue? {
        lock.lock(); defer { lock.unlock() }
        return secrets[key]
    }

    /// Runs a step: `running` is committed before `perform` acts, the outcome after it, each in its own transaction.
    /// A thrown error becomes a failed attempt; cancellation becomes an interrupted one.
    @discardableResult
    public func run(_ stepID: String, perform: @Sendable () async throws -> StepResult) async throws -> StepResult {
        let step = try plan.step(stepID)
        let before = try storedAnswers()
        let hash = plan.inputHash(of: step, answers: before.mapValues(\.value))
        faultHook?(.beforeBegin, stepID)
        let attempt = try store.beginAttempt(session: sessionID, step: stepID, inputHash: hash)
        faultHook?(.afterBegin, stepID)
        let result: StepResult
        do {
            result = try await perform()
        } catch is CancellationError {
            result = StepResult(outcome: .interrupted, message: "cancelled by the operator; run it again to check what it did")
        } catch {
            result = StepResult(outcome: .failed, message: Redactor.shared.redact(String(describing: error)))
        }
        faultHook?(.beforeFinish, stepID)
        try store.finishAttempt(attempt, result: result, inputHash: try observedHash(of: step, before: before, started: hash))
        faultHook?(.afterFinish, stepID)
        return result
    }

    /// The step's input hash with what it found itself: an answer of its own inputs that became a derived one during
    /// the run (the prerequisites keep Atmosphere's generation) is its result, not a change to what it ran on; one the
    /// operator changed meanwhile is not, and leaves the step stale.
    private func observedHash(of step: StepDefinition, before: [String: Answer], started: String) throws -> String {
        let after = try storedAnswers()
        var answers = before.mapValues(\.value)
        for input in step.inputs {
            if let found = after[input.key], found.source == .derived, found.value != before[input.key]?.value { answers[input.key] = found.value }
        }
        return answers == before.mapValues(\.value) ? started : plan.inputHash(of: step, answers: answers)
    }

    /// Records that the operator skipped an optional step: an attempt that skipped, so `status`, the report and the
    /// steps after it see it (a skipped step lets them run). A required step is refused.
    @discardableResult
    public func skip(_ stepID: String) async throws -> StepResult {
        let step = try plan.step(stepID)
        guard !step.required else { throw EngineError.requiredStepNotSkippable(step: step.id, title: step.title) }
        return try await run(stepID) { StepResult(outcome: .skipped, message: "skipped by the operator: nothing was checked or changed") }
    }
}
