import AtmosphereKit
import CloudProbe
import Foundation
import StepEngine

/// Boots a server, attaches a floating IP and a volume, checks them, then removes them all; every resource is in the
/// journal from the moment it exists.
///
/// When Atmosphere runs on another server the floating IP answered here, and must answer there too (Atmosphere's
/// deploy reaches each new instance over SSH from its server): the test's server is kept while the operator runs a
/// block there; whatever comes back, it is removed afterwards.
struct SmokeTestAction: StepCapability {
    let descriptor = Capability(
        id: "cloud.smoke-test", kind: .action, title: "Boot a server, attach a floating IP and a volume, then clean up",
        availability: .available, traits: .takesAsLongAsTheCloud)

    /// What to boot, how long each stage may take, and (remote mode) how long the Atmosphere server tries.
    struct Inputs: CapabilityInputs {
        var cloud: CloudAccess.Inputs
        var image: String?
        var flavor: String?
        var network: String?
        var timeout: Int?
        var sshPort: Int?
        var reachSeconds: Int?
        var isRemote: Bool
        var virtualenv: String
        private let owner: any FindingOwner

        init(_ answers: InputReader) {
            cloud = CloudAccess.Inputs(answers)
            image = answers.optionalText("smoke.image")
            flavor = answers.optionalText("smoke.flavor")
            network = answers.optionalText("smoke.network")
            timeout = answers.integer("smoke.timeout_seconds")
            sshPort = answers.integer("smoke.ssh_port")
            reachSeconds = answers.integer("smoke.reach_seconds")
            isRemote = answers.isRemote
            virtualenv = answers.text("atmosphere.venv")
            owner = answers.owner
        }

        /// The test's settings; a number missing among the answers (where the screen's defaults are) is a failure that
        /// names it, never a value written again here.
        func options() throws(FindingError) -> SmokeTest.Options {
            // With Atmosphere on another server, its check of the floating IP has a patience of its own.
            let numbers = [("smoke.timeout_seconds", timeout), ("smoke.ssh_port", sshPort)] + (isRemote ? [("smoke.reach_seconds", reachSeconds)] : [])
            let missing = numbers.filter { $0.1 == nil }.map(\.0)
            guard missing.isEmpty, let timeout, let sshPort else {
                throw owner.refusal(
                    target: missing.joined(separator: ", "), observed: "has no number among the answers, so nothing was created",
                    remedy: "Give it on this step's screen or in the answers file (atmo-connect export --template shows its default).")
            }
            return SmokeTest.Options(image: image, flavor: flavor, network: network, timeout: TimeInterval(timeout), sshPort: sshPort)
        }
    }

    /// The step's record of what its runs made.
    func record(_ run: StepContext) -> SmokeJournal { SmokeJournal(journal: run.journal(self)) }

    func plan(_ run: StepContext) async -> Result<ActionPlan, FindingError>? {
        let inputs = Inputs(run.reader(for: self))
        let options: SmokeTest.Options, left: [SmokeTest.Resource]
        do {
            options = try inputs.options()
            left = try record(run).leftovers()
        } catch { return .failure(error) }
        var changes = left.reversed().map { "remove \($0.kind) \($0.id), left by an interrupted run" }
        changes += [
            "a server from image \(options.image ?? "(the smallest active)"), flavor \(options.flavor ?? "(the smallest)"), network \(options.network ?? "(the first tenant network)")",
            "a floating IP on the external network, attached to it; then a check that TCP \(options.sshPort) answers there",
            "a 1 GiB volume, attached to the server",
            "then the removal of all of them, also after a failure",
        ]
        if inputs.isRemote { changes.insert(Self.planned(port: options.sshPort), at: changes.count - 1) }
        return .success(
            ActionPlan(
                summary: ["Exercise the cloud: each stage may take up to \(Int(options.timeout)) s (smoke.timeout_seconds)."],
                files: [], changes: changes,
                equivalents: [
                    "openstack server create --image IMAGE --flavor FLAVOR --network NETWORK --wait atmo-connect-smoke",
                    "openstack floating ip create EXTERNAL; openstack server add floating ip atmo-connect-smoke ADDRESS",
                    "openstack volume create --size 1 atmo-connect-smoke; openstack server add volume atmo-connect-smoke atmo-connect-smoke",
                ]))
    }

    /// Cleans up after an interrupted run, then runs the test.
    func perform(_ run: StepContext, plan: ActionPlan) async -> [Finding] {
        await test(run, holding: false).findings
    }

    /// With Atmosphere elsewhere: a test kept for the Atmosphere server's check waits for its output (then it is
    /// removed, whatever that says); once the operator said yes, the test runs and, when it passed, is kept for that check.
    func course(_ run: StepContext, consented plan: ActionPlan?) async throws -> Course {
        guard run.isRemote else { return .usual }
        guard let plan else {
            guard let held = try record(run).held() else { return .usual }
            let instructions = Self.instructions(held, inputs: Inputs(run.reader(for: self)), run: run)
            guard let output = run.output(answering: instructions) else { return .awaitServer(instructions) }
            return .end(message: "the floating IP checked from the Atmosphere server; the test's resources removed") {
                held.findings + check(output, held: held) + (await release(run, held))
            }
        }
        let (ran, held) = await test(run, holding: true)
        if let held, HostName.isAddress(held.address) {
            return .awaitServer(Self.instructions(held, inputs: Inputs(run.reader(for: self)), run: run))
        }
        let notAnAddress = held.map { held in
            failure(
                target: "floating IP",
                observed: "Neutron gave \"\(held.address.prefix(60))\", which is no IP address; it cannot be checked from the Atmosphere server",
                remedy: "Look at the floating IPs of the external network (openstack floating ip list); then run this step again.")
        }
        var ended = ran + (notAnAddress.map { [$0] } ?? [])
        if let held { ended += await release(run, held) }
        let findings = ended
        return .end(message: plan.summary.first ?? "done") { findings }
    }
}
