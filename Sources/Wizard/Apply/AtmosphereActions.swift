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

    /// Lint the JSON, then show it (secrets masked) and the command that will take it; nothing to do if the provider exists.
    static func providerPlan(_ engine: Engine) -> Result<ActionPlan, FindingError> {
        let context: Context
        switch Self.context(engine, checkID: "atmosphere.add-provider") {
        case let .success(found): context = found
        case let .failure(error): return .failure(error)
        }
        let settings: ProviderSettings
        switch Self.settings(context, engine: engine) {
        case let .success(built): settings = built
        case let .failure(error): return .failure(error)
        }
        let existing = (try? AccountsScript.providers(install: context.install)) ?? [:]
        if existing.values.contains(settings.name) {
            return .success(ActionPlan(summary: ["Provider \(settings.name) exists already in Atmosphere: nothing to do."], files: []))
        }
        let problems = ProviderJSONLint.findings(text: settings.json(), generation: context.install.generation, existingProviders: Array(existing.values))
            .filter { $0.severity == .failure }
        if let first = problems.first { return .failure(FindingError(first)) }
        let path = jsonPath(context)
        return .success(ActionPlan(summary: ["Write the provider JSON (mode 0600) and add provider \(settings.name) with Atmosphere's script, answering its prompts."],
                                   files: [PlannedFile(path: path, old: try? String(contentsOfFile: path, encoding: .utf8), new: settings.json(),
                                                       shown: settings.redactedJSON())],
                                   commands: ["cd \(context.install.checkout) && \(context.install.virtualenv)/bin/python scripts/add_new_provider.py --from-json \(path)"]))
    }

    static func addProvider(plan: ActionPlan, engine: Engine) -> [Finding] {
        guard case let .success(context) = Self.context(engine, checkID: "atmosphere.add-provider"),
              case let .success(settings) = Self.settings(context, engine: engine) else { return [] }
        let existing = (try? AccountsScript.providers(install: context.install)) ?? [:]
        var findings: [Finding] = []
        if let id = existing.first(where: { $0.value == settings.name })?.key {
            findings.append(Finding(checkID: "atmosphere.add-provider", target: settings.name, severity: .ok, observed: "exists already (id \(id))"))
            try? engine.setAnswers([Answer(key: "provider.id", value: .integer(id), source: .derived)])
            return findings
        }
        let path = jsonPath(context)
        do {
            try AnswersFile.writePrivately(settings.json(), to: path)
            try engine.store.recordArtifact(session: engine.session.id ?? 0, path: path)
            let outcome = try AddProviderScript.run(install: context.install, jsonPath: path, settings: settings)
            try engine.store.appendEvent(session: engine.session.id, kind: "command-run", step: "provider",
                                         detail: "add_new_provider.py --from-json \(path): status \(outcome.exitStatus)\n\(outcome.transcript)")
            findings += outcome.findings
            if outcome.succeeded, let id = try AccountsScript.providers(install: context.install).first(where: { $0.value == settings.name })?.key {
                try engine.setAnswers([Answer(key: "provider.id", value: .integer(id), source: .derived)])
                findings.append(Finding(checkID: "atmosphere.add-provider", target: settings.name, severity: .ok, observed: "provider id \(id)"))
            }
            if outcome.succeeded, context.flag("provider.delete_json", true) {
                unlink(path)
                findings.append(Finding(checkID: "atmosphere.provider-json", target: path, severity: .ok, observed: "deleted (it held the admin password)"))
            }
        } catch {
            findings.append(Finding(checkID: "atmosphere.add-provider", target: settings.name, severity: .failure,
                                    observed: (error as? ScriptError)?.message ?? error.localizedDescription, remedy: "Fix what it says and run the step again."))
        }
        return findings
    }

    /// Show the add_new_accounts.py command for the provider id found earlier.
    static func accountsPlan(_ engine: Engine) -> Result<ActionPlan, FindingError> {
        let context: Context
        switch Self.context(engine, checkID: "atmosphere.add-accounts") {
        case let .success(found): context = found
        case let .failure(error): return .failure(error)
        }
        guard case let .integer(id)? = context.answers["provider.id"] else {
            return .failure(FindingError(Finding(checkID: "atmosphere.add-accounts", target: "provider.id", severity: .failure,
                                                 observed: "the provider's id is not known yet", remedy: "Run the provider step first (it finds the id).")))
        }
        let command = (accountsArguments(engine) ?? []).joined(separator: " ")
        return .success(ActionPlan(summary: ["Give \(context.list("accounts.users").joined(separator: ", ")) an identity on provider \(id)."],
                                   files: [], commands: ["cd \(context.install.checkout) && \(context.install.virtualenv)/bin/python \(command)"]))
    }

    /// The add_new_accounts.py arguments for the answers, once the provider id is known.
    static func accountsArguments(_ engine: Engine) -> [String]? {
        let reader = AnswerReader(answers: (try? engine.answerValues()) ?? [:])
        guard case let .integer(id)? = reader.answers["provider.id"] else { return nil }
        return ["scripts/add_new_accounts.py", "--provider", String(id), "--users", reader.list("accounts.users").joined(separator: ",")]
            + (reader.flag("accounts.admin", false) ? ["--admin"] : [])
    }

    static func addAccounts(engine: Engine) -> [Finding] {
        guard case let .success(context) = Self.context(engine, checkID: "atmosphere.add-accounts"),
              case let .integer(id)? = context.answers["provider.id"] else { return [] }
        do {
            return try AccountsScript.addAccounts(install: context.install, providerID: id, users: context.list("accounts.users"),
                                                  admin: context.flag("accounts.admin", false))
        } catch {
            return [Finding(checkID: "atmosphere.add-accounts", target: "provider \(id)", severity: .failure,
                            observed: (error as? ScriptError)?.message ?? error.localizedDescription, remedy: "Fix what it says and run the step again.")]
        }
    }
}
