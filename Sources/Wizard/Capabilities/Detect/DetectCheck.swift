import AtmosphereKit
import CloudProbe
import Foundation
import StepEngine

/// Finds the Atmosphere checkout, virtualenv, atmosphere-ansible and their generation: here on disk, or on Atmosphere's
/// own server through a probe block that changes nothing.
struct DetectCheck: AtmosphereServerCapability {
    let descriptor = Capability(
        id: "atmosphere.detect", kind: .check, title: "Find the Atmosphere checkout, virtualenv and generation", availability: .available)

    /// Where Atmosphere should be; the provider's URLs the server must reach, and the cloud that lists them.
    struct Inputs: CapabilityInputs {
        var site: AtmosphereSite.Inputs
        var provider: ProviderInputs
        var cloud: CloudAccess.Inputs

        init(_ answers: InputReader) {
            site = AtmosphereSite.Inputs(answers)
            provider = ProviderInputs(answers)
            cloud = CloudAccess.Inputs(answers)
        }
    }

    func observe(_ run: StepContext) async -> [Finding] {
        // On another server, the probe's output says what is there.
        guard !run.isRemote else { return [] }
        let site = Inputs(run.reader(for: self)).site
        let detected = AtmosphereInstall.detect(checkout: site.checkout, virtualenv: site.virtualenv, ansibleCheckout: site.ansibleCheckout)
        guard let install = detected.install else { return detected.findings }
        // Kept as answers here too, so the screens show only what this generation asks (the allocation step's fields).
        return detected.findings + keep(install, run: run)
    }

    /// What was found of the installation, as derived answers the later screens read.
    func keep(_ install: AtmosphereInstall, run: StepContext) -> [Finding] {
        DerivedAnswers(engine: run.engine, owner: self).offer(
            [
                ("atmosphere.generation", .text(install.generation == .old ? "guide" : "current")),
                ("atmosphere.allocation_strategies", .bool(install.hasAllocationStrategy)),
                ("atmosphere.inventory_directory", .bool(install.usesInventoryDirectory)),
            ],
            event: .answersFromAtmosphere)
    }

    /// The probe; it also checks that the server reaches every URL of the catalog with Atmosphere's own trust store.
    func remoteBlock(_ run: StepContext) async -> Result<RemoteInstructions?, FindingError> {
        let inputs = Inputs(run.reader(for: self))
        return .success(
            RemoteInstructions(
                step: run.screen.id,
                summary: [
                    "Look at Atmosphere on its server: the generation, the virtualenv, atmosphere-ansible and its inventory, the providers. It changes nothing."
                ],
                script: RemoteScript.probe(
                    checkout: inputs.site.checkout, virtualenv: inputs.site.virtualenv, ansibleCheckout: inputs.site.ansibleCheckout,
                    reach: await cloudURLs(inputs.cloud, run: run))))
    }

    /// The URLs the Atmosphere server must reach as Atmosphere will: Keystone's public and admin endpoints and every
    /// public endpoint of the catalog, read with the operator's credentials now (none when that fails: the cloud
    /// checks say why).
    private func cloudURLs(_ cloud: CloudAccess.Inputs, run: StepContext) async -> [String] {
        guard let session = try? await CloudAccess(inputs: cloud).session(run).session else { return [] }
        let endpoints =
            session.catalog.all(interface: "public", region: cloud.region)
            + (session.catalog.endpoint(types: ["identity"], interface: "admin", region: cloud.region).map { [$0] } ?? [])
        return Array(Set(endpoints.map(\.url))).sorted()
    }

    /// What the latest probe of the Atmosphere server printed, if it ran in this session (on the screen that runs
    /// this check); a failed read is `owner`'s failure, never "not probed".
    static func latestProbe(_ run: StepContext, owner: some FindingOwner) throws(FindingError) -> RemoteProbe? {
        let probing = DetectCheck()
        guard let step = run.catalog.screens.first(where: { $0.capabilityIDs.contains(probing.id) })?.id else { return nil }
        return try run.journal(owner).latest(.remoteOutput, step: step).flatMap { RemoteOutput($0.detail).probe }
    }
}
