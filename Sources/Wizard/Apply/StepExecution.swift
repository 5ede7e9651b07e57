import AtmosphereKit
import CloudProbe
import Foundation
import Logging
import StepEngine

/// Runs one screen's step, for either front end: refuses honestly when its checks are not built yet.
public enum StepExecution {
    /// How running a step went.
    public enum Outcome: Sendable, Equatable {
        /// The screen's checks or actions are not all built yet: the ones that exist ran (their findings), nothing was recorded.
        case notAvailable(capabilities: [Capability], reason: String, findings: [Finding])
        case finished(StepResult)
        /// The step's actions would change something: nothing was done; show the plan and ask (or read consent from the answers).
        case needsConsent(ActionPlan)
        /// Atmosphere runs on another server: nothing was done; show the commands to run there and take their output back.
        case needsRemoteOutput(RemoteInstructions)
    }

    /// Runs `screen`'s step through the engine (attempt recorded), unless its capabilities are missing.
    /// `remoteOutput` is what the operator pasted back from the Atmosphere server, for a step that needs it.
    ///
    /// One course for every step and both front ends: what waits resumes; with Atmosphere elsewhere, the step's server
    /// capability shows its block and reads what came back; actions plan, ask, perform; checks observe, those that prove
    /// an action after it.
    /// With `readsSavedOutputs` (as `apply` runs), an output saved in the outputs folder answers the block it belongs to.
    /// `progress` hears the lines a long step reports as it works.
    public static func execute(
        _ screen: Screen, engine: Engine, catalog: WizardCatalog, consent: Bool = false,
        remoteOutput: String? = nil, readsSavedOutputs: Bool = false, progress: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> Outcome {
        let started = Date()
        let how = (consent ? ", its changes confirmed" : "") + (remoteOutput == nil ? "" : ", with output from the Atmosphere server")
        log.info("step \(screen.id): run started\(how)")
        let outcome = try await executeUnlogged(
            screen, engine: engine, catalog: catalog, consent: consent, remoteOutput: remoteOutput, readsSavedOutputs: readsSavedOutputs,
            progress: progress)
        let seconds = String(format: "%.1f s", Date().timeIntervalSince(started))
        switch outcome {
        case let .finished(result):
            log.info("step \(screen.id): \(result.outcome.rawValue) after \(seconds): \(result.message)")
            for finding in result.findings { log.info("step \(screen.id): \(Self.line(finding))") }
        case let .needsConsent(plan):
            log.info("step \(screen.id): showed its plan after \(seconds), nothing done: \(plan.summary.joined(separator: " "))")
        case .needsRemoteOutput:
            log.info("step \(screen.id): waits for the output of its commands on the Atmosphere server")
        case let .notAvailable(capabilities, reason, findings):
            log.info("step \(screen.id): not available (\(capabilities.map(\.id).joined(separator: ", "))): \(reason)")
            for finding in findings { log.info("step \(screen.id): \(Self.line(finding))") }
        }
        return outcome
    }

    /// Records an optional step as skipped by the operator (refused for a required one), and logs it.
    @discardableResult
    public static func skip(_ screen: Screen, engine: Engine) async throws -> StepResult {
        let result = try await engine.skip(screen.id)
        log.info("step \(screen.id): \(result.message)")
        return result
    }

    /// The log's line for a finding: severity, check, target, what was seen, and the fix.
    static func line(_ finding: Finding) -> String {
        "\(finding.severity.rawValue) \(finding.checkID) \(finding.target): \(finding.observed)" + (finding.remedy.isEmpty ? "" : " → \(finding.remedy)")
    }

    private static let log = Logger(label: "atmo-connect.steps")

    private static func executeUnlogged(
        _ screen: Screen, engine: Engine, catalog: WizardCatalog, consent: Bool, remoteOutput: String?, readsSavedOutputs: Bool,
        progress: @escaping @Sendable (String) -> Void
    ) async throws -> Outcome {
        let capabilities = catalog.capabilities(of: screen)
        let missing = catalog.unavailableCapabilities(of: screen)
        if !missing.isEmpty {
            let reasons = Set(
                missing.compactMap { capability -> String? in
                    if case let .notYetAvailable(reason) = capability.availability { return reason }
                    return nil
                }
            ).sorted()
            // The checks that exist still tell the truth about the cloud now.
            var findings: [Finding] = []
            if !capabilities.isEmpty {
                do { findings = await observe(capabilities, try StepContext(screen: screen, engine: engine, catalog: catalog)) } catch {
                    findings = [error.finding]
                }
            }
            return .notAvailable(
                capabilities: missing,
                reason: "its verification is not available yet in this build (arrives with \(reasons.joined(separator: "; ")))",
                findings: findings)
        }
        // The answers as this run starts: without them nothing runs (a failed read is no set of defaults).
        let run: StepContext
        do {
            run = try StepContext(
                screen: screen, engine: engine, catalog: catalog, remoteOutput: remoteOutput, readsSavedOutputs: readsSavedOutputs, progress: progress)
        } catch {
            return .finished(StepResult(outcome: .failed, message: error.finding.observed, findings: [error.finding]))
        }
        // A run cut off while it acted may have done part of it: what it did is read again (every plan is made from
        // what exists now), and the preview and the log say that this is what still differs.
        let cutOff = try engine.states().first { $0.stepID == screen.id }?.needsReobservation ?? false
        if cutOff { log.info("step \(screen.id): its last run was cut off; what it did is read again before anything is planned") }
        for capability in capabilities {
            if let outcome = try await follow(capability, run: run, consented: nil) { return outcome }
        }
        if run.isRemote, let server = capabilities.lazy.compactMap({ $0 as? any AtmosphereServerCapability }).first {
            switch await server.remoteBlock(run) {
            case let .failure(error):
                return try await failed(error, run: run)
            case let .success(found?):
                let outbox = RemoteOutbox(run)
                let instructions = outbox.saved(found)
                guard let output = run.output(answering: instructions) else { return .needsRemoteOutput(instructions) }
                return .finished(
                    try await engine.run(screen.id) {
                        // The operator ran it there; here the cloud checks run and the pasted output is read.
                        let findings = await observe(capabilities, run) + outbox.check(output, by: server, run: run)
                        return StepResult.from(findings: findings, message: "checked what the Atmosphere server printed")
                    })
            case .success(nil):
                break
            }
        }
        let actions = capabilities.filter { $0.descriptor.kind == .action }
        var plans: [(action: any StepCapability, plan: ActionPlan)] = []
        for action in actions {
            switch await action.plan(run) {
            case let .success(plan)?: plans.append((action, plan))
            case let .failure(error)?: return try await failed(error, run: run)
            case nil: continue
            }
        }
        var merged = actions.isEmpty ? nil : ActionPlan(merging: plans.map(\.plan))
        if cutOff, merged?.changesSomething == true { merged?.summary.append(Self.cutOffNote) }
        let plan = merged
        if let plan {
            if !consent && plan.changesSomething { return .needsConsent(plan) }
            for (action, _) in plans {
                if let outcome = try await follow(action, run: run, consented: plan) { return outcome }
            }
        }
        let performed = plans
        let result = try await engine.run(screen.id) {
            if let plan {
                // The side effect happens here, between the committed `running` and the outcome; the checks that prove
                // the action (the atmoadmin login) run after it.
                let checked = await observe(capabilities, run, proving: false)
                var acted: [Finding] = []
                for (action, own) in performed { acted += await action.perform(run, plan: own) }
                let proved = acted.contains { $0.severity == .failure } ? [] : await observe(capabilities, run, proving: true)
                let findings = checked + acted + proved
                let result = StepResult.from(findings: findings, message: plan.summary.first ?? "the planned changes")
                // A failed action is not "done": the message says what was found, next to what was planned.
                let planned = result.message.hasSuffix(".") ? String(result.message.dropLast()) : result.message
                return result.outcome == .passed ? result : StepResult.from(findings: findings, message: "\(planned): \(Self.tally(findings))")
            }
            guard !capabilities.isEmpty else {
                // A screen with no checks or actions is satisfied by valid answers.
                return StepResult(outcome: .passed, message: "answers complete and valid")
            }
            let findings = await observe(capabilities, run)
            return StepResult.from(findings: findings, message: Self.tally(findings))
        }
        return .finished(result)
    }

    /// Where `capability` takes the step; nil to go on as usual. A journal it cannot read fails the step, recorded.
    private static func follow(_ capability: any StepCapability, run: StepContext, consented plan: ActionPlan?) async throws -> Outcome? {
        let course: Course
        do { course = try await capability.course(run, consented: plan) } catch let error as FindingError {
            return try await failed(error, run: run)
        }
        switch course {
        case .usual: return nil
        case let .awaitServer(instructions): return .needsRemoteOutput(instructions)
        case let .end(message, work):
            return .finished(try await run.engine.run(run.screen.id) { StepResult.from(findings: await work(), message: message) })
        }
    }

    /// What the preview of a step whose last run was cut off adds to its summary.
    public static let cutOffNote =
        "Its last run was cut off while it acted: this is what still differs now, read again; what that run finished is not done twice."

    /// The step recorded as failed for a reason found before anything was done.
    private static func failed(_ error: FindingError, run: StepContext) async throws -> Outcome {
        let finding = error.finding
        return .finished(try await run.engine.run(run.screen.id) { StepResult(outcome: .failed, message: finding.observed, findings: [finding]) })
    }

    /// What the Atmosphere server printed for `step`, saved in the outputs folder; nil when there is none, or when the
    /// answers that name the folder cannot be read (the step's own read of them then fails with the cause).
    public static func savedOutput(step: String, engine: Engine) -> String? {
        guard let answers = try? StepContext.answers(engine) else { return nil }
        return RemoteOutbox(answers).savedOutput(step: step)
    }

    /// The secret a step set and the operator must note now, if it set one (the password of a new atmoadmin user).
    public static func shownOnce(_ result: StepResult, engine: Engine) -> (label: String, value: String)? {
        // Only the label comes from the answers: the secret is shown even when they cannot be read.
        let answers = (try? StepContext.answers(engine)) ?? AnswerReader(answers: [:])
        let staff = StaffRightsAction(), atmoadmin = AtmoadminAction()
        let reader = InputReader(answers: answers, owner: staff, secrets: { engine.secret(for: $0) })
        if result.findings.contains(AtmosphereSnippets.staffPasswordShownOnce), let password = StaffRightsAction.Inputs(reader).password {
            let users = StaffRightsAction.Inputs(reader).users
            return ("The Django password of \(users.isEmpty ? "the staff users" : users.joined(separator: ", "))", password.reveal())
        }
        let account = AtmoadminAccount(reader.on(behalfOf: atmoadmin))
        guard result.findings.contains(KeystoneAdmin.passwordShownOnce), let password = account.password else { return nil }
        return ("The password of \(account.spec.user.isEmpty ? "the atmoadmin user" : account.spec.user)", password.reveal())
    }

    /// The findings of the step's checks, in the screen's order; with `proving`, only the checks that prove an action
    /// worked, and without it, all the others (nil: all of them).
    static func observe(_ capabilities: [any StepCapability], _ run: StepContext, proving: Bool? = nil) async -> [Finding] {
        var findings: [Finding] = []
        for capability in capabilities where capability.descriptor.kind == .check {
            if let proving, capability.descriptor.traits.contains(.provesAction) != proving { continue }
            findings += await capability.observe(run)
        }
        return findings
    }

    /// How many findings of each kind: "1 failure(s), 0 warning(s), 3 ok".
    static func tally(_ findings: [Finding]) -> String {
        let counts = Dictionary(grouping: findings, by: \.severity).mapValues(\.count)
        return "\(counts[.failure] ?? 0) failure(s), \(counts[.warning] ?? 0) warning(s), \(counts[.ok] ?? 0) ok"
    }
}
