import Foundation

/// The ordered steps of the wizard; every step comes after the steps it depends on.
public struct Plan: Sendable {
    public let steps: [StepDefinition]
    private let index: [String: Int]

    /// Builds a plan, refusing duplicate ids, unknown dependencies, dependencies that come later, and duplicate answer keys.
    public init(steps: [StepDefinition]) throws {
        var index: [String: Int] = [:]
        var keys: [String: String] = [:]
        for (position, step) in steps.enumerated() {
            guard index[step.id] == nil else { throw EngineError.invalidPlan("step \(step.id) is declared twice") }
            for dependency in step.dependsOn {
                guard let at = index[dependency] else {
                    let reason = steps.contains { $0.id == dependency } ? "comes after it" : "does not exist"
                    throw EngineError.invalidPlan("step \(step.id) depends on \(dependency), which \(reason)")
                }
                _ = at
            }
            for input in step.inputs {
                if let owner = keys[input.key] {
                    throw EngineError.invalidPlan("answer key \(input.key) is declared by both \(owner) and \(step.id)")
                }
                keys[input.key] = step.id
            }
            index[step.id] = position
        }
        self.steps = steps
        self.index = index
    }

    /// The step with this id.
    public func step(_ id: String) throws -> StepDefinition {
        guard let position = index[id] else { throw EngineError.unknownStep(id, known: steps.map(\.id)) }
        return steps[position]
    }

    /// Whether a step with this id exists.
    public func contains(_ id: String) -> Bool { index[id] != nil }

    /// Every input of every step, in plan order.
    public var inputs: [InputSpec] { steps.flatMap(\.inputs) }

    /// The input with this answer key.
    public func input(_ key: String) -> InputSpec? { inputs.first { $0.key == key } }

    /// The keys of secret inputs, which never reach the database.
    public var secretKeys: Set<String> { Set(inputs.filter(\.isSecret).map(\.key)) }

    /// Steps that read this answer key.
    public func steps(reading key: String) -> [String] {
        steps.filter { $0.inputs.contains { $0.key == key } }.map(\.id)
    }

    /// The hash of a step's non-secret inputs, compared with the hash its last attempt ran with.
    public func inputHash(of step: StepDefinition, answers: [String: AnswerValue]) -> String {
        var digest = SHA256()
        for input in step.inputs.filter({ !$0.isSecret }).sorted(by: { $0.key < $1.key }) {
            let rendered = answers[input.key]?.jsonText ?? "<unset>"
            digest.update(Array("\(input.key)=\(rendered)\n".utf8))
        }
        return digest.finalizeHex()
    }
}
