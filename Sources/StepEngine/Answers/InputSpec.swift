import Foundation

/// The kind of a screen input, which decides its widget, parsing and validation.
public enum InputKind: String, Sendable, CaseIterable, Codable {
    case text, secret, url, choice
    case multiChoice = "multi-choice"
    case bool, number, path
    case ipRange = "ip-range"
    case list
    /// Atmosphere's hostname_format: only its keys, and it must name RFC 1123 hosts.
    case hostnameFormat = "hostname-format"
    /// A tz database name (Europe/Berlin), known to this system's tz data.
    case timezone
    /// An IPv4 or IPv6 address.
    case ipAddress = "ip-address"
    /// Where ssh and scp go: [user@]host, with an RFC 1123 host name or an address.
    case sshDestination = "ssh-destination"

    /// Whether a value of this kind is a list of strings.
    public var isList: Bool { self == .multiChoice || self == .list || self == .ipRange }
}

/// Rules an input's value must meet, beyond its kind.
public struct InputValidation: Sendable, Hashable {
    /// A regular expression every text (or every list item) must match in full.
    public var pattern: String?
    /// What to tell the operator when `pattern` does not match.
    public var patternMessage: String?
    public var minimum: Int?
    public var maximum: Int?
    public var minLength: Int?

    /// Creates rules; none are required.
    public init(pattern: String? = nil, patternMessage: String? = nil, minimum: Int? = nil, maximum: Int? = nil, minLength: Int? = nil) {
        self.pattern = pattern
        self.patternMessage = patternMessage
        self.minimum = minimum
        self.maximum = maximum
        self.minLength = minLength
    }
}

/// Shows an input only when another answer has one of some values (`in`), or unless it has one (`not_in`).
public struct InputCondition: Sendable, Hashable {
    public var key: String
    public var values: [String]
    /// `not_in`: the input is shown unless the answer is one of `values`, and while there is no answer yet (a field
    /// for one Atmosphere generation stays until the generation is known).
    public var negated: Bool

    /// Creates a condition on `key`.
    public init(key: String, values: [String], negated: Bool = false) {
        self.key = key
        self.values = values
        self.negated = negated
    }

    /// Whether the condition holds for these answers.
    public func holds(in answers: [String: AnswerValue]) -> Bool {
        guard let value = answers[key] else { return negated }
        let matches =
            switch value {
            case let .text(text): values.contains(text)
            case let .bool(flag): values.contains(flag ? "true" : "false")
            case let .integer(number): values.contains(String(number))
            case let .list(items): items.contains(where: values.contains)
            }
        return matches != negated
    }

    /// When the input is asked, in words: "when KEY is A or B", "unless KEY is A".
    public var described: String {
        "\(negated ? "unless" : "when") \(key) is \(values.joined(separator: " or "))"
    }
}

/// One input a screen asks for: the key its answer is stored under, and everything needed to check it.
public struct InputSpec: Sendable, Hashable {
    public var key: String
    public var label: String
    public var kind: InputKind
    public var help: String
    public var required: Bool
    public var choices: [String]
    public var validation: InputValidation
    public var staticDefault: AnswerValue?
    /// The id of a registered derivation that proposes a default from earlier answers or the cloud.
    public var derive: String?
    /// The id of a registered generator (a strong secret, say).
    public var generate: String?
    public var condition: InputCondition?

    /// Creates an input.
    public init(
        key: String, label: String, kind: InputKind, help: String, required: Bool = true, choices: [String] = [],
        validation: InputValidation = InputValidation(), staticDefault: AnswerValue? = nil,
        derive: String? = nil, generate: String? = nil, condition: InputCondition? = nil
    ) {
        self.key = key
        self.label = label
        self.kind = kind
        self.help = help
        self.required = required
        self.choices = choices
        self.validation = validation
        self.staticDefault = staticDefault
        self.derive = derive
        self.generate = generate
        self.condition = condition
    }

    /// Whether this input's answers must stay in memory only.
    public var isSecret: Bool { kind == .secret }

    /// Whether it is a step's "do it without asking" box (KEY.consent): what an unattended `apply` reads for a yes.
    /// The full-screen wizard always previews and asks, so it does not show these.
    public var isConsent: Bool { kind == .bool && key.hasSuffix(".consent") }
}
