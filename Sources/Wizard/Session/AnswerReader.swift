import StepEngine

/// Typed reads of a session's answer values, with fallbacks, for the code that acts on them.
struct AnswerReader: Sendable {
    let answers: [String: AnswerValue]

    /// A non-empty text answer, else the fallback.
    func text(_ key: String, _ fallback: String = "") -> String {
        if case let .text(value)? = answers[key], !value.isEmpty { return value }
        return fallback
    }

    /// A non-empty text answer, or nil.
    func optionalText(_ key: String) -> String? {
        let value = text(key)
        return value.isEmpty ? nil : value
    }

    /// A list answer (empty when unanswered).
    func list(_ key: String) -> [String] {
        if case let .list(items)? = answers[key] { return items }
        return []
    }

    /// A whole-number answer, or nil.
    func integer(_ key: String) -> Int? {
        if case let .integer(value)? = answers[key] { return value }
        return nil
    }

    /// A yes/no answer; no when there is none (the screens' defaults are among the answers).
    func flag(_ key: String) -> Bool { flag(key, false) }

    /// A yes/no answer, else the fallback.
    func flag(_ key: String, _ fallback: Bool) -> Bool {
        if case let .bool(value)? = answers[key] { return value }
        return fallback
    }

    /// Whether Atmosphere runs on another server in this session (its steps then go through blocks run there).
    var isRemote: Bool { flag("atmosphere.remote") }
}
