import AtmosphereKit
import Foundation
import StepEngine

/// The provider step: what Atmosphere holds, what to do about a provider of the same name, and the guarded run of
/// add_new_provider.py (password proven, reach checked, JSON deleted whatever happens).
extension AtmosphereActions {
    /// What Atmosphere holds now, or a failure finding with the cause: never "no providers" when it cannot be read.
    static func providers(_ context: Context, checkID: String) -> Result<[AtmosphereProvider], FindingError> {
        do {
            return .success(try AtmosphereProviders.list(install: context.install))
        } catch let error as AtmosphereReadError {
            return .failure(
                FindingError(
                    Finding(
                        checkID: checkID, target: context.install.checkout, severity: .failure,
                        observed: error.message, remedy: error.remedy)))
        } catch {
            return .failure(
                FindingError(
                    Finding(
                        checkID: checkID, target: context.install.checkout, severity: .failure,
                        observed: "could not read the providers: \((error as? ScriptError)?.message ?? "\(error)")",
                        remedy: AtmosphereReadError.unreadable(what: "", cause: "").remedy)))
        }
    }

    /// What to do about a provider of the same name: adopt it when it is this cloud's (or the operator said so), else stop.
    static func sameName(_ existing: AtmosphereProvider, settings: ProviderSettings, context: Context) -> Result<Finding, FindingError> {
        let differences = existing.differences(from: settings)
        if differences.isEmpty {
            return .success(
                Finding(
                    checkID: "atmosphere.add-provider", target: settings.name, severity: .ok,
                    observed:
                        "exists already (id \(existing.id)) and is this cloud's: same auth URL, admin URL and region, admin identity \(existing.admin ?? "")"
                ))
        }
        if context.flag("provider.adopt_existing") {
            return .success(
                Finding(
                    checkID: "atmosphere.add-provider", target: settings.name, severity: .warning,
                    observed:
                        "exists already (id \(existing.id)) and differs: \(differences.joined(separator: "; ")); used as it is, as provider.adopt_existing says",
                    remedy: "Fix the provider's credentials in Atmosphere's admin pages (/admin/core/provider/\(existing.id)/) if they are wrong."))
        }
        return .failure(
            FindingError(
                Finding(
                    checkID: "atmosphere.add-provider", target: settings.name, severity: .failure,
                    observed:
                        "a provider named \(settings.name) exists already (id \(existing.id)) and is not this cloud's as set up here: \(differences.joined(separator: "; "))",
                    expected: "a new name, or the operator's word that this provider is the one to use",
                    remedy:
                        "Choose another provider name, or set provider.adopt_existing to yes to use provider \(existing.id) as it is. atmo-connect never runs "
                        + "add_new_provider.py for a name that exists: when its connection check fails, that script deletes the provider of that name."
                )))
    }

    /// An earlier run's provider JSON (it holds the atmoadmin password) left by a crash: removed before anything else.
    static func removeLeftoverJSON(_ context: Context, engine: Engine) -> [Finding] {
        let path = jsonPath(context)
        guard FileManager.default.fileExists(atPath: path),
            let recorded = try? engine.store.artifacts(session: engine.session.id ?? 0), recorded.contains(where: { $0.path == path })
        else { return [] }
        guard unlink(path) == 0 else { return [] }
        return [
            Finding(
                checkID: "atmosphere.provider-json", target: path, severity: .info,
                observed: "an interrupted run's provider JSON was deleted (it held the atmoadmin password)")
        ]
    }

    /// What to do about the provider's name in Atmosphere now.
    enum Disposition {
        /// No provider of that name: run the script.
        case absent
        /// This session's killed run left it without an admin identity: remove it, then run the script.
        case halfMadeHere(AtmosphereProvider)
        /// It exists and is to be used as it is.
        case adopt(AtmosphereProvider, Finding)
    }

    static func disposition(
        of name: String, in existing: [AtmosphereProvider], settings: ProviderSettings, context: Context,
        engine: Engine
    ) -> Result<Disposition, FindingError> {
        guard let same = existing.first(where: { $0.name == name }) else { return .success(.absent) }
        if same.admin == nil, same.users.isEmpty, startedHere(name, engine: engine) { return .success(.halfMadeHere(same)) }
        return sameName(same, settings: settings, context: context).map { .adopt(same, $0) }
    }

    /// Lint the JSON, then show it (secrets masked) and the command that will take it; nothing to do if the provider exists.
    static func providerPlan(_ run: StepContext) -> Result<ActionPlan, FindingError> {
        let engine = run.engine
        return context(run, checkID: "atmosphere.add-provider").flatMap { context in
            settings(context, engine: engine, secrets: false).flatMap { compared in
                _ = removeLeftoverJSON(context, engine: engine)
                return providers(context, checkID: "atmosphere.add-provider").flatMap { existing in
                    disposition(of: compared.name, in: existing, settings: compared, context: context, engine: engine).flatMap { found in
                        var summary: [String] = []
                        switch found {
                        case let .adopt(_, finding):
                            return .success(ActionPlan(summary: ["Provider \(compared.name): \(finding.observed). Nothing to do."], files: []))
                        case let .halfMadeHere(half):
                            summary.append("Remove provider id \(half.id), which this session's interrupted run left without its admin identity.")
                        case .absent: break
                        }
                        // Only a provider still to be made needs the secrets.
                        let settings: ProviderSettings
                        switch Self.settings(context, engine: engine) {
                        case let .success(built): settings = built
                        case let .failure(error): return .failure(error)
                        }
                        let problems = ProviderJSONLint.findings(
                            text: settings.json(), generation: context.install.generation,
                            existingProviders: existing.map(\.name).filter { $0 != settings.name }
                        )
                        .filter { $0.severity == .failure }
                        if let first = problems.first { return .failure(FindingError(first)) }
                        let path = jsonPath(context)
                        summary.append(
                            "Log in as \(settings.adminUsername) to prove the password, check that the Atmosphere server reaches Keystone "
                                + "with its own trust store, write the provider JSON (mode 0600), add provider \(settings.name) with Atmosphere's "
                                + "script answering its prompts, then delete the JSON whatever happens.")
                        return .success(
                            ActionPlan(
                                summary: summary,
                                files: [
                                    PlannedFile(
                                        path: path, old: try? String(contentsOfFile: path, encoding: .utf8), new: settings.json(),
                                        shown: settings.redactedJSON())
                                ],
                                commands: [
                                    "cd \(context.install.checkout) && \(context.install.virtualenv)/bin/python scripts/add_new_provider.py --from-json \(path)"
                                ]))
                    }
                }
            }
        }
    }

    static func addProvider(plan: ActionPlan, run: StepContext) async -> [Finding] {
        let engine = run.engine
        let context: Context, compared: ProviderSettings
        switch Self.context(run, checkID: "atmosphere.add-provider").flatMap({ found in
            Self.settings(found, engine: engine, secrets: false).map { (found, $0) }
        }) {
        case let .success((found, built)): (context, compared) = (found, built)
        case let .failure(error): return [error.finding]
        }
        var findings = removeLeftoverJSON(context, engine: engine)
        let existing: [AtmosphereProvider]
        switch providers(context, checkID: "atmosphere.add-provider") {
        case let .success(found): existing = found
        case let .failure(error): return findings + [error.finding]
        }
        switch disposition(of: compared.name, in: existing, settings: compared, context: context, engine: engine) {
        case let .failure(error): return findings + [error.finding]
        case let .success(.adopt(same, finding)):
            return findings + [finding] + recordProviderID(same.id, engine: engine)
        case let .success(.halfMadeHere(half)):
            switch removeHalfMadeProvider(half, context: context) {
            case let .success(finding): findings.append(finding)
            case let .failure(error): return findings + [error.finding]
            }
        case .success(.absent): break
        }
        let settings: ProviderSettings
        switch Self.settings(context, engine: engine) {
        case let .success(built): settings = built
        case let .failure(error): return findings + [error.finding]
        }
        // The password goes into the JSON only once Keystone has taken it.
        let login = await CloudActions.atmoadminLogin(run)
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
                try AtmosphereReachability.check(install: context.install, urls: urls), settings: settings,
                checkID: "atmosphere.add-provider")
            if reach.contains(where: { $0.severity == .failure }) { return findings + reach }
            findings += reach
        } catch let error as AtmosphereReadError {
            return findings + [
                Finding(
                    checkID: "atmosphere.add-provider", target: context.install.virtualenv, severity: .failure,
                    observed: error.message, remedy: error.remedy)
            ]
        } catch {
            return findings + [
                Finding(
                    checkID: "atmosphere.add-provider", target: context.install.virtualenv, severity: .failure,
                    observed: (error as? ScriptError)?.message ?? "\(error)", remedy: "Check atmosphere.venv and the checkout.")
            ]
        }
        let path = jsonPath(context)
        let outcome = runAddProvider(context: context, settings: settings, path: path, engine: engine)
        // Deleted whatever happened: it holds the atmoadmin password and the provider secret.
        if unlink(path) == 0 || errno == ENOENT {
            findings.append(
                Finding(checkID: "atmosphere.provider-json", target: path, severity: .ok, observed: "deleted (it held the atmoadmin password)"))
        } else {
            findings.append(
                Finding(
                    checkID: "atmosphere.provider-json", target: path, severity: .failure,
                    observed: "could not be deleted (\(String(cString: strerror(errno)))); it holds the atmoadmin password and the provider secret",
                    remedy: "Delete it by hand: rm \(path)"))
        }
        return findings + outcome
    }

    /// Whether this session ran add_new_provider.py for `name` when Atmosphere had no provider of that name.
    static func startedHere(_ name: String, engine: Engine) -> Bool {
        ((try? engine.store.events(session: engine.session.id, kind: .providerScriptStarted, step: "provider")) ?? []).contains { $0.detail == name }
    }

    /// Deletes a provider this session's killed script left without an admin identity, after checking it has none and
    /// no identities at all (so nothing of anyone else's goes with it).
    static func removeHalfMadeProvider(_ provider: AtmosphereProvider, context: Context) -> Result<Finding, FindingError> {
        let code = """
            import json
            from core.models import Identity, Provider
            provider = Provider.objects.get(id=\(provider.id), location=\(AtmosphereSnippets.literal(provider.name)))
            removed = False
            if provider.accountprovider_set.count() == 0 and Identity.objects.filter(provider=provider).count() == 0:
                provider.delete()
                removed = True
            print('\(DjangoShell.marker)' + json.dumps({'removed': removed}))

            """
        let result = try? DjangoShell.run(install: context.install, code: code, timeout: 120)
        guard result?.value?["removed"] == .bool(true) else {
            return .failure(
                FindingError(
                    Finding(
                        checkID: "atmosphere.add-provider", target: provider.name, severity: .failure,
                        observed:
                            "provider \(provider.name) (id \(provider.id)) was left half-made by an interrupted run, and could not be removed: \(result?.tail ?? "manage.py shell did not start")",
                        remedy: "Delete it in Atmosphere's admin pages (/admin/core/provider/\(provider.id)/delete/), then run this step again.")))
        }
        return .success(
            Finding(
                checkID: "atmosphere.add-provider", target: provider.name, severity: .info,
                observed:
                    "removed provider id \(provider.id), which this session's interrupted run had left without its admin identity; adding it again"))
    }

    /// Writes the JSON, runs the script and reads the database to see what it did.
    static func runAddProvider(context: Context, settings: ProviderSettings, path: String, engine: Engine) -> [Finding] {
        do {
            try AnswersFile.writePrivately(settings.json(), to: path)
            try engine.store.recordArtifact(session: engine.session.id ?? 0, path: path)
            try engine.store.appendEvent(session: engine.session.id, kind: .providerScriptStarted, step: "provider", detail: settings.name)
            let outcome = try AddProviderScript.run(install: context.install, jsonPath: path, settings: settings)
            try engine.store.appendEvent(
                session: engine.session.id, kind: .commandRun, step: "provider",
                detail: "add_new_provider.py --from-json \(path): status \(outcome.exitStatus)\n\(outcome.transcript)")
            // Believe the database, not the words: the provider and its admin identity must be there.
            let after: [AtmosphereProvider]
            switch providers(context, checkID: "atmosphere.add-provider") {
            case let .success(found): after = found
            case let .failure(error): return outcome.findings + [error.finding]
            }
            guard outcome.succeeded else { return outcome.findings }
            guard let made = after.first(where: { $0.name == settings.name }), made.admin != nil else {
                return [
                    Finding(
                        checkID: "atmosphere.add-provider", target: settings.name, severity: .failure,
                        observed: "the script reported success, but Atmosphere's database has no provider \(settings.name) with an admin identity",
                        remedy: "Read the script's output in the log (F2) and logs/atmosphere.log, then run this step again.")
                ]
            }
            try engine.setAnswers([Answer(key: "provider.id", value: .integer(made.id), source: .derived)])
            return outcome.findings + [
                Finding(
                    checkID: "atmosphere.add-provider", target: settings.name, severity: .ok,
                    observed: "provider id \(made.id), admin identity \(made.admin ?? "")")
            ]
        } catch {
            return [
                Finding(
                    checkID: "atmosphere.add-provider", target: settings.name, severity: .failure,
                    observed: (error as? ScriptError)?.message ?? error.localizedDescription, remedy: "Fix what it says and run the step again.")
            ]
        }
    }
}
