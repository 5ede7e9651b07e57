import AtmosphereKit
import CloudProbe
import Foundation
import StepEngine

/// Boots a server, attaches a floating IP and a volume, checks them, then removes them all.
///
/// When Atmosphere runs on another server the floating IP answered here, and must answer there too (Atmosphere's
/// deploy reaches each new instance over SSH from its server): the test's server is kept while the operator runs a
/// block there; whatever comes back, it is removed afterwards.
struct SmokeTestAction: StepCapability {
    static let checkID = "cloud.smoke-test"

    let descriptor = Capability(
        id: checkID, kind: .action, title: "Boot a server, attach a floating IP and a volume, then clean up", availability: .available)

    var takesAsLongAsTheCloud: Bool { true }

    func plan(_ run: StepContext) async -> Result<ActionPlan, FindingError>? { SmokeActions.plan(run) }

    func perform(_ run: StepContext, plan: ActionPlan) async -> [Finding] { await SmokeActions.run(run) }

    /// A test kept for the Atmosphere server's check: its block, or its output (then it is removed, whatever that says).
    func resumption(_ run: StepContext) async throws -> StepExecution.Outcome? {
        guard run.isRemote, let held = try SmokeActions.held(run.engine) else { return nil }
        guard let remoteOutput = run.remoteOutput else { return .needsRemoteOutput(Self.instructions(held, answers: run.answers)) }
        return .finished(
            try await run.engine.run(run.screen.id) {
                let findings = held.findings + Self.check(remoteOutput, held: held) + (await SmokeActions.release(run, held))
                return StepResult.from(
                    findings: findings, message: "the floating IP checked from the Atmosphere server; the test's resources removed")
            })
    }

    /// Only an output that answers the test kept now (an older test's output is no answer to this one); a failed read
    /// of the journal is no answer either: the step's own read of it fails with the cause.
    func takes(savedOutput text: String, engine: Engine) -> Bool {
        guard let held = try? SmokeActions.held(engine) else { return false }
        return InstanceReachability.answer(in: text, tag: held.tag) != nil
    }

    /// The first half with Atmosphere elsewhere: the test runs and, when it passed, keeps what it made for the
    /// Atmosphere server's check.
    func ownCourse(_ run: StepContext, plan: ActionPlan) async throws -> StepExecution.Outcome? {
        guard run.isRemote else { return nil }
        let (findings, held) = await SmokeActions.run(run, holding: true)
        if let held, HostName.isAddress(held.address) { return .needsRemoteOutput(Self.instructions(held, answers: run.answers)) }
        let released =
            held.map { held in
                [
                    Finding(
                        checkID: Self.checkID, target: "floating IP", severity: .failure,
                        observed:
                            "Neutron gave \"\(held.address.prefix(60))\", which is no IP address; it cannot be checked from the Atmosphere server",
                        remedy: "Look at the floating IPs of the external network (openstack floating ip list); then run this step again.")
                ]
            } ?? []
        var all = findings + released
        if let held { all += await SmokeActions.release(run, held) }
        let ended = all
        return .finished(
            try await run.engine.run(run.screen.id) {
                StepResult.from(findings: ended, message: plan.summary.first ?? "done")
            })
    }

    /// What the preview adds: the check from the server, and that the resources wait for it.
    static func planned(port: Int) -> String {
        "before the removal, a check from the Atmosphere server that TCP \(port) answers at the floating IP: a block to run there; "
            + "the server, floating IP and volume stay until its output is pasted back"
    }

    /// The block for the held test.
    static func instructions(_ held: SmokeTest.Held, answers: AnswerReader) -> RemoteInstructions {
        let virtualenv = answers.text("atmosphere.venv")
        let made = held.made.map(\.text).joined(separator: ", ")
        // SmokeActions.options refused to create anything without it in remote mode: the screen's default is there.
        let patience = answers.integer("smoke.reach_seconds") ?? 1
        return RemoteProcedure.saved(
            RemoteInstructions(
                step: "exercise-cloud",
                summary: [
                    "The test server answers TCP \(held.port) at \(held.address) from here. Atmosphere connects to its instances from its own server: "
                        + "check from there. Nothing changes on the server; it tries for up to \(patience) s (smoke.reach_seconds)."
                ],
                script: InstanceReachability.block(
                    virtualenv: virtualenv, address: held.address, port: held.port, tag: held.tag, patience: patience),
                notes: [
                    "Kept on the cloud until the output comes back: \(made). Pasting anything (even nothing) removes them; so does running this step with atmosphere.remote off."
                ]),
            answers: answers)
    }

    /// The server's answer as findings.
    static func check(_ output: String, held: SmokeTest.Held) -> [Finding] {
        let target = "\(held.address):\(held.port) from the Atmosphere server"
        guard let answer = InstanceReachability.answer(in: output, tag: held.tag) else {
            let other = DjangoShell.lastResult(in: output, as: InstanceReachability.Answer.self)
            return [
                Finding(
                    checkID: checkID, target: target, severity: .failure,
                    observed: other.map { "the pasted output is from another test (\($0.address), tag \($0.tag)), not this one (tag \(held.tag))" }
                        ?? "the pasted text has no result line (ATMO-CONNECT-RESULT after ATMO-CONNECT-INSTANCE)",
                    remedy: "Run this step again: it boots a new test server and shows its block; paste everything that block prints.")
            ]
        }
        if answer.ok {
            return [
                Finding(
                    checkID: checkID, target: target, severity: .ok,
                    observed:
                        "answers (after \(String(format: "%.1f", answer.seconds)) s): Atmosphere's server reaches instances at their floating IPs")
            ]
        }
        return [
            Finding(
                checkID: checkID, target: target, severity: .failure,
                observed: "does not answer there after \(Int(answer.seconds)) s (\(answer.error ?? "no error given")), while it answers here",
                remedy: "Atmosphere deploys each instance over SSH from its server: give that server a route to the floating range "
                    + "(the external network's subnet) and allow TCP \(held.port) from its address in the security group and any firewall between; then run this step again."
            )
        ]
    }
}
