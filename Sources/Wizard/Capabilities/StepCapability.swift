import AtmosphereKit
import StepEngine

/// What one check or action id of screens/ does: the type that owns its behaviour.
///
/// A check observes (read-only, findings). An action plans (the preview: files, commands, API calls) and performs
/// (acts, recording what it made as it goes). What runs on the Atmosphere server refines this as
/// ``AtmosphereServerCapability``. The executor (``StepExecution``) calls these in one order for the TUI and `apply`;
/// the registry maps ids to these types. Every requirement but the descriptor has a default.
protocol StepCapability: FindingOwner {
    /// The answers and secrets it reads, declared once.
    associatedtype Inputs: CapabilityInputs = NoInputs

    /// The id screens name it by, whether it is a check or an action, its title and traits.
    var descriptor: Capability { get }

    /// Findings about the cloud or Atmosphere now; changes nothing.
    func observe(_ run: StepContext) async -> [Finding]

    /// What the action will do, or a failure saying why there can be no plan; nil when this capability plans nothing
    /// of its own (a check, or an action another one of its step carries out).
    func plan(_ run: StepContext) async -> Result<ActionPlan, FindingError>?

    /// Carries out the plan it made; every journal write that records a side effect failing is a failure finding,
    /// and nothing more is done after it.
    func perform(_ run: StepContext, plan: ActionPlan) async -> [Finding]

    /// Where its step goes: as usual, waiting for the Atmosphere server's output, or ending with what it kept. Asked
    /// before anything is planned (`plan` nil), and again once the operator said yes to the plan.
    func course(_ run: StepContext, consented plan: ActionPlan?) async throws -> Course

    /// Whether, as the answers stand, it may propose changes to approve (an action), or can only check: the step's
    /// button says "Preview changes" or "Run checks" by it.
    func mayChange(_ answers: InputReader) -> Bool
}

extension StepCapability {
    /// The id screens name it by.
    var id: String { descriptor.id }

    func observe(_ run: StepContext) async -> [Finding] { [] }
    func plan(_ run: StepContext) async -> Result<ActionPlan, FindingError>? { nil }
    func perform(_ run: StepContext, plan: ActionPlan) async -> [Finding] { PlannedFileWriter(owner: self).write(plan, run: run) }
    func course(_ run: StepContext, consented plan: ActionPlan?) async throws -> Course { .usual }
    func mayChange(_ answers: InputReader) -> Bool { descriptor.kind == .action }
}

/// A capability that runs on the Atmosphere server when Atmosphere is elsewhere: the block the operator runs there,
/// and the reading of what it printed. The same capability through another transport.
protocol AtmosphereServerCapability: StepCapability {
    /// The block to run on the Atmosphere server; nil when nothing needs running there.
    func remoteBlock(_ run: StepContext) async -> Result<RemoteInstructions?, FindingError>

    /// The findings for what the block printed there.
    func readRemote(_ output: RemoteOutput, run: StepContext) -> [Finding]
}

/// Where a step goes, as one of its capabilities decides.
enum Course: Sendable {
    /// As every step goes: the Atmosphere server's block when Atmosphere is elsewhere, else plan, ask, perform.
    case usual
    /// Nothing is recorded: the operator runs this block on the Atmosphere server and pastes its output back.
    case awaitServer(RemoteInstructions)
    /// The step ends here: `work` runs as the step's recorded attempt (what was kept, now finished), and `message` is
    /// its summary.
    case end(message: String, work: @Sendable () async -> [Finding])
}
