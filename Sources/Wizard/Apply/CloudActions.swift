import CloudProbe
import Foundation
import StepEngine

/// The actions on the cloud itself, with the operator's admin credentials.
enum CloudActions {
    static func spec(_ reader: AnswerReader) -> AtmoadminSpec {
        AtmoadminSpec(
            domain: reader.text("atmoadmin.domain"), project: reader.text("atmoadmin.project"),
            user: reader.text("atmoadmin.user"), role: reader.text("atmoadmin.role"))
    }

    /// An admin session from the operator's credentials.
    static func admin(_ run: StepContext, checkID: String) async -> Result<KeystoneAdmin, FindingError> {
        do {
            let (credentials, client) = try CloudCheckRunner.operatorCredentials(run)
            let session = try await KeystoneClient(client: client).authenticate(credentials)
            return .success(KeystoneAdmin(client: client, session: session))
        } catch {
            return .failure(FindingError(failure(error, checkID: checkID, target: "your admin credentials")))
        }
    }

    static func failure(_ error: Error, checkID: String, target: String) -> Finding {
        if let found = error as? FindingError { return found.finding }
        if let keystone = error as? KeystoneError {
            return Finding(checkID: checkID, target: target, severity: .failure, observed: keystone.message, remedy: keystone.remedy)
        }
        if let problem = error as? LocatedProblem {
            return Finding(checkID: checkID, target: problem.path, severity: .failure, observed: problem.problem, remedy: problem.remedy)
        }
        return Finding(
            checkID: checkID, target: target, severity: .failure, observed: Redactor.shared.redact(String(describing: error)),
            remedy: "Check the prerequisites screen's answers.")
    }

    /// What exists of the account and what will be created; nothing to ask when everything is there.
    static func atmoadminPlan(_ run: StepContext) async -> Result<ActionPlan, FindingError> {
        let reader = run.answers
        let spec = spec(reader)
        let admin: KeystoneAdmin
        switch await self.admin(run, checkID: "keystone.atmoadmin") {
        case let .success(found): admin = found
        case let .failure(error): return .failure(error)
        }
        let survey: AtmoadminSurvey
        do {
            survey = try await admin.survey(spec)
        } catch {
            return .failure(FindingError(failure(error, checkID: "keystone.atmoadmin", target: "domain \(spec.domain)")))
        }
        let reset = reader.flag("atmoadmin.reset_password")
        var changes: [String] = []
        if survey.projectID == nil { changes.append("project \(spec.project) in domain \(spec.domain)") }
        if survey.userID == nil {
            changes.append("user \(spec.user) in domain \(spec.domain), with the password from this screen (shown once after)")
        }
        if survey.userID != nil && reset { changes.append("a new password for the existing user \(spec.user) (shown once after)") }
        if !survey.granted { changes.append("the \(spec.role) role for \(spec.user) on \(spec.project)") }
        var summary = ["Keystone at \(admin.session.identityURL), domain \(spec.domain) (id \(survey.domainID)):"]
        summary.append("  project \(spec.project): " + (survey.projectID.map { "exists (id \($0))" } ?? "to be created"))
        summary.append(
            "  user \(spec.user): "
                + (survey.userID.map { "exists (id \($0))" + (reset ? "; its password will be replaced" : "") } ?? "to be created"))
        summary.append("  \(spec.role) on \(spec.project): " + (survey.granted ? "granted" : "to be granted"))
        if !changes.isEmpty { summary.append("Note: the \(spec.role) role gives this account admin rights on the whole cloud.") }
        return .success(ActionPlan(summary: summary, files: [], changes: changes, equivalents: changes.isEmpty ? [] : spec.openstackCommands))
    }

    /// Creates what is missing; each new id goes to the state database the moment Keystone returns it.
    static func ensureAtmoadmin(_ run: StepContext) async -> [Finding] {
        let engine = run.engine
        let reader = run.answers
        let spec = spec(reader)
        guard let password = engine.secret(for: "atmoadmin.password") else {
            return [
                Finding(
                    checkID: "keystone.atmoadmin", target: "atmoadmin.password", severity: .failure, observed: "no password in this run",
                    remedy: "Type one on the atmoadmin screen, or give atmoadmin.password in the answers file.")
            ]
        }
        switch await admin(run, checkID: "keystone.atmoadmin") {
        case let .failure(error): return [error.finding]
        case let .success(admin):
            do {
                return try await admin.ensure(spec, password: password, resetPassword: reader.flag("atmoadmin.reset_password")) { kind, id in
                    try? engine.store.appendEvent(
                        session: engine.session.id, kind: .cloudCreated, step: "atmoadmin", detail: "keystone \(kind) \(id)")
                }
            } catch {
                return [failure(error, checkID: "keystone.atmoadmin", target: "\(spec.user) in \(spec.project)")]
            }
        }
    }

    /// Logs in as atmoadmin, scoped to its project, and looks for the admin role in the token.
    static func atmoadminLogin(_ run: StepContext) async -> [Finding] {
        let engine = run.engine
        let reader = run.answers
        let spec = spec(reader)
        let target = "\(spec.user) in \(spec.project)"
        guard let password = engine.secret(for: "atmoadmin.password") else {
            return [
                Finding(
                    checkID: "keystone.atmoadmin-login", target: target, severity: .failure, observed: "no password in this run to log in with",
                    remedy: "Type the atmoadmin password on the atmoadmin screen.")
            ]
        }
        do {
            let (operatorCredentials, client) = try CloudCheckRunner.operatorCredentials(run)
            // "default" is the default domain's id; anything else is taken as a domain name.
            let domain =
                spec.domain == "default"
                ? ["OS_USER_DOMAIN_ID": "default", "OS_PROJECT_DOMAIN_ID": "default"]
                : ["OS_USER_DOMAIN_NAME": spec.domain, "OS_PROJECT_DOMAIN_NAME": spec.domain]
            var credentials = try CloudCredentials.from(
                variables: [
                    "OS_AUTH_URL": operatorCredentials.authURL, "OS_USERNAME": spec.user,
                    "OS_PROJECT_NAME": spec.project,
                ].merging(domain) { $1 },
                source: "the atmoadmin screen", secretMustBeAsked: true)
            credentials.secret = password
            let session = try await KeystoneClient(client: client).authenticate(credentials)
            guard session.roles.contains(spec.role) else {
                return [
                    Finding(
                        checkID: "keystone.atmoadmin-login", target: target, severity: .failure,
                        observed: "logged in, but the token's roles are \(session.roles.joined(separator: ", ")), without \(spec.role)",
                        remedy: "Run this step's action again: it grants \(spec.role) on \(spec.project).")
                ]
            }
            return [
                Finding(
                    checkID: "keystone.atmoadmin-login", target: target, severity: .ok,
                    observed: "logged in to project \(session.projectName); roles: \(session.roles.sorted().joined(separator: ", "))")
            ]
        } catch let error as KeystoneError {
            if case .unauthorized = error {
                return [
                    Finding(
                        checkID: "keystone.atmoadmin-login", target: target, severity: .failure, observed: error.message,
                        remedy:
                            "The password is not the user's: type the one shown when it was created, or set atmoadmin.reset_password to set this one."
                    )
                ]
            }
            return [failure(error, checkID: "keystone.atmoadmin-login", target: target)]
        } catch {
            return [failure(error, checkID: "keystone.atmoadmin-login", target: target)]
        }
    }

    /// The user_variables.yml fragment for the catalog as Keystone lists it now, written after a preview.
    static func osaPlan(_ run: StepContext) async -> Result<ActionPlan, FindingError> {
        let reader = run.answers
        let admin: KeystoneAdmin
        switch await self.admin(run, checkID: "osa.user-variables") {
        case let .success(found): admin = found
        case let .failure(error): return .failure(error)
        }
        let catalog = admin.session.catalog
        let region = reader.optionalText("credential.region")
        let publicEndpoints = catalog.all(interface: "public", region: region)
        let fqdn =
            reader.optionalText("tls.api_hostname")
            ?? publicEndpoints.compactMap { URLComponents(string: $0.url)?.host }.first {
                $0.contains(".") && !$0.allSatisfy { $0.isNumber || $0 == "." }
            }
        guard let fqdn else {
            return .failure(
                FindingError(
                    Finding(
                        checkID: "osa.user-variables", target: "tls.api_hostname", severity: .failure,
                        observed: "no host name for the endpoints: the catalog has none, and none was given",
                        remedy: "Give the name the certificate covers on the TLS screen (tls.api_hostname).")))
        }
        let fragment: OSAUserVariables
        do {
            fragment = try OSAUserVariables(
                publicEndpoints: publicEndpoints,
                identityAdmin: catalog.endpoint(types: ["identity"], interface: "admin", region: region),
                fqdn: fqdn, certificate: reader.optionalText("osa.cert_path"), key: reader.optionalText("osa.key_path"),
                caCertificate: reader.optionalText("osa.ca_path"), atmosphereNetwork: reader.list("osa.atmosphere_network").first)
        } catch {
            return .failure(FindingError(failure(error, checkID: "osa.user-variables", target: "the fragment")))
        }
        let path = (reader.text("osa.output_path") as NSString).expandingTildeInPath
        guard !fragment.isEmpty else {
            // Nothing to change: no file, not even an empty one.
            return .success(
                ActionPlan(
                    summary: ["Nothing to change: every public endpoint and the Keystone admin endpoint are on https and \(fqdn)."],
                    files: []))
        }
        let text = fragment.yaml + "\n"
        // What is there now, read or a failure: an unreadable file is never shown as absent (and then replaced).
        var old: String?
        if FileManager.default.fileExists(atPath: path) {
            do { old = try String(contentsOfFile: path, encoding: .utf8) } catch {
                return .failure(
                    FindingError(
                        Finding(
                            checkID: "osa.user-variables", target: path, severity: .failure,
                            observed: "the file is there but cannot be read: \(error.localizedDescription)",
                            remedy: "Fix its permissions, or choose another path (osa.output_path).")))
            }
        }
        return .success(
            ActionPlan(
                summary: [
                    "Write the OpenStack-Ansible settings for \(fqdn) to \(path). Then, on the deploy host, add them to "
                        + "/etc/openstack_deploy/user_variables.yml, run the playbooks below, and run this step again: its checks run again."
                ],
                files: [PlannedFile(path: path, old: old, new: text)],
                equivalents: fragment.playbooks.map { "cd /opt/openstack-ansible/playbooks && \($0)" }))
    }
}
