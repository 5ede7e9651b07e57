import Foundation
import StepEngine

/// Works out every input's answer for a session by precedence, and which secrets are still missing.
public struct AnswerResolution: Sendable {
    /// Non-secret answers to store (only those that differ from what is stored).
    public var toStore: [Answer]
    /// Every non-secret value after resolution, stored or not.
    public var values: [String: AnswerValue]
    /// Secrets found (answers file references, generated), to keep in memory.
    public var secrets: [String: SecretValue]
    /// Which of them this process generated.
    public var generatedSecrets: Set<String> = []
    /// Answers the file gives for inputs that are not used as the other answers stand (their `when` does not hold):
    /// kept (stored, exported) rather than dropped, each with why it is not used.
    public var inactive: [(key: String, reason: String)] = []

    /// Resolves each input of `catalog` in plan order, so derivations see earlier answers.
    public static func resolve(
        catalog: WizardCatalog, file: AnswersFile?, stored: [String: Answer],
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> AnswerResolution {
        var resolution = AnswerResolution(toStore: [], values: [:], secrets: [:])
        for input in catalog.plan.inputs {
            if let condition = input.condition, !condition.holds(in: resolution.values) {
                // What a probe found stays known though its field is not asked here (Atmosphere's generation, found on
                // disk in local mode): later fields are shown or hidden by it.
                if let found = stored[input.key], found.source == .derived { resolution.values[input.key] = found.value }
                if let given = file?.values[input.key] {
                    let now = resolution.values[condition.key].map(\.displayText) ?? "not set"
                    resolution.inactive.append((input.key, "not used while \(condition.key) is \(now) (it is used \(condition.described))"))
                    if stored[input.key]?.value != given || stored[input.key]?.source != .answersFile {
                        resolution.toStore.append(Answer(key: input.key, value: given, source: .answersFile))
                    }
                }
                continue
            }
            if input.isSecret {
                if let reference = file?.secrets[input.key] {
                    resolution.secrets[input.key] = try reference.resolve(key: input.key, environment: environment)
                } else if let generator = input.generate.flatMap({ DefaultProviders.generators[$0] }) {
                    resolution.secrets[input.key] = SecretValue(generator())
                    resolution.generatedSecrets.insert(input.key)
                }
                continue
            }
            let candidates = AnswerCandidates(
                fromFile: file?.values[input.key],
                previous: stored[input.key],
                // A derivation function, else a value derived earlier from the cloud (kept until the cloud is observed again).
                derived: input.derive.flatMap { DefaultProviders.derivations[$0]?(resolution.values, environment) }
                    ?? (stored[input.key]?.source == .derived ? stored[input.key]?.value : nil),
                generated: input.generate.flatMap { DefaultProviders.generators[$0] }.map { .text($0()) },
                staticDefault: input.staticDefault)
            guard let (value, source) = AnswerResolver.resolve(candidates) else { continue }
            resolution.values[input.key] = value
            if stored[input.key]?.value != value || stored[input.key]?.source != source {
                resolution.toStore.append(Answer(key: input.key, value: value, source: source))
            }
        }
        return resolution
    }
}
