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
        func flag(_ key: String) -> Bool { reader.flag(key) }
        var answers: [String: AnswerValue] { reader.answers }
    }

    /// The Atmosphere installation the answers point at, or why there is none.
    static func context(_ run: StepContext, checkID: String) -> Result<Context, FindingError> {
        let engine = run.engine
        let reader = run.answers
        if reader.isRemote {
            // Atmosphere is on another server: what its probe found, kept as answers.
            return RemoteProcedure.install(reader, checkID: checkID).map { Context(install: $0, reader: reader) }
        }
        // A script a killed run left running is ended first, by pid and start time; its temporary folders go too.
        // Failing to look is failing: a script we cannot see may still be running.
        do {
            for line in try ChildLedger.sweep() {
                try engine.store.appendEvent(session: engine.session.id, kind: .interruptedRunCleanup, detail: line)
            }
        } catch {
            return .failure(
                FindingError(
                    Finding(
                        checkID: checkID, target: "scripts left by an interrupted run", severity: .failure,
                        observed: "could not be looked for: \(error)",
                        remedy: (error as? PrivateDirectory.Problem)?.remedy ?? "Check the state directory, then run the step again.")))
        }
        let detected = AtmosphereInstall.detect(
            checkout: reader.text("atmosphere.checkout"),
            virtualenv: reader.text("atmosphere.venv"),
            ansibleCheckout: reader.text("atmosphere.ansible_checkout"))
        guard let install = detected.install else {
            var finding = detected.findings.first ?? Finding(checkID: checkID, target: "atmosphere", severity: .failure, observed: "not found")
            finding.checkID = checkID
            return .failure(FindingError(finding))
        }
        return .success(Context(install: install, reader: reader))
    }

    /// The provider settings from the answers and the secrets kept in memory. Without `secrets`, for comparing with a
    /// provider that exists: then unknown secrets are empty (a provider that is used as it is needs none of them).
    static func settings(_ context: Context, engine: Engine, secrets: Bool = true) -> Result<ProviderSettings, FindingError> {
        let known = (engine.secret(for: "atmoadmin.password"), engine.secret(for: "provider.secret"))
        guard let password = known.0 ?? (secrets ? nil : SecretValue("")), let secret = known.1 ?? (secrets ? nil : SecretValue("")) else {
            return .failure(
                FindingError(
                    Finding(
                        checkID: "atmosphere.provider-json", target: "secrets", severity: .failure,
                        observed: "the atmoadmin password or the provider secret is not known in this run",
                        remedy: "Give them on the atmoadmin and provider screens (or as {from_env}/{from_file} in the answers file).")))
        }
        return .success(
            ProviderSettings(
                name: context.text("provider.name"), isPublic: context.flag("provider.public"),
                adminUsername: context.text("atmoadmin.user"), adminTenant: context.text("atmoadmin.project"),
                adminPassword: password, authURL: context.text("credential.auth_url"), adminURL: context.text("credential.admin_url"),
                region: context.text("credential.region"), authVersion: context.text("credential.auth_version"),
                publicRouters: context.list("provider.public_routers"), networkName: context.text("provider.network_name", "public"),
                topology: context.text("provider.topology"), dnsNameservers: context.list("provider.dns_nameservers"),
                adminRoleName: context.text("provider.admin_role_name"), userRoleName: context.text("provider.user_role_name"),
                domain: context.text("provider.user_domain"), secret: secret, hostnameFormat: context.text("provider.hostname_format")))
    }

    /// The provider's id the provider step recorded, or why a step that needs it cannot run yet.
    static func providerID(_ reader: AnswerReader, checkID: String) -> Result<Int, FindingError> {
        guard case let .integer(id)? = reader.answers["provider.id"] else {
            return .failure(
                FindingError(
                    Finding(
                        checkID: checkID, target: "provider.id", severity: .failure, observed: "the provider's id is not known yet",
                        remedy: "Run the provider step first (it finds the id).")))
        }
        return .success(id)
    }

    /// Records the provider's id for the later steps; a failed write is a failure (the accounts step needs the id).
    static func recordProviderID(_ id: Int, engine: Engine) -> [Finding] {
        do {
            try engine.setAnswers([Answer(key: "provider.id", value: .integer(id), source: .derived)])
            return []
        } catch {
            return [
                Finding(
                    checkID: "atmosphere.add-provider", target: "provider.id", severity: .failure,
                    observed: "provider id \(id) could not be recorded in the state database: \(Redactor.shared.redact(String(describing: error)))",
                    remedy: "Check the state directory (atmo-connect status names it), then run this step again: the provider is found and kept.")
            ]
        }
    }

    static func jsonPath(_ context: Context) -> String {
        (context.text("provider.json_path") as NSString).expandingTildeInPath
    }
}
