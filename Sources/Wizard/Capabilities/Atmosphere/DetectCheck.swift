import AtmosphereKit
import Foundation
import StepEngine

/// Finds the Atmosphere checkout, virtualenv, atmosphere-ansible and their generation: here on disk, or on Atmosphere's
/// own server through a probe block that changes nothing.
struct DetectCheck: StepCapability {
    let descriptor = Capability(
        id: "atmosphere.detect", kind: .check, title: "Find the Atmosphere checkout, virtualenv and generation", availability: .available)

    var runsOnAtmosphereServer: Bool { true }

    func observe(_ run: StepContext) async -> [Finding] {
        // On another server, the probe's output says what is there.
        guard !run.isRemote else { return [] }
        return AtmosphereInstall.detect(
            checkout: run.answers.text("atmosphere.checkout"), virtualenv: run.answers.text("atmosphere.venv"),
            ansibleCheckout: run.answers.text("atmosphere.ansible_checkout")
        ).findings
    }

    func remoteBlock(_ run: StepContext) async -> Result<RemoteInstructions?, FindingError> {
        // The cloud's URLs are asked for only when the block is to be shown, not when its output is read.
        let reach = run.remoteOutput == nil ? await RemoteProcedure.cloudURLs(run) : []
        return .success(
            RemoteInstructions(
                step: run.screen.id,
                summary: [
                    "Look at Atmosphere on its server: the generation, the virtualenv, atmosphere-ansible and its inventory, the providers. It changes nothing."
                ],
                script: RemoteScript.probe(
                    checkout: run.answers.text("atmosphere.checkout"), virtualenv: run.answers.text("atmosphere.venv"),
                    ansibleCheckout: run.answers.text("atmosphere.ansible_checkout"), reach: reach)))
    }

    func readRemote(_ output: RemoteOutput, run: StepContext) -> [Finding] { RemoteProcedure.checkProbe(output, run: run) }
}
