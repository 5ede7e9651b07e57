import Foundation
import AtmosphereKit
import CloudProbe
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
    public static func execute(_ screen: Screen, engine: Engine, catalog: WizardCatalog, consent: Bool = false,
                               remoteOutput: String? = nil) async throws -> Outcome {
        let missing = catalog.unavailableCapabilities(of: screen)
        let runnable = screen.capabilityIDs.count > missing.count
        if !missing.isEmpty {
            let reasons = Set(missing.compactMap { capability -> String? in
                if case let .notYetAvailable(reason) = capability.availability { return reason }
                return nil
            }).sorted()
            // The checks that exist still tell the truth about the cloud now.
            let findings = runnable ? await findings(for: screen, engine: engine) : []
            return .notAvailable(capabilities: missing,
                                 reason: "its verification is not available yet in this build (arrives with \(reasons.joined(separator: "; ")))",
                                 findings: findings)
        }
        // The answers as this run starts: without them nothing runs (a failed read is no set of defaults).
        let answers: AnswerReader
        do { answers = try StepContext.answers(engine) } catch {
            return .finished(StepResult(outcome: .failed, message: error.finding.observed, findings: [error.finding]))
        }
        if RemoteSmokeCheck.applies(to: screen, answers: answers), let held = try SmokeActions.held(engine) {
            // A test kept for the Atmosphere server's check: its block, or its output (then it is removed, whatever that says).
            guard let remoteOutput else { return .needsRemoteOutput(RemoteSmokeCheck.instructions(held, answers: answers)) }
            return .finished(try await engine.run(screen.id) {
                let findings = held.findings + RemoteSmokeCheck.check(remoteOutput, held: held) + (await SmokeActions.release(engine, held))
                return StepResult.from(findings: findings, message: "the floating IP checked from the Atmosphere server; the test's resources removed")
            })
        }
        if RemoteProcedure.applies(to: screen, answers: answers) {
            let reach = remoteOutput == nil && screen.checks.contains("atmosphere.detect") ? await RemoteProcedure.cloudURLs(engine) : []
            switch RemoteProcedure.instructions(screen, engine: engine, reach: reach) {
            case let .failure(error):
                let finding = error.finding
                return .finished(try await engine.run(screen.id) { StepResult(outcome: .failed, message: finding.observed, findings: [finding]) })
            case let .success(instructions?):
                guard let remoteOutput else { return .needsRemoteOutput(instructions) }
                return .finished(try await engine.run(screen.id) {
                    // The operator ran it there; here the cloud checks run and the pasted output is checked.
                    let findings = await findings(for: screen, engine: engine) + RemoteProcedure.check(screen, output: remoteOutput, engine: engine)
                    return StepResult.from(findings: findings, message: "checked what the Atmosphere server printed")
                })
            case .success(nil):
                break
            }
        }
        var plan: ActionPlan?
        if !screen.actions.isEmpty {
            switch await ActionRunner.plan(screen, engine: engine) {
            case let .success(planned):
                if !consent && planned.changesSomething { return .needsConsent(planned) }
                plan = planned
            case let .failure(error):
                let finding = error.finding
                return .finished(try await engine.run(screen.id) { StepResult(outcome: .failed, message: finding.observed, findings: [finding]) })
            }
        }
        if let actionPlan = plan, RemoteSmokeCheck.applies(to: screen, answers: answers) {
            // The first half: the test runs and, when it passed, keeps what it made for the Atmosphere server's check.
            let (findings, held) = await SmokeActions.run(engine, holding: true)
            if let held, HostName.isAddress(held.address) { return .needsRemoteOutput(RemoteSmokeCheck.instructions(held, answers: answers)) }
            let released = held.map { held in
                [Finding(checkID: RemoteSmokeCheck.checkID, target: "floating IP", severity: .failure,
                         observed: "Neutron gave \"\(held.address.prefix(60))\", which is no IP address; it cannot be checked from the Atmosphere server",
                         remedy: "Look at the floating IPs of the external network (openstack floating ip list); then run this step again.")]
            } ?? []
            var all = findings + released
            if let held { all += await SmokeActions.release(engine, held) }
            let ended = all
            return .finished(try await engine.run(screen.id) {
                StepResult.from(findings: ended, message: actionPlan.summary.first ?? "done")
            })
        }
        let actionPlan = plan
        let result = try await engine.run(screen.id) {
            if let actionPlan {
                // The side effect happens here, between the committed `running` and the outcome; the checks that prove
                // the action (the atmoadmin login) run after it.
                let checked = await findings(for: screen, engine: engine, proving: false)
                let acted = await ActionRunner.perform(screen, plan: actionPlan, engine: engine, catalog: catalog)
                let proved = acted.contains { $0.severity == .failure } ? [] : await findings(for: screen, engine: engine, proving: true)
                let findings = checked + acted + proved
                return StepResult.from(findings: findings, message: actionPlan.summary.first ?? "done")
            }
            guard runnable else {
                // A screen with no checks or actions is satisfied by valid answers.
                return StepResult(outcome: .passed, message: "answers complete and valid")
            }
            let findings = await findings(for: screen, engine: engine)
            let counts = Dictionary(grouping: findings, by: \.severity).mapValues(\.count)
            return StepResult.from(findings: findings, message: "\(counts[.failure] ?? 0) failure(s), \(counts[.warning] ?? 0) warning(s), \(counts[.ok] ?? 0) ok")
        }
        return .finished(result)
    }

    /// The secret a step set and the operator must note now, if it set one (the password of a new atmoadmin user).
    public static func shownOnce(_ result: StepResult, engine: Engine) -> (label: String, value: String)? {
        // Only the label comes from the answers: the secret is shown even when they cannot be read.
        let reader = try? StepContext.answers(engine)
        if result.findings.contains(AtmosphereSnippets.staffPasswordShownOnce), let password = engine.secret(for: "staff.password") {
            return ("The Django password of \(reader.map { $0.list("staff.users").joined(separator: ", ") } ?? "the staff users")", password.reveal())
        }
        guard result.findings.contains(KeystoneAdmin.passwordShownOnce), let password = engine.secret(for: "atmoadmin.password") else { return nil }
        return ("The password of \(reader.map { $0.text("atmoadmin.user") } ?? "the atmoadmin user")", password.reveal())
    }

    /// The findings of every available check the screen names; with `proving`, only the checks that prove an action
    /// worked, and without it, all the others (nil: all of them).
    static func findings(for screen: Screen, engine: Engine, proving: Bool? = nil) async -> [Finding] {
        if proving == true {
            return screen.checks.contains("keystone.atmoadmin-login") ? await CloudActions.atmoadminLogin(engine) : []
        }
        let reader: AnswerReader
        do { reader = try StepContext.answers(engine) } catch { return [error.finding] }
        var findings = await CloudCheckRunner.findings(for: screen, engine: engine)
        if screen.checks.contains("atmosphere.detect"), !RemoteProcedure.isRemote(reader) {
            findings += AtmosphereInstall.detect(checkout: reader.text("atmosphere.checkout"),
                                                 virtualenv: reader.text("atmosphere.venv"),
                                                 ansibleCheckout: reader.text("atmosphere.ansible_checkout")).findings
        }
        if screen.checks.contains("dns.instance-records") {
            findings += await DNSActions.check(engine)
        }
        if proving == nil, screen.checks.contains("keystone.atmoadmin-login") {
            findings += await CloudActions.atmoadminLogin(engine)
        }
        if screen.checks.contains("atmosphere.api-verify") {
            if let url = reader.optionalText("final.api_url"), let token = engine.secret(for: "final.api_token") {
                let client = HTTPClient(configuration: .init(caBundle: reader.optionalText("final.api_cacert").map { ($0 as NSString).expandingTildeInPath }))
                findings += await AtmosphereAPIVerification.run(apiURL: url, token: token, provider: reader.text("provider.name"),
                                                                users: reader.list("accounts.users"), client: client)
            } else {
                findings.append(Finding(checkID: "atmosphere.api-verify", target: "final.api_url", severity: .warning,
                                        observed: "not verified: no Atmosphere API URL or token given",
                                        remedy: "Give final.api_url and final.api_token (a staff user's token) to check the import through /api/v2."))
            }
        }
        return findings
    }
}
