import Foundation

/// An answer's value: what a screen input holds once typed, loaded or defaulted.
public enum AnswerValue: Sendable, Hashable {
    case text(String)
    case integer(Int)
    case bool(Bool)
    case list([String])

    /// The value as an operator would read it on one line.
    public var displayText: String {
        switch self {
        case let .text(text): text
        case let .integer(number): String(number)
        case let .bool(flag): flag ? "yes" : "no"
        case let .list(items): items.joined(separator: ", ")
        }
    }

    /// The value as JSON, which is also valid YAML: how it is stored and exported.
    public var jsonText: String {
        switch self {
        case let .text(text): Self.quoted(text)
        case let .integer(number): String(number)
        case let .bool(flag): flag ? "true" : "false"
        case let .list(items): "[" + items.map(Self.quoted).joined(separator: ", ") + "]"
        }
    }

    /// Reads a value stored by `jsonText`.
    public init?(jsonText: String) {
        guard let data = jsonText.data(using: .utf8),
            let value = try? JSONDecoder().decode(AnswerValue.self, from: data)
        else { return nil }
        self = value
    }

    /// Whether there is nothing in it (an empty text or list).
    public var isEmpty: Bool {
        switch self {
        case let .text(text): text.isEmpty
        case let .list(items): items.isEmpty
        case .integer, .bool: false
        }
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// Where an answer came from, in the order that wins.
public enum AnswerSource: String, Sendable, CaseIterable, Codable {
    case answersFile = "answers-file"
    case typed
    case derived
    case generated
    case `default`

    /// Whether the operator gave this answer (rather than the wizard working it out), so it is kept as a "previous answer".
    public var isOperatorGiven: Bool { self == .answersFile || self == .typed }
}

/// An answer with its provenance.
public struct Answer: Sendable, Hashable {
    public var key: String
    public var value: AnswerValue
    public var source: AnswerSource
    public var updatedAt: Date

    /// Creates an answer.
    public init(key: String, value: AnswerValue, source: AnswerSource, updatedAt: Date = Date()) {
        self.key = key
        self.value = value
        self.source = source
        self.updatedAt = updatedAt
    }
}

extension AnswerValue: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Int.self) {
            self = .integer(number)
        } else if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .list(try container.decode([String].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .text(text): try container.encode(text)
        case let .integer(number): try container.encode(number)
        case let .bool(flag): try container.encode(flag)
        case let .list(items): try container.encode(items)
        }
    }
}
