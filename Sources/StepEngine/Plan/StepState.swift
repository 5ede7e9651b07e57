/// A step's derived status, with what the operator needs to read it.
public struct StepState: Sendable, Hashable {
    public var stepID: String
    public var status: StepStatus
    public var lastAttempt: AttemptRecord?
    public var worstSeverity: Severity?
    /// The last attempt was cut off: its effect must be observed again before it is trusted.
    public var needsReobservation: Bool
    /// Why the step is stale or blocked, in words.
    public var reason: String?
}

/// What status derivation needs to know about the stored attempts.
public struct AttemptSummary: Sendable, Hashable {
    public var attempt: AttemptRecord
    public var worstSeverity: Severity?

    /// Creates a summary.
    public init(attempt: AttemptRecord, worstSeverity: Severity?) {
        self.attempt = attempt
        self.worstSeverity = worstSeverity
    }
}

extension Plan {
    /// Derives every step's status from its latest attempt, the current answers and its upstream steps.
    /// - Parameters:
    ///   - latest: the newest attempt of each step that has one.
    ///   - ownerIsLive: whether the process holding the state lock is alive; an unfinished attempt is `running` only then.
    public func states(latest: [String: AttemptSummary], answers: [String: AnswerValue], ownerIsLive: Bool) -> [StepState] {
        var byID: [String: StepState] = [:]
        var result: [StepState] = []
        for step in steps {
            let upstream = step.dependsOn.compactMap { byID[$0] }
            // A failed step this one exists to fix does not hold it back; one not run yet (or blocked) does.
            let unsatisfied = upstream.filter { !$0.status.satisfiesDependents && !(step.runsDespite.contains($0.stepID) && $0.status == .failed) }
            let upstreamOK = unsatisfied.isEmpty
            let blockedReason = unsatisfied.first.map { "waits for \($0.stepID) (\($0.status.words))" }
            let summary = latest[step.id]
            var state = StepState(
                stepID: step.id, status: .pending, lastAttempt: summary?.attempt,
                worstSeverity: summary?.worstSeverity, needsReobservation: false, reason: nil)
            if let attempt = summary?.attempt {
                switch attempt.outcome {
                case nil:
                    if ownerIsLive {
                        state.status = .running
                    } else {
                        state.status = upstreamOK ? .pending : .blocked
                        state.needsReobservation = true
                        state.reason = "interrupted while running; run it again to check what it did"
                    }
                case .interrupted?:
                    state.status = upstreamOK ? .pending : .blocked
                    state.needsReobservation = true
                    state.reason = "interrupted while running; run it again to check what it did"
                case .failed?:
                    state.status = upstreamOK ? .failed : .blocked
                    state.reason = upstreamOK ? nil : blockedReason
                case let done?:
                    if attempt.inputHash != inputHash(of: step, answers: answers) {
                        state.status = .stale
                        state.reason = "an answer it uses changed since it \(done.rawValue)"
                    } else if done == .skipped {
                        // A skip checked nothing on top of the steps before it: it stands whatever they become.
                        state.status = .skipped
                    } else if let upstreamProblem = unsatisfied.first {
                        state.status = .stale
                        state.reason = "the earlier step \(upstreamProblem.stepID) is \(upstreamProblem.status.words)"
                    } else {
                        state.status = done == .passed ? .passed : (done == .warned ? .warned : .skipped)
                    }
                }
            } else {
                state.status = upstreamOK ? .pending : .blocked
                state.reason = blockedReason
            }
            byID[step.id] = state
            result.append(state)
        }
        return result
    }

    /// The steps that are done now and would be stale if `key` took `value` (nil: the answer is removed).
    public func stepsInvalidated(
        byChanging key: String, to value: AnswerValue?, latest: [String: AttemptSummary],
        answers: [String: AnswerValue]
    ) -> [String] {
        let before = states(latest: latest, answers: answers, ownerIsLive: false)
        var changed = answers
        changed[key] = value
        let after = states(latest: latest, answers: changed, ownerIsLive: false)
        return zip(before, after).filter { old, new in
            old.status.satisfiesDependents && new.status == .stale
        }.map(\.0.stepID)
    }
}
