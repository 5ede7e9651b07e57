import AtmosphereKit
import CloudProbe
import Foundation
import StepEngine

extension SmokeTestAction {
    /// What the preview adds: the check from the server, and that the resources wait for it.
    static func planned(port: Int) -> String {
        "before the removal, a check from the Atmosphere server that TCP \(port) answers at the floating IP: a block to run there; "
            + "the server, floating IP and volume stay until its output is pasted back"
    }

    /// The block for the held test, saved in the outputs folder; only an output with its tag answers it.
    static func instructions(_ held: SmokeTest.Held, inputs: Inputs, run: StepContext) -> RemoteInstructions {
        let made = held.made.map(\.text).joined(separator: ", ")
        // `options()` refused to create anything without it in remote mode: the screen's default is there.
        let patience = inputs.reachSeconds ?? 1
        var instructions = RemoteInstructions(
            step: run.screen.id,
            summary: [
                "The test server answers TCP \(held.port) at \(held.address) from here. Atmosphere connects to its instances from its own server: "
                    + "check from there. Nothing changes on the server; it tries for up to \(patience) s (smoke.reach_seconds)."
            ],
            script: InstanceReachability.block(
                virtualenv: inputs.virtualenv, address: held.address, port: held.port, tag: held.tag, patience: patience),
            notes: [
                "Kept on the cloud until the output comes back: \(made). Pasting anything (even nothing) removes them; so does running this step with atmosphere.remote off."
            ])
        instructions.answerMark = held.tag
        return RemoteOutbox(run).saved(instructions)
    }

    /// The server's answer as findings.
    func check(_ output: String, held: SmokeTest.Held) -> [Finding] {
        let target = "\(held.address):\(held.port) from the Atmosphere server"
        guard let answer = InstanceReachability.answer(in: output, tag: held.tag) else {
            let other = DjangoShell.lastResult(in: output, as: InstanceReachability.Answer.self)
            return [
                failure(
                    target: target,
                    observed: other.map { "the pasted output is from another test (\($0.address), tag \($0.tag)), not this one (tag \(held.tag))" }
                        ?? "the pasted text has no result line (ATMO-CONNECT-RESULT after ATMO-CONNECT-INSTANCE)",
                    remedy: "Run this step again: it boots a new test server and shows its block; paste everything that block prints.")
            ]
        }
        if answer.ok {
            return [
                ok(
                    target: target,
                    observed: "answers (after \(String(format: "%.1f", answer.seconds)) s): Atmosphere's server reaches instances at their floating IPs")
            ]
        }
        return [
            failure(
                target: target,
                observed: "does not answer there after \(Int(answer.seconds)) s (\(answer.error ?? "no error given")), while it answers here",
                remedy: "Atmosphere deploys each instance over SSH from its server: give that server a route to the floating range "
                    + "(the external network's subnet) and allow TCP \(held.port) from its address in the security group and any firewall between; then run this step again."
            )
        ]
    }
}
