import Foundation
import StepEngine

/// How an unattended run ended.
public enum ApplyStop: Sendable, Equatable {
    /// Every step up to the end (or `--until`) is done.
    case completed
    /// A step ran and failed.
    case failed(step: String, message: String)
    /// A step needs answers the run does not have, or has invalid ones.
    case missingAnswers(step: String, problems: [String])
    /// A step's checks or actions are not built yet: nothing is pretended.
    case notAvailable(step: String, capabilities: [String], reason: String)
    /// A step's actions would change things and the answers file does not consent: the plan is shown, nothing done.
    case needsConsent(step: String, consentKey: String?, preview: [String])
    /// Atmosphere runs on another server and the step's output from there is not saved yet: the commands are shown, nothing done.
    case needsRemoteOutput(step: String, instructions: [String], outputFile: String?)
}

extension ApplyStop {
    /// The step the run stopped at, if it stopped early.
    public var step: String? {
        switch self {
        case .completed: nil
        case let .failed(step, _), let .missingAnswers(step, _), let .notAvailable(step, _, _), let .needsConsent(step, _, _),
            let .needsRemoteOutput(step, _, _):
            step
        }
    }
}

/// One line of the run's progress.
public struct ApplyProgress: Sendable, Equatable {
    public var step: String
    public var status: String
    public var message: String

    /// A line for a step's status.
    public init(step: String, status: String, message: String) {
        self.step = step
        self.status = status
        self.message = message
    }

    /// A line for a finding, with its remedy when it is not ok.
    init(finding: Finding, step: String) {
        self.step = step
        status = "  " + finding.severity.rawValue
        message = "\(finding.checkID): \(finding.target): \(finding.observed)" + (finding.remedy.isEmpty ? "" : " → \(finding.remedy)")
    }
}

/// Runs the plan in order without a terminal, stopping at the first step that fails or cannot run yet.
public struct UnattendedApply {
    public let engine: Engine
    public let catalog: WizardCatalog
    /// Hears a secret a step set that the operator must note now (label, value); nobody else keeps it.
    public var shownOnce: (@Sendable (String, String) -> Void)?
    /// Hears a running step's progress as it comes (step, line): a long step is never silent until its end.
    public var working: (@Sendable (String, String) -> Void)?

    /// Creates a run over one session.
    public init(engine: Engine, catalog: WizardCatalog) {
        self.engine = engine
        self.catalog = catalog
    }

    /// Runs steps until one stops the run, or through `until` (inclusive); the optional steps in `skipping` are
    /// recorded as skipped instead of run (a required one there is refused before anything runs).
    public func run(until: String? = nil, skipping: [String] = [], progress: (ApplyProgress) -> Void) async throws -> ApplyStop {
        if let until { _ = try catalog.plan.step(until) }
        for id in skipping {
            let step = try catalog.plan.step(id)
            guard !step.required else { throw EngineError.requiredStepNotSkippable(step: step.id, title: step.title) }
        }
        for screen in catalog.screens {
            let state = try engine.states().first { $0.stepID == screen.id }
            if let state, state.status.satisfiesDependents {
                progress(ApplyProgress(step: screen.id, status: state.status.rawValue, message: "already done"))
            } else if skipping.contains(screen.id) {
                let result = try await StepExecution.skip(screen, engine: engine)
                progress(ApplyProgress(step: screen.id, status: result.outcome.rawValue, message: result.message))
            } else {
                if let stop = try await runStep(screen, progress: progress) { return stop }
            }
            if screen.id == until { break }
        }
        return .completed
    }

    private func runStep(_ screen: Screen, progress: (ApplyProgress) -> Void) async throws -> ApplyStop? {
        // Derived answers follow what earlier steps learned (the floating ranges feed the inventory's hosts), as in the TUI.
        let resolution = try AnswerResolution.resolve(catalog: catalog, file: nil, stored: try engine.storedAnswers())
        try engine.setAnswers(resolution.toStore, event: .answersResolved)
        let values = try engine.answerValues()
        var problems: [String] = []
        for input in screen.inputs where input.condition?.holds(in: values) ?? true {
            if input.isSecret {
                if let secret = engine.secret(for: input.key) {
                    if let problem = input.problem(with: .text(secret.reveal())) { problems.append(problem.message) }
                } else if input.required {
                    problems.append(
                        "\(input.label) (\(input.key)) is a secret and was not supplied: add `\(input.key): {from_env: \(AnswersFile.environmentName(for: input.key))}` to the answers file."
                    )
                }
            } else if let value = values[input.key] {
                if let problem = input.problem(with: value) { problems.append("\(input.key): \(problem.message)") }
            } else if input.required {
                problems.append("\(input.label) (\(input.key)) has no answer and no default.")
            }
        }
        if !problems.isEmpty {
            progress(ApplyProgress(step: screen.id, status: "needs answers", message: problems.joined(separator: "; ")))
            return .missingAnswers(step: screen.id, problems: problems)
        }
        let result: StepResult
        // Consent to act comes only from an explicit yes in the answers (KEY.consent: true).
        let consentKey = screen.inputs.first(where: \.isConsent)?.key
        let consent = consentKey.map { values[$0] == .bool(true) } ?? false
        // With Atmosphere on another server, the operator saves each step's output there as <step>.txt for this run to check.
        let working = self.working, step = screen.id
        switch try await StepExecution.execute(
            screen, engine: engine, catalog: catalog, consent: consent, readsSavedOutputs: true, progress: { working?(step, $0) })
        {
        case let .needsRemoteOutput(instructions):
            progress(ApplyProgress(step: screen.id, status: "needs output", message: "run its commands on the Atmosphere server"))
            return .needsRemoteOutput(step: screen.id, instructions: instructions.lines, outputFile: instructions.outputFile)
        case let .needsConsent(plan):
            progress(ApplyProgress(step: screen.id, status: "needs a yes", message: plan.summary.joined(separator: " ")))
            return .needsConsent(step: screen.id, consentKey: consentKey, preview: plan.previewLines)
        case let .notAvailable(capabilities, reason, findings):
            for finding in findings { progress(ApplyProgress(finding: finding, step: screen.id)) }
            progress(ApplyProgress(step: screen.id, status: "not available", message: reason))
            return .notAvailable(step: screen.id, capabilities: capabilities.map(\.id), reason: reason)
        case let .finished(finished):
            result = finished
            if let secret = StepExecution.shownOnce(finished, engine: engine) { shownOnce?(secret.label, secret.value) }
            for finding in finished.findings { progress(ApplyProgress(finding: finding, step: screen.id)) }
        }
        progress(ApplyProgress(step: screen.id, status: result.outcome.rawValue, message: result.message))
        if result.outcome == .failed || result.outcome == .interrupted {
            return .failed(step: screen.id, message: result.message)
        }
        return nil
    }
}
