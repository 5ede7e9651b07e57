import Screens
import StepEngine

/// Screens written as Swift source: the values the loader made, so the binary builds them without reading YAML.
enum SwiftLiteral {
    /// A string literal that reads back as exactly `text`.
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _
            where scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
                || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func optional(_ text: String?) -> String { text.map(string) ?? "nil" }
    static func optional(_ number: Int?) -> String { number.map(String.init) ?? "nil" }
    static func strings(_ list: [String]) -> String { "[" + list.map(string).joined(separator: ", ") + "]" }

    static func value(_ value: AnswerValue) -> String {
        switch value {
        case let .text(text): ".text(\(string(text)))"
        case let .integer(number): ".integer(\(number))"
        case let .bool(flag): ".bool(\(flag))"
        case let .list(items): ".list(\(strings(items)))"
        }
    }

    static func input(_ input: InputSpec) -> String {
        let validation = input.validation
        return "InputSpec(key: \(string(input.key)), label: \(string(input.label)), kind: .\(input.kind), "
            + "help: \(string(input.help)), required: \(input.required), choices: \(strings(input.choices)), "
            + "validation: InputValidation(pattern: \(optional(validation.pattern)), patternMessage: \(optional(validation.patternMessage)), "
            + "minimum: \(optional(validation.minimum)), maximum: \(optional(validation.maximum)), minLength: \(optional(validation.minLength))), "
            + "staticDefault: \(input.staticDefault.map(value) ?? "nil"), derive: \(optional(input.derive)), generate: \(optional(input.generate)), "
            + "condition: \(input.condition.map { "InputCondition(key: \(string($0.key)), values: \(strings($0.values)), negated: \($0.negated))" } ?? "nil"))"
    }

    static func screen(_ screen: Screen) -> String {
        "Screen(id: \(string(screen.id)), title: \(string(screen.title)), required: \(screen.required), text: \(string(screen.text)),\n"
            + "           inputs: [\n" + screen.inputs.map { "               " + input($0) + ",\n" }.joined() + "           ],\n"
            + "           checks: \(strings(screen.checks)), actions: \(strings(screen.actions)), dependsOn: \(strings(screen.dependsOn)), "
            + "timeLimit: \(optional(screen.timeLimit)), file: \(string(screen.file)))"
            + (screen.runsDespite.isEmpty ? "" : ".runningDespite(\(strings(screen.runsDespite)))")
    }
}
