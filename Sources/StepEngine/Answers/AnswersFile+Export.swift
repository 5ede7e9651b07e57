import Foundation

/// A group of inputs under a heading, as the export lays them out (one per screen).
public struct AnswerSection: Sendable {
    public var title: String
    public var inputs: [InputSpec]

    /// Creates a section.
    public init(title: String, inputs: [InputSpec]) {
        self.title = title
        self.inputs = inputs
    }
}

extension AnswersFile {
    /// Renders answers as commented YAML: each key under its help line, secrets left out and listed.
    public static func render(sessionName: String, sections: [AnswerSection], answers: [String: Answer], now: Date = Date()) -> String {
        var lines = [
            "# atmo-connect answers for session \(sessionName), exported \(TimeText.iso8601(now))",
            "# Use with: atmo-connect apply --answers FILE",
            "",
        ]
        var secretKeys: [InputSpec] = []
        for section in sections {
            let present = section.inputs.filter { !$0.isSecret && answers[$0.key] != nil }
            secretKeys += section.inputs.filter(\.isSecret)
            guard !present.isEmpty else { continue }
            lines.append("# --- \(section.title) ---")
            for input in present {
                guard let answer = answers[input.key] else { continue }
                lines.append("# \(input.label): \(input.help.replacingOccurrences(of: "\n", with: " "))")
                lines.append("# (\(answer.source.rawValue))")
                lines.append("\(input.key): \(answer.value.jsonText)")
            }
            lines.append("")
        }
        if !secretKeys.isEmpty {
            lines.append("# Secrets are never exported. Supply each one as {from_env: VARIABLE} or {from_file: PATH} (a 0600 file):")
            for input in secretKeys {
                lines.append("# \(input.key): {from_env: \(environmentName(for: input.key))}")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Every key of every screen as a commented answers file, for an unattended run that starts from nothing: each key
    /// under its label, help, whether it is required, its default or how it is worked out, and its choices. Every key is
    /// commented out; uncomment what you give (the defaults apply to the rest).
    public static func template(sections: [AnswerSection], now: Date = Date()) -> String {
        var lines = [
            "# atmo-connect answers file template, written \(TimeText.iso8601(now))",
            "# Uncomment each key you give and set its value; keys left commented take their default (shown), or are",
            "# worked out from earlier answers. Give the ones marked REQUIRED that have no default.",
            "# Secrets are never written in this file: give them as {from_env: VARIABLE} or {from_file: PATH} (a 0600 file).",
            "# Use with: atmo-connect apply --answers FILE   (check it first: atmo-connect status --answers FILE)",
            "",
        ]
        for section in sections where !section.inputs.isEmpty {
            lines.append("# --- \(section.title) ---")
            for input in section.inputs {
                lines.append("# \(input.label)\(input.required ? " (REQUIRED)" : ""): \(input.help.replacingOccurrences(of: "\n", with: " "))")
                if !input.choices.isEmpty { lines.append("#   one of: \(input.choices.joined(separator: ", "))") }
                if let condition = input.condition { lines.append("#   asked only \(condition.described)") }
                if input.isSecret {
                    lines.append("#\(input.key): {from_env: \(environmentName(for: input.key))}")
                } else if let value = input.staticDefault {
                    lines.append("#\(input.key): \(value.jsonText)")
                } else if input.derive != nil || input.generate != nil {
                    lines.append("#   default: worked out from earlier answers")
                    lines.append("#\(input.key): ")
                } else {
                    lines.append("#\(input.key): ")
                }
            }
            lines.append("")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A suggested environment variable for a secret key: `atmoadmin.password` becomes `ATMO_ATMOADMIN_PASSWORD`.
    public static func environmentName(for key: String) -> String {
        "ATMO_" + key.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
    }

    /// Writes text to a new file with mode 0600, replacing it atomically, so a reader never sees half a file.
    public static func writePrivately(_ text: String, to path: String) throws {
        do { try PrivateFile.write(text, to: path) } catch { throw EngineError.fileUnwritable(path: error.path, reason: error.reason) }
    }
}
