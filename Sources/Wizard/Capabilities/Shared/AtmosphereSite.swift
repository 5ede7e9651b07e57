import AtmosphereKit
import Foundation
import StepEngine

/// The Atmosphere installation the answers point at: found on disk here, or as the probe of its own server found it
/// (kept as answers) when Atmosphere runs elsewhere.
struct AtmosphereSite: Sendable {
    /// Where Atmosphere is, as the answers say.
    struct Inputs: CapabilityInputs {
        var isRemote: Bool
        var checkout: String
        var virtualenv: String
        var ansibleCheckout: String
        /// What the probe of the Atmosphere server found (remote mode): its generation, nil before any probe.
        var generation: String?
        var hasAllocationStrategy: Bool
        var usesInventoryDirectory: Bool
        /// The server's name for the operator's scp line.
        var remoteHost: String

        init(_ answers: InputReader) {
            isRemote = answers.isRemote
            checkout = answers.text("atmosphere.checkout")
            virtualenv = answers.text("atmosphere.venv")
            ansibleCheckout = answers.text("atmosphere.ansible_checkout")
            generation = answers.optionalText("atmosphere.generation")
            hasAllocationStrategy = answers.flag("atmosphere.allocation_strategies")
            // Not probed yet: the layout of every Atmosphere since 2020-11.
            usesInventoryDirectory = answers.flag("atmosphere.inventory_directory", true)
            remoteHost = answers.text("atmosphere.remote_host", "ATMOSPHERE-SERVER")
        }
    }

    let inputs: Inputs
    let install: AtmosphereInstall

    /// The installation, or `owner`'s failure saying why there is none. Here, a script a killed run left running is
    /// ended first, by pid and start time (its temporary folders go too): failing to look is failing, since a script
    /// we cannot see may still be running.
    static func find(_ inputs: Inputs, run: StepContext, owner: some FindingOwner) -> Result<AtmosphereSite, FindingError> {
        if inputs.isRemote {
            guard let generation = inputs.generation else {
                return .failure(
                    owner.refusal(
                        target: "atmosphere.generation", observed: "the Atmosphere server has not been probed yet",
                        remedy: "Run the prerequisites step: it shows the probe to run on the Atmosphere server."))
            }
            return .success(
                AtmosphereSite(
                    inputs: inputs,
                    install: AtmosphereInstall(
                        checkout: inputs.checkout, virtualenv: inputs.virtualenv, ansibleCheckout: inputs.ansibleCheckout,
                        generation: generation == "guide" ? .old : .head, hasAllocationStrategy: inputs.hasAllocationStrategy,
                        usesInventoryDirectory: inputs.usesInventoryDirectory)))
        }
        do {
            let journal = Journal(engine: run.engine, step: run.screen.id, owner: owner)
            try run.fence(owner).check("end the scripts an interrupted run left")
            for line in try ChildLedger.sweep() { try journal.record(.interruptedRunCleanup, line) }
        } catch let error as FindingError {
            return .failure(error)
        } catch {
            return .failure(
                owner.refusal(
                    target: "scripts left by an interrupted run", observed: "could not be looked for: \(error)",
                    remedy: (error as? any Problem)?.remedy ?? "Check the state directory, then run the step again."))
        }
        let detected = AtmosphereInstall.detect(checkout: inputs.checkout, virtualenv: inputs.virtualenv, ansibleCheckout: inputs.ansibleCheckout)
        guard let install = detected.install else {
            var finding = detected.findings.first ?? owner.failure(target: "atmosphere", observed: "not found", remedy: "Check atmosphere.checkout.")
            finding.checkID = owner.id
            return .failure(FindingError(finding))
        }
        return .success(AtmosphereSite(inputs: inputs, install: install))
    }

    /// The command line that runs `arguments` with the virtualenv's Python in the checkout, as a preview shows it.
    func pythonCommand(_ arguments: String) -> String {
        "cd \(install.checkout) && \(install.virtualenv)/bin/python \(arguments)"
    }

    /// What Atmosphere's database holds now, or `owner`'s failure with the cause: never "no providers" when it cannot be read.
    func providers(owner: some FindingOwner) -> Result<[AtmosphereProvider], FindingError> {
        do {
            return .success(try AtmosphereProviders.list(install: install))
        } catch let error as AtmosphereReadError {
            return .failure(FindingError(Finding(error, checkID: owner.id, target: install.checkout)))
        } catch {
            return .failure(
                owner.refusal(
                    target: install.checkout, observed: "could not read the providers: \((error as? ScriptError)?.message ?? "\(error)")",
                    remedy: AtmosphereReadError.unreadable(what: "", cause: "").remedy))
        }
    }
}
