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
            "# atmo-connect answers for session \(sessionName), exported \(ISO8601DateFormatter().string(from: now))",
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

    /// A suggested environment variable for a secret key: `atmoadmin.password` becomes `ATMO_ATMOADMIN_PASSWORD`.
    public static func environmentName(for key: String) -> String {
        "ATMO_" + key.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
    }

    /// Writes text to a new file with mode 0600, replacing it atomically, so a reader never sees half a file.
    public static func writePrivately(_ text: String, to path: String) throws {
        do { try PrivateFile.write(text, to: path) } catch { throw EngineError.fileUnwritable(path: error.path, reason: error.reason) }
    }
}
