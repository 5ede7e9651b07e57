/// The values an input could take, one per source.
public struct AnswerCandidates: Sendable {
    public var fromFile: AnswerValue?
    public var previous: Answer?
    public var derived: AnswerValue?
    public var generated: AnswerValue?
    public var staticDefault: AnswerValue?

    /// Creates candidates; any may be missing.
    public init(
        fromFile: AnswerValue? = nil, previous: Answer? = nil, derived: AnswerValue? = nil,
        generated: AnswerValue? = nil, staticDefault: AnswerValue? = nil
    ) {
        self.fromFile = fromFile
        self.previous = previous
        self.derived = derived
        self.generated = generated
        self.staticDefault = staticDefault
    }
}

/// Picks an answer by precedence: answers file, previous answer, derived default, generated default, static default.
public enum AnswerResolver {
    /// The winning value and its source, or nil when no source has one.
    /// A previous answer counts only if the operator gave it: a stored default is worked out again, so it follows its inputs.
    public static func resolve(_ candidates: AnswerCandidates) -> (value: AnswerValue, source: AnswerSource)? {
        if let value = candidates.fromFile { return (value, .answersFile) }
        if let previous = candidates.previous, previous.source.isOperatorGiven { return (previous.value, previous.source) }
        if let value = candidates.derived { return (value, .derived) }
        if let value = candidates.generated { return (value, .generated) }
        if let value = candidates.staticDefault { return (value, .default) }
        return nil
    }
}
