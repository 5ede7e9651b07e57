import AtmosphereKit
import StepEngine

/// What one check or action id of screens/ does: the type that owns its behaviour.
///
/// A check observes (read-only, findings). An action plans (the preview: files, commands, API calls) and performs
/// (acts, recording what it made as it goes). What runs on the Atmosphere server has a block for the operator to run
/// there and a reading of what the block printed: the same capability through another transport. The executor
/// (``StepExecution``) calls these in one order for the TUI and `apply`; the registry maps ids to these types.
protocol StepCapability: Sendable {
    /// The id screens name it by, whether it is a check or an action, and its title.
    var descriptor: Capability { get }

    /// Findings about the cloud or Atmosphere now; changes nothing.
    func observe(_ run: StepContext) async -> [Finding]

    /// Whether `observe` proves the step's action worked, so it runs after the action rather than before.
    var provesAction: Bool { get }

    /// What the action will do, or a failure saying why there can be no plan; nil when this capability plans nothing
    /// of its own (a check, or an action another one of its step carries out).
    func plan(_ run: StepContext) async -> Result<ActionPlan, FindingError>?

    /// Carries out the plan it made.
    func perform(_ run: StepContext, plan: ActionPlan) async -> [Finding]

    /// Whether, with Atmosphere on another server, this runs there through a block the operator runs.
    var runsOnAtmosphereServer: Bool { get }

    /// The block to run on the Atmosphere server; nil when nothing needs running there.
    func remoteBlock(_ run: StepContext) async -> Result<RemoteInstructions?, FindingError>

    /// The findings for what the block printed there.
    func readRemote(_ output: RemoteOutput, run: StepContext) -> [Finding]

    /// Whether an output saved for `apply` (STEP.txt) is the answer this capability waits for now.
    func takes(savedOutput text: String, engine: Engine) -> Bool

    /// Where a step this capability left waiting goes on (the smoke test's server kept for the Atmosphere server's
    /// check: its block, or its end with what came back); nil when nothing waits.
    func resumption(_ run: StepContext) async throws -> StepExecution.Outcome?

    /// A course of its own once the operator said yes, instead of the recorded perform; nil to perform as usual.
    func ownCourse(_ run: StepContext, plan: ActionPlan) async throws -> StepExecution.Outcome?

    /// Whether it may take as long as the cloud takes (no run limit): booting a server does.
    var takesAsLongAsTheCloud: Bool { get }
}

extension StepCapability {
    func observe(_ run: StepContext) async -> [Finding] { [] }
    var provesAction: Bool { false }
    func plan(_ run: StepContext) async -> Result<ActionPlan, FindingError>? { nil }
    func perform(_ run: StepContext, plan: ActionPlan) async -> [Finding] {
        ActionRunner.writeFiles(plan, engine: run.engine, checkID: descriptor.id)
    }
    var runsOnAtmosphereServer: Bool { false }
    func remoteBlock(_ run: StepContext) async -> Result<RemoteInstructions?, FindingError> { .success(nil) }
    func readRemote(_ output: RemoteOutput, run: StepContext) -> [Finding] { [] }
    func takes(savedOutput text: String, engine: Engine) -> Bool { runsOnAtmosphereServer }
    func resumption(_ run: StepContext) async throws -> StepExecution.Outcome? { nil }
    func ownCourse(_ run: StepContext, plan: ActionPlan) async throws -> StepExecution.Outcome? { nil }
    var takesAsLongAsTheCloud: Bool { false }

    /// The id screens name it by.
    var id: String { descriptor.id }
}
