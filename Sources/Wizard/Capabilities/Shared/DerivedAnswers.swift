import StepEngine

/// Stores what was observed as derived answers, so later screens default to it; an operator's own answer always wins.
struct DerivedAnswers: Sendable {
    let engine: Engine
    let owner: any FindingOwner

    /// Offers each value; empty values, unknown keys, operator-given answers and unchanged ones are left alone. A
    /// failed read or write is a warning finding: the observation stands, later screens just do not default to it.
    func offer(_ values: [(key: String, value: AnswerValue?)], event: EventKind) -> [Finding] {
        do {
            let stored = try engine.storedAnswers()
            let answers = values.compactMap { key, value -> Answer? in
                guard let value, !value.isEmpty, engine.plan.input(key) != nil, stored[key]?.source.isOperatorGiven != true,
                    stored[key]?.value != value || stored[key]?.source != .derived
                else { return nil }
                return Answer(key: key, value: value, source: .derived)
            }
            guard !answers.isEmpty else { return [] }
            try engine.setAnswers(answers, event: event)
            return []
        } catch {
            return [
                owner.warning(
                    target: "the state database",
                    observed: "what was seen (\(values.map(\.key).joined(separator: ", "))) could not be kept as answers: "
                        + Redactor.shared.redact(String(describing: error)),
                    remedy: "Check the state directory (atmo-connect status names it); later screens do not default to these values until it is kept.")
            ]
        }
    }
}
