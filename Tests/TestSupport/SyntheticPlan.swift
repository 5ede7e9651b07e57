import StepEngine

/// A five-step chain used by engine tests and the crash harness: s1 <- s2 <- s3 <- s4 <- s5.
public enum SyntheticPlan {
    public static let stepIDs = ["s1", "s2", "s3", "s4", "s5"]

    /// The plan: each step reads one text answer; s2 also reads a secret.
    public static func make() throws -> Plan {
        try Plan(
            steps: stepIDs.enumerated().map { index, id in
                var inputs = [InputSpec(key: "\(id).value", label: "\(id) value", kind: .text, help: "a value for \(id)")]
                if id == "s2" { inputs.append(InputSpec(key: "s2.password", label: "s2 password", kind: .secret, help: "a secret")) }
                return StepDefinition(id: id, title: "Step \(id)", inputs: inputs, dependsOn: index == 0 ? [] : [stepIDs[index - 1]])
            })
    }

    /// Answers for every step.
    public static func answers(_ suffix: String = "v1") -> [Answer] {
        stepIDs.map { Answer(key: "\($0).value", value: .text("\($0)-\(suffix)"), source: .typed) }
    }
}
