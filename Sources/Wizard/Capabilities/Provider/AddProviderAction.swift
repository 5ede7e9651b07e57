import AtmosphereKit
import Foundation
import StepEngine

/// Runs add_new_provider.py --from-json and finds the provider's id: here, or on Atmosphere's own server through a
/// block that copies the JSON over, checks that the server reaches Keystone, runs the script and lists the providers.
/// Here the run is guarded: password proven, reach checked, JSON deleted whatever happens.
struct AddProviderAction: AtmosphereServerCapability {
    typealias Inputs = ProviderInputs

    let descriptor = Capability(
        id: "atmosphere.add-provider", kind: .action, title: "Run add_new_provider.py --from-json and find the provider id", availability: .available)

    /// Atmosphere, here or as probed, for these inputs.
    func site(_ inputs: Inputs, run: StepContext) -> Result<AtmosphereSite, FindingError> {
        AtmosphereSite.find(inputs.site, run: run, owner: self)
    }

    /// Lint the JSON, then show it (secrets masked) and the command that will take it; nothing to do if the provider exists.
    func plan(_ run: StepContext) async -> Result<ActionPlan, FindingError>? {
        let inputs = Inputs(run.reader(for: self))
        let site: AtmosphereSite, existing: [AtmosphereProvider], found: Disposition
        do {
            site = try self.site(inputs, run: run).get()
            _ = try removeLeftoverJSON(inputs, run: run)
            existing = try site.providers(owner: self).get()
            found = try disposition(of: inputs, in: existing, run: run).get()
        } catch {
            return .failure(error)
        }
        var summary: [String] = []
        switch found {
        case let .adopt(_, finding):
            return .success(ActionPlan(summary: ["Provider \(inputs.name): \(finding.observed). Nothing to do."], files: []))
        case let .halfMadeHere(half):
            summary.append("Remove provider id \(half.id), which this session's interrupted run left without its AccountProvider.")
        case .absent: break
        }
        // Only a provider still to be made needs the secrets.
        let settings: ProviderSettings
        do { settings = try inputs.settings() } catch { return .failure(error) }
        let problems = ProviderJSONLint.findings(
            text: settings.json(), generation: site.install.generation, existingProviders: existing.map(\.name).filter { $0 != settings.name }
        ).filter { $0.severity == .failure }
        if let first = problems.first { return .failure(FindingError(first)) }
        let path = inputs.runJSONPath
        let old: String?
        do { old = try ExistingFile(owner: ProviderJSONAction()).read(path) } catch { return .failure(error) }
        summary.append(
            "Log in as \(settings.adminUsername) to prove the password, check that the Atmosphere server reaches Keystone "
                + "with its own trust store, write the provider JSON (mode 0600), add provider \(settings.name) with Atmosphere's "
                + "script answering its prompts, then delete the JSON whatever happens.")
        return .success(
            ActionPlan(
                summary: summary,
                files: [PlannedFile(path: path, old: old, new: settings.json(), shown: settings.redactedJSON())],
                commands: [site.pythonCommand("scripts/add_new_provider.py --from-json \(path)")]))
    }

    func perform(_ run: StepContext, plan: ActionPlan) async -> [Finding] {
        let inputs = Inputs(run.reader(for: self))
        let site: AtmosphereSite
        switch self.site(inputs, run: run) {
        case let .success(found): site = found
        case let .failure(error): return [error.finding]
        }
        var findings: [Finding] = []
        let existing: [AtmosphereProvider]
        do {
            findings += try removeLeftoverJSON(inputs, run: run)
            existing = try site.providers(owner: self).get()
        } catch {
            return findings + [error.finding]
        }
        switch disposition(of: inputs, in: existing, run: run) {
        case let .failure(error): return findings + [error.finding]
        case let .success(.adopt(same, finding)):
            return findings + [finding] + ProviderRecord.keep(same.id, journal: run.journal(self))
        case let .success(.halfMadeHere(half)):
            do { try run.fence(self).check("remove provider id \(half.id)") } catch { return findings + [error.finding] }
            switch removeHalfMade(half, admin: inputs.adminUsername, site: site) {
            case let .success(finding): findings.append(finding)
            case let .failure(error): return findings + [error.finding]
            }
        case .success(.absent): break
        }
        let settings: ProviderSettings
        do { settings = try inputs.settings() } catch { return findings + [error.finding] }
        // The password goes into the JSON only once Keystone has taken it; a password of ours that a killed run lost
        // is renewed first (the user is this session's).
        var login = await AtmoadminLoginCheck().observe(run)
        if login.contains(where: { $0.severity == .failure }), let renewed = await AtmoadminAction().renewLostPassword(run) {
            findings += renewed
            if !renewed.contains(where: { $0.severity == .failure }) { login = await AtmoadminLoginCheck().observe(run) }
        }
        if login.contains(where: { $0.severity == .failure }) {
            return findings
                + login.map { finding in
                    var proven = finding
                    proven.observed = "before writing the provider JSON: " + finding.observed
                    return proven
                }
        }
        findings += login
        // Upstream's failed connection check deletes what it made but leaves the admin user and group: check first, as Atmosphere will.
        let urls = Array(Set([settings.authURL, settings.adminURL])).sorted()
        do {
            let reach = AtmosphereReachability.findings(
                try AtmosphereReachability.check(install: site.install, urls: urls), settings: settings, checkID: id)
            if reach.contains(where: { $0.severity == .failure }) { return findings + reach }
            findings += reach
        } catch {
            return findings + [failure(error, target: site.install.virtualenv, remedy: "Check atmosphere.venv and the checkout.")]
        }
        let path = inputs.runJSONPath
        let outcome = runScript(site: site, settings: settings, path: path, run: run)
        // Deleted whatever happened, even by a displaced run (the name is this run's own): it holds the atmoadmin
        // password and the provider secret.
        let json = ProviderJSONAction()
        if unlink(path) == 0 || errno == ENOENT {
            findings.append(json.ok(target: path, observed: "deleted (it held the atmoadmin password)"))
        } else {
            findings.append(
                json.failure(
                    target: path,
                    observed: "could not be deleted (\(String(cString: strerror(errno)))); it holds the atmoadmin password and the provider secret",
                    remedy: "Delete it by hand: rm \(path)"))
        }
        return findings + outcome
    }

    /// Writes the JSON, runs the script and reads the database to see what it did. The JSON and the script's start are
    /// recorded before the script runs: a failed write stops it there.
    private func runScript(site: AtmosphereSite, settings: ProviderSettings, path: String, run: StepContext) -> [Finding] {
        let journal = run.journal(self), fence = run.fence(self)
        do {
            try fence.check("write the provider JSON")
            // Named first: a crash mid-write leaves a file the next run knows as ours, and removes.
            try journal.record(.artifactWriting, path)
            try AnswersFile.writePrivately(settings.json(), to: path)
            try journal.recordArtifact(path)
            try journal.record(.providerScriptStarted, settings.name)
            try fence.check("run add_new_provider.py")
            let outcome = try AddProviderScript.run(install: site.install, jsonPath: path, settings: settings)
            try journal.record(.commandRun, "add_new_provider.py --from-json \(path): status \(outcome.exitStatus)\n\(outcome.transcript)")
            // Believe the database, not the words: the provider and its admin identity must be there.
            let after: [AtmosphereProvider]
            switch site.providers(owner: self) {
            case let .success(found): after = found
            case let .failure(error): return outcome.findings + [error.finding]
            }
            guard outcome.succeeded else { return outcome.findings }
            guard let made = after.first(where: { $0.name == settings.name }), made.admin != nil else {
                return [
                    failure(
                        target: settings.name,
                        observed: "the script reported success, but Atmosphere's database has no provider \(settings.name) with an admin identity",
                        remedy: "Read the script's output in the log (F2) and logs/atmosphere.log, then run this step again.")
                ]
            }
            return outcome.findings + [ok(target: settings.name, observed: "provider id \(made.id), admin identity \(made.admin ?? "")")]
                + ProviderRecord.keep(made.id, journal: journal)
        } catch {
            return [failure(error, target: settings.name, remedy: "Fix what it says and run the step again.")]
        }
    }
}
