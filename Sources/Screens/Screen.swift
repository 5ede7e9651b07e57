import StepEngine

/// One screen of the wizard, loaded from screens/*.yaml: the text, the inputs and what it runs.
public struct Screen: Sendable, Hashable {
    public var id: String
    public var title: String
    /// Whether the guide marks this part with a `*` (absolutely required).
    public var required: Bool
    public var text: String
    public var inputs: [InputSpec]
    public var checks: [String]
    public var actions: [String]
    public var dependsOn: [String]
    /// The steps of `dependsOn` whose failure does not block this one (it fixes what they find): `runs_despite`.
    public var runsDespite: [String] = []
    /// How long the wizard lets its checks and actions run before it cancels them; nil lets them take as long as they
    /// take (the smoke test, whose every stage has a limit of its own).
    public var timeLimit: Int?
    /// The file it came from, for messages.
    public var file: String

    /// Creates a screen (the loader does, and the build's embedder writes these calls).
    public init(
        id: String, title: String, required: Bool, text: String, inputs: [InputSpec], checks: [String], actions: [String],
        dependsOn: [String], timeLimit: Int? = nil, file: String
    ) {
        (self.id, self.title, self.required, self.text, self.inputs) = (id, title, required, text, inputs)
        (self.checks, self.actions, self.dependsOn, self.timeLimit, self.file) = (checks, actions, dependsOn, timeLimit, file)
    }

    /// The screen, running even when the steps `ids` (of its dependsOn) failed: the embedder's literal uses it.
    public func runningDespite(_ ids: [String]) -> Screen {
        var screen = self
        screen.runsDespite = ids
        return screen
    }

    /// The ids of everything the screen runs, checks first.
    public var capabilityIDs: [String] { checks + actions }

    /// The engine's view of this screen.
    public var step: StepDefinition {
        StepDefinition(id: id, title: title, required: required, inputs: inputs, dependsOn: dependsOn, runsDespite: runsDespite)
    }
}
