import StepEngine

/// Stores what was observed as derived answers, so later screens default to it; an operator's own answer always wins.
enum DerivedAnswers {
    /// Offers each value; empty values, unknown keys, operator-given answers and unchanged ones are left alone.
    static func offer(_ values: [(key: String, value: AnswerValue?)], engine: Engine, event: EventKind) {
        guard let stored = try? engine.storedAnswers() else { return }
        let answers = values.compactMap { key, value -> Answer? in
            guard let value, !value.isEmpty, engine.plan.input(key) != nil, stored[key]?.source.isOperatorGiven != true,
                stored[key]?.value != value || stored[key]?.source != .derived
            else { return nil }
            return Answer(key: key, value: value, source: .derived)
        }
        guard !answers.isEmpty else { return }
        _ = try? engine.setAnswers(answers, event: event)
    }
}
