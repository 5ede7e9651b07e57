/// One step of the plan: which answers it reads and which steps must pass before it.
public struct StepDefinition: Sendable, Hashable {
    public var id: String
    public var title: String
    public var required: Bool
    /// The answer keys whose values the step's outcome depends on; secrets are left out of its input hash.
    public var inputs: [InputSpec]
    public var dependsOn: [String]
    /// The steps of `dependsOn` whose failure does not hold this one back: it exists to fix what they find (TLS and
    /// the OpenStack configuration fix what the prerequisites report). It still waits for them to have run.
    public var runsDespite: [String]

    /// Creates a step.
    public init(
        id: String, title: String, required: Bool = true, inputs: [InputSpec] = [], dependsOn: [String] = [], runsDespite: [String] = []
    ) {
        self.id = id
        self.title = title
        self.required = required
        self.inputs = inputs
        self.dependsOn = dependsOn
        self.runsDespite = runsDespite
    }
}
