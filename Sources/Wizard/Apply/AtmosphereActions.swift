import AtmosphereKit
import Foundation
import StepEngine

/// The provider and accounts steps: plans that show what will run, and the runs.
enum AtmosphereActions {
    struct Context {
        var install: AtmosphereInstall
        var reader: AnswerReader

        func text(_ key: String, _ fallback: String = "") -> String { reader.text(key, fallback) }
        func list(_ key: String) -> [String] { reader.list(key) }
        func flag(_ key: String, _ fallback: Bool) -> Bool { reader.flag(key, fallback) }
        var answers: [String: AnswerValue] { reader.answers }
    }

    /// The Atmosphere installation the answers point at, or why there is none.
    static func context(_ engine: Engine, checkID: String) -> Result<Context, FindingError> {
        let reader = AnswerReader(answers: (try? engine.answerValues()) ?? [:])
        if RemoteProcedure.isRemote(reader) {
            // Atmosphere is on another server: what its probe found, kept as answers.
            return RemoteProcedure.install(reader, checkID: checkID).map { Context(install: $0, reader: reader) }
        }
        let detected = AtmosphereInstall.detect(checkout: reader.text("atmosphere.checkout", "/opt/dev/atmosphere"),
                                                virtualenv: reader.text("atmosphere.venv", "/opt/env/atmo"),
                                                ansibleCheckout: reader.text("atmosphere.ansible_checkout", "/opt/dev/atmosphere-ansible"))
        guard let install = detected.install else {
            var finding = detected.findings.first ?? Finding(checkID: checkID, target: "atmosphere", severity: .failure, observed: "not found")
            finding.checkID = checkID
            return .failure(FindingError(finding))
        }
        return .success(Context(install: install, reader: reader))
    }

    /// The provider settings from the answers and the secrets kept in memory.
    static func settings(_ context: Context, engine: Engine) -> Result<ProviderSettings, FindingError> {
        guard let password = engine.secret(for: "atmoadmin.password"), let secret = engine.secret(for: "provider.secret") else {
            return .failure(FindingError(Finding(checkID: "atmosphere.provider-json", target: "secrets", severity: .failure,
                                                 observed: "the atmoadmin password or the provider secret is not known in this run",
                                                 remedy: "Give them on the atmoadmin and provider screens (or as {from_env}/{from_file} in the answers file).")))
        }
        return .success(ProviderSettings(
            name: context.text("provider.name"), isPublic: context.flag("provider.public", true),
            adminUsername: context.text("atmoadmin.user", "atmoadmin"), adminTenant: context.text("atmoadmin.project", "atmoadmin"),
            adminPassword: password, authURL: context.text("credential.auth_url"), adminURL: context.text("credential.admin_url"),
            region: context.text("credential.region"), authVersion: context.text("credential.auth_version", "3.x_password"),
            publicRouters: context.list("provider.public_routers"), networkName: context.text("provider.network_name", "public"),
            topology: context.text("provider.topology", "External Router Topology"), dnsNameservers: context.list("provider.dns_nameservers"),
            adminRoleName: context.text("provider.admin_role_name", "admin"), userRoleName: context.text("provider.user_role_name", "member"),
            domain: context.text("provider.user_domain", "default"), secret: secret, hostnameFormat: context.text("provider.hostname_format")))
    }

    static func jsonPath(_ context: Context) -> String {
        (context.text("provider.json_path", "~/atmosphere-provider.json") as NSString).expandingTildeInPath
    }

    /// What Atmosphere holds now, or a failure finding with the cause: never "no providers" when it cannot be read.
    static func providers(_ context: Context, checkID: String) -> Result<[AtmosphereProvider], FindingError> {
        do {
            return .success(try AtmosphereProviders.list(install: context.install))
        } catch let error as AtmosphereReadError {
            return .failure(FindingError(Finding(checkID: checkID, target: context.install.checkout, severity: .failure,
                                                 observed: error.message, remedy: error.remedy)))
        } catch {
            return .failure(FindingError(Finding(checkID: checkID, target: context.install.checkout, severity: .failure,
                                                 observed: "could not read the providers: \((error as? ScriptError)?.message ?? "\(error)")",
                                                 remedy: AtmosphereReadError.unreadable(what: "", cause: "").remedy)))
        }
    }

    /// What to do about a provider of the same name: adopt it when it is this cloud's (or the operator said so), else stop.
    static func sameName(_ existing: AtmosphereProvider, settings: ProviderSettings, context: Context) -> Result<Finding, FindingError> {
        let differences = existing.differences(from: settings)
        if differences.isEmpty {
            return .success(Finding(checkID: "atmosphere.add-provider", target: settings.name, severity: .ok,
                                    observed: "exists already (id \(existing.id)) and is this cloud's: same auth URL, admin URL and region, admin identity \(existing.admin ?? "")"))
        }
        if context.flag("provider.adopt_existing", false) {
            return .success(Finding(checkID: "atmosphere.add-provider", target: settings.name, severity: .warning,
                                    observed: "exists already (id \(existing.id)) and differs: \(differences.joined(separator: "; ")); used as it is, as provider.adopt_existing says",
                                    remedy: "Fix the provider's credentials in Atmosphere's admin pages (/admin/core/provider/\(existing.id)/) if they are wrong."))
        }
        return .failure(FindingError(Finding(
            checkID: "atmosphere.add-provider", target: settings.name, severity: .failure,
            observed: "a provider named \(settings.name) exists already (id \(existing.id)) and is not this cloud's as set up here: \(differences.joined(separator: "; "))",
            expected: "a new name, or the operator's word that this provider is the one to use",
            remedy: "Choose another provider name, or set provider.adopt_existing to yes to use provider \(existing.id) as it is. atmo-connect never runs "
                + "add_new_provider.py for a name that exists: when its connection check fails, that script deletes the provider of that name.")))
    }

    /// An earlier run's provider JSON (it holds the atmoadmin password) left by a crash: removed before anything else.
    static func removeLeftoverJSON(_ context: Context, engine: Engine) -> [Finding] {
        let path = jsonPath(context)
        guard FileManager.default.fileExists(atPath: path),
              let recorded = try? engine.store.artifacts(session: engine.session.id ?? 0), recorded.contains(where: { $0.path == path }) else { return [] }
        guard unlink(path) == 0 else { return [] }
        return [Finding(checkID: "atmosphere.provider-json", target: path, severity: .info, observed: "an interrupted run's provider JSON was deleted (it held the atmoadmin password)")]
    }

    /// Lint the JSON, then show it (secrets masked) and the command that will take it; nothing to do if the provider exists.
    static func providerPlan(_ engine: Engine) -> Result<ActionPlan, FindingError> {
        context(engine, checkID: "atmosphere.add-provider").flatMap { context in
            settings(context, engine: engine).flatMap { settings in
                _ = removeLeftoverJSON(context, engine: engine)
                return providers(context, checkID: "atmosphere.add-provider").flatMap { existing in
                    if let same = existing.first(where: { $0.name == settings.name }) {
                        return sameName(same, settings: settings, context: context).map { finding in
                            ActionPlan(summary: ["Provider \(settings.name): \(finding.observed). Nothing to do."], files: [])
                        }
                    }
                    let problems = ProviderJSONLint.findings(text: settings.json(), generation: context.install.generation,
                                                             existingProviders: existing.map(\.name)).filter { $0.severity == .failure }
                    if let first = problems.first { return .failure(FindingError(first)) }
                    let path = jsonPath(context)
                    return .success(ActionPlan(
                        summary: ["Log in as \(settings.adminUsername) to prove the password, write the provider JSON (mode 0600), add provider \(settings.name) "
                                  + "with Atmosphere's script answering its prompts, then delete the JSON whatever happens."],
                        files: [PlannedFile(path: path, old: try? String(contentsOfFile: path, encoding: .utf8), new: settings.json(), shown: settings.redactedJSON())],
                        commands: ["cd \(context.install.checkout) && \(context.install.virtualenv)/bin/python scripts/add_new_provider.py --from-json \(path)"]))
                }
            }
        }
    }

    static func addProvider(plan: ActionPlan, engine: Engine) async -> [Finding] {
        let context: Context, settings: ProviderSettings
        switch Self.context(engine, checkID: "atmosphere.add-provider").flatMap({ found in Self.settings(found, engine: engine).map { (found, $0) } }) {
        case let .success((found, built)): (context, settings) = (found, built)
        case let .failure(error): return [error.finding]
        }
        var findings = removeLeftoverJSON(context, engine: engine)
        let existing: [AtmosphereProvider]
        switch providers(context, checkID: "atmosphere.add-provider") {
        case let .success(found): existing = found
        case let .failure(error): return findings + [error.finding]
        }
        if let same = existing.first(where: { $0.name == settings.name }) {
            switch sameName(same, settings: settings, context: context) {
            case let .success(finding):
                try? engine.setAnswers([Answer(key: "provider.id", value: .integer(same.id), source: .derived)])
                return findings + [finding]
            case let .failure(error): return findings + [error.finding]
            }
        }
        // The password goes into the JSON only once Keystone has taken it.
        let login = await CloudActions.atmoadminLogin(engine)
        if login.contains(where: { $0.severity == .failure }) {
            return findings + login.map { finding in
                var proven = finding
                proven.observed = "before writing the provider JSON: " + finding.observed
                return proven
            }
        }
        findings += login
        // Upstream's failed connection check deletes what it made but leaves the admin user and group: check first, as Atmosphere will.
        let urls = Array(Set([settings.authURL, settings.adminURL])).sorted()
        do {
            let reach = AtmosphereReachability.findings(try AtmosphereReachability.check(install: context.install, urls: urls), settings: settings,
                                                        checkID: "atmosphere.add-provider")
            if reach.contains(where: { $0.severity == .failure }) { return findings + reach }
            findings += reach
        } catch let error as AtmosphereReadError {
            return findings + [Finding(checkID: "atmosphere.add-provider", target: context.install.virtualenv, severity: .failure,
                                       observed: error.message, remedy: error.remedy)]
        } catch {
            return findings + [Finding(checkID: "atmosphere.add-provider", target: context.install.virtualenv, severity: .failure,
                                       observed: (error as? ScriptError)?.message ?? "\(error)", remedy: "Check atmosphere.venv and the checkout.")]
        }
        let path = jsonPath(context)
        let outcome = runAddProvider(context: context, settings: settings, path: path, engine: engine)
        // Deleted whatever happened: it holds the atmoadmin password and the provider secret.
        if unlink(path) == 0 || errno == ENOENT {
            findings.append(Finding(checkID: "atmosphere.provider-json", target: path, severity: .ok, observed: "deleted (it held the atmoadmin password)"))
        } else {
            findings.append(Finding(checkID: "atmosphere.provider-json", target: path, severity: .failure,
                                    observed: "could not be deleted (\(String(cString: strerror(errno)))); it holds the atmoadmin password and the provider secret",
                                    remedy: "Delete it by hand: rm \(path)"))
        }
        return findings + outcome
    }

    /// Writes the JSON, runs the script and reads the database to see what it did.
    static func runAddProvider(context: Context, settings: ProviderSettings, path: String, engine: Engine) -> [Finding] {
        do {
            try AnswersFile.writePrivately(settings.json(), to: path)
            try engine.store.recordArtifact(session: engine.session.id ?? 0, path: path)
            let outcome = try AddProviderScript.run(install: context.install, jsonPath: path, settings: settings)
            try engine.store.appendEvent(session: engine.session.id, kind: "command-run", step: "provider",
                                         detail: "add_new_provider.py --from-json \(path): status \(outcome.exitStatus)\n\(outcome.transcript)")
            // Believe the database, not the words: the provider and its admin identity must be there.
            let after: [AtmosphereProvider]
            switch providers(context, checkID: "atmosphere.add-provider") {
            case let .success(found): after = found
            case let .failure(error): return outcome.findings + [error.finding]
            }
            guard outcome.succeeded else { return outcome.findings }
            guard let made = after.first(where: { $0.name == settings.name }), made.admin != nil else {
                return [Finding(checkID: "atmosphere.add-provider", target: settings.name, severity: .failure,
                                observed: "the script reported success, but Atmosphere's database has no provider \(settings.name) with an admin identity",
                                remedy: "Read the script's output in the log (F2) and logs/atmosphere.log, then run this step again.")]
            }
            try engine.setAnswers([Answer(key: "provider.id", value: .integer(made.id), source: .derived)])
            return outcome.findings + [Finding(checkID: "atmosphere.add-provider", target: settings.name, severity: .ok,
                                               observed: "provider id \(made.id), admin identity \(made.admin ?? "")")]
        } catch {
            return [Finding(checkID: "atmosphere.add-provider", target: settings.name, severity: .failure,
                            observed: (error as? ScriptError)?.message ?? error.localizedDescription, remedy: "Fix what it says and run the step again.")]
        }
    }

    /// Show the add_new_accounts.py command for the users who have no identity yet on the provider.
    static func accountsPlan(_ engine: Engine) -> Result<ActionPlan, FindingError> {
        accountsWork(engine).map { context, id, missing in
            guard !missing.isEmpty else {
                return ActionPlan(summary: ["\(context.list("accounts.users").joined(separator: ", ")) already have an identity on provider \(id): nothing to do."], files: [])
            }
            let command = accountsArguments(id: id, users: missing, admin: context.flag("accounts.admin", false)).joined(separator: " ")
            return ActionPlan(summary: ["Give \(missing.joined(separator: ", ")) an identity on provider \(id)."],
                              files: [], commands: ["cd \(context.install.checkout) && \(context.install.virtualenv)/bin/python \(command)"])
        }
    }

    /// The context, the provider id and the users still without an identity there (read from Atmosphere's database).
    static func accountsWork(_ engine: Engine) -> Result<(Context, Int, [String]), FindingError> {
        context(engine, checkID: "atmosphere.add-accounts").flatMap { context in
            guard case let .integer(id)? = context.answers["provider.id"] else {
                return .failure(FindingError(Finding(checkID: "atmosphere.add-accounts", target: "provider.id", severity: .failure,
                                                     observed: "the provider's id is not known yet", remedy: "Run the provider step first (it finds the id).")))
            }
            if RemoteProcedure.isRemote(context.reader) { return .success((context, id, context.list("accounts.users"))) }
            return providers(context, checkID: "atmosphere.add-accounts").flatMap { existing in
                guard let provider = existing.first(where: { $0.id == id }) else {
                    return .failure(FindingError(Finding(checkID: "atmosphere.add-accounts", target: "provider \(id)", severity: .failure,
                                                         observed: "Atmosphere has no provider with id \(id)",
                                                         remedy: "Run the provider step again: it finds the provider's id.")))
                }
                let present = Set(provider.users.map { $0.lowercased() })
                return .success((context, id, context.list("accounts.users").filter { !present.contains($0.lowercased()) }))
            }
        }
    }

    /// The add_new_accounts.py arguments.
    static func accountsArguments(id: Int, users: [String], admin: Bool) -> [String] {
        ["scripts/add_new_accounts.py", "--provider", String(id), "--users", users.joined(separator: ",")] + (admin ? ["--admin"] : [])
    }

    /// The add_new_accounts.py arguments for the answers, once the provider id is known.
    static func accountsArguments(_ engine: Engine) -> [String]? {
        let reader = AnswerReader(answers: (try? engine.answerValues()) ?? [:])
        guard case let .integer(id)? = reader.answers["provider.id"] else { return nil }
        return accountsArguments(id: id, users: reader.list("accounts.users"), admin: reader.flag("accounts.admin", false))
    }

    static func addAccounts(engine: Engine) -> [Finding] {
        let context: Context, id: Int, missing: [String]
        switch accountsWork(engine) {
        case let .success(work): (context, id, missing) = work
        case let .failure(error): return [error.finding]
        }
        let users = context.list("accounts.users")
        guard !missing.isEmpty else {
            return users.map { Finding(checkID: "atmosphere.add-accounts", target: $0, severity: .ok, observed: "has an identity on provider \(id) already") }
        }
        do {
            let run = try AccountsScript.addAccounts(install: context.install, providerID: id, users: missing, admin: context.flag("accounts.admin", false))
            try? engine.store.appendEvent(session: engine.session.id, kind: "command-run", step: "accounts",
                                          detail: "add_new_accounts.py --provider \(id) --users \(missing.joined(separator: ",")): status \(run.status)\n\(run.output)")
            switch providers(context, checkID: "atmosphere.add-accounts") {
            case let .success(after):
                let present = Set((after.first { $0.id == id }?.users ?? []).map { $0.lowercased() })
                return AccountsScript.findings(output: run.output, status: run.status, providerID: id, users: users, present: present)
            case let .failure(error): return [error.finding]
            }
        } catch {
            return [Finding(checkID: "atmosphere.add-accounts", target: "provider \(id)", severity: .failure,
                            observed: (error as? ScriptError)?.message ?? error.localizedDescription, remedy: "Fix what it says and run the step again.")]
        }
    }
}
