import AtmosphereKit
import Foundation
import StepEngine

/// What to do about a provider of the same name, and about what an interrupted run of this session left.
extension AddProviderAction {
    /// What to do about the provider's name in Atmosphere now.
    enum Disposition {
        /// No provider of that name: run the script.
        case absent
        /// This session's killed run left it without its AccountProvider (add_new_provider.py makes the provider, then
        /// the admin's Identity, then the AccountProvider): remove it, then run the script.
        case halfMadeHere(AtmosphereProvider)
        /// It exists and is to be used as it is.
        case adopt(AtmosphereProvider, Finding)
    }

    func disposition(of inputs: ProviderInputs, in existing: [AtmosphereProvider], run: StepContext) -> Result<Disposition, FindingError> {
        let name = inputs.name
        // One name as Atmosphere's operators read them: BAR-SB beside bar-sb is the same provider, never a second one.
        guard let same = existing.first(where: { $0.name.lowercased() == name.lowercased() }) else { return .success(.absent) }
        // Killed before the AccountProvider, the script left at most the admin's own Identity.
        if same.admin == nil, Set(same.users).isSubset(of: [inputs.adminUsername.lowercased()]) {
            do {
                if try startedHere(name, run: run) { return .success(.halfMadeHere(same)) }
            } catch { return .failure(error) }
        }
        return sameName(same, inputs: inputs).map { .adopt(same, $0) }
    }

    /// Adopt a provider of the same name when it is this cloud's (or the operator said so), else stop.
    func sameName(_ existing: AtmosphereProvider, inputs: ProviderInputs) -> Result<Finding, FindingError> {
        let settings = inputs.comparable
        let differences = existing.differences(from: settings)
        if differences.isEmpty {
            return .success(
                ok(
                    target: settings.name,
                    observed:
                        "exists already (id \(existing.id)) and is this cloud's: same auth URL, admin URL and region, admin identity \(existing.admin ?? "")"))
        }
        if inputs.adoptExisting {
            return .success(
                warning(
                    target: settings.name,
                    observed:
                        "exists already (id \(existing.id)) and differs: \(differences.joined(separator: "; ")); used as it is, as provider.adopt_existing says",
                    remedy: "Fix the provider's credentials in Atmosphere's admin pages (/admin/core/provider/\(existing.id)/) if they are wrong."))
        }
        return .failure(
            refusal(
                target: settings.name,
                observed:
                    "a provider named \(settings.name) exists already (id \(existing.id)) and is not this cloud's as set up here: \(differences.joined(separator: "; "))",
                expected: "a new name, or the operator's word that this provider is the one to use",
                remedy:
                    "Choose another provider name, or set provider.adopt_existing to yes to use provider \(existing.id) as it is. atmo-connect never runs "
                    + "add_new_provider.py for a name that exists: when its connection check fails, that script deletes the provider of that name."))
    }

    /// Whether this session ran add_new_provider.py for `name` when Atmosphere had no provider of that name; a failed
    /// read throws (a provider we cannot tell ours is never removed).
    func startedHere(_ name: String, run: StepContext) throws(FindingError) -> Bool {
        try run.journal(self).events(.providerScriptStarted).contains { $0.detail == name }
    }

    /// An earlier run's provider JSON (it holds the atmoadmin password) left by a crash: removed before anything else,
    /// and so is a half-written one a crash left under the writer's temporary name beside it. Only a file this session
    /// wrote or was about to write (named in the journal before the write) at this answer's path or one of its runs'
    /// own names is ours to remove, and only when the run that wrote it is gone (a live one, displaced or not, may be
    /// reading it).
    func removeLeftoverJSON(_ inputs: ProviderInputs, run: StepContext) throws(FindingError) -> [Finding] {
        let json = ProviderJSONAction()
        var findings: [Finding] = []
        let journal = run.journal(self)
        let ours = Set(try journal.artifacts().map(\.path) + journal.events(.artifactWriting).map(\.detail))
        for artifact in ours.sorted() where artifact == inputs.jsonPath || inputs.ownerOfName(artifact) != nil {
            if let owner = inputs.ownerOfName(artifact), owner != ProcessIdentity.pid, kill(owner, 0) == 0 { continue }
            let halfWritten: [String]
            do { halfWritten = try PrivateFile.leftovers(of: artifact) } catch {
                throw json.refusal(
                    target: error.path, observed: "an interrupted run's half-written provider JSON cannot be looked for: \(error.reason); it would hold the atmoadmin password",
                    remedy: "Check that you may read \(error.path) (run as its owner), then run the step again.")
            }
            for path in [artifact] + halfWritten where FileManager.default.fileExists(atPath: path) {
                try run.fence(self).check("delete \(path)")
                guard unlink(path) == 0 else {
                    throw json.refusal(
                        target: path,
                        observed: "an interrupted run's provider JSON could not be deleted (\(String(cString: strerror(errno)))); it holds the atmoadmin password",
                        remedy: "Delete it by hand: rm \(path)")
                }
                findings.append(json.info(target: path, observed: "an interrupted run's provider JSON was deleted (it held the atmoadmin password)"))
            }
        }
        return findings
    }

    /// Deletes a provider this session's killed script left without its AccountProvider, after checking it has none and
    /// no identity but the admin's own, which the script made (so nothing of anyone else's goes with it).
    func removeHalfMade(_ provider: AtmosphereProvider, admin: String, site: AtmosphereSite) -> Result<Finding, FindingError> {
        let code = """
            import json
            from core.models import Identity, Provider
            provider = Provider.objects.get(id=\(provider.id), location=\(AtmosphereSnippets.literal(provider.name)))
            admin = \(AtmosphereSnippets.literal(admin.lowercased()))
            removed = False
            identities = list(Identity.objects.filter(provider=provider))
            if provider.accountprovider_set.count() == 0 and all(i.created_by.username.lower() == admin for i in identities):
                for identity in identities:
                    identity.delete()
                provider.delete()
                removed = True
            print('\(DjangoShell.marker)' + json.dumps({'removed': removed}))

            """
        let result = try? DjangoShell.run(install: site.install, code: code, timeout: 120)
        // (The caller checked the fence before this removal.)
        guard result?.value?["removed"] == .bool(true) else {
            return .failure(
                refusal(
                    target: provider.name,
                    observed:
                        "provider \(provider.name) (id \(provider.id)) was left half-made by an interrupted run, and could not be removed: \(result?.tail ?? "manage.py shell did not start")",
                    remedy: "Delete it in Atmosphere's admin pages (/admin/core/provider/\(provider.id)/delete/), then run this step again."))
        }
        return .success(
            info(
                target: provider.name,
                observed:
                    "removed provider id \(provider.id), which this session's interrupted run had left without its AccountProvider"
                    + (provider.users.isEmpty ? "" : " (and the admin identity it had begun)") + "; adding it again"))
    }
}
