import AtmosphereKit
import StepEngine

/// Grants staff and superuser rights through the Django shell, and says whether those users can log in to /admin.
struct StaffRightsAction: DjangoShellStep {
    let descriptor = Capability(
        id: "atmosphere.staff-rights", kind: .action, title: "Grant staff and superuser rights through the Django shell", availability: .available)

    /// The users, and the Django password to set for them (here only: a block is shown and saved).
    struct Inputs: DjangoShellInputs {
        var site: AtmosphereSite.Inputs
        var users: [String]
        var setPassword: Bool
        var password: SecretValue?

        init(_ answers: InputReader) {
            site = AtmosphereSite.Inputs(answers)
            users = answers.userNames("staff.users")
            setPassword = answers.flag("staff.set_password")
            password = answers.secret("staff.password")
        }
    }

    var nothingToRun: Finding { ok(target: "staff.users", observed: "no users named") }

    func intent(_ inputs: Inputs, site: AtmosphereSite) -> Result<(summary: [String], changes: Bool), FindingError> {
        let users = inputs.users
        return .success((users.isEmpty ? ["No users named: nothing to do."] : ["Make \(users.joined(separator: ", ")) staff and superuser."], !users.isEmpty))
    }

    func code(_ inputs: Inputs, site: AtmosphereSite, reveal: Bool) -> String? {
        guard !inputs.users.isEmpty else { return nil }
        guard inputs.setPassword, !inputs.site.isRemote else { return AtmosphereSnippets.staffRights(users: inputs.users) }
        return AtmosphereSnippets.staffRights(users: inputs.users, password: reveal ? inputs.password?.reveal() : Redactor.mask)
    }

    func findings(_ value: [String: AnyCodableValue], inputs: Inputs, site: AtmosphereSite) -> [Finding] {
        var result = strings("staff", in: value).map { ok(target: $0, observed: "staff and superuser") }
        result += strings("missing", in: value).map {
            failure(
                target: $0, observed: "no such Atmosphere user",
                remedy: "Have them log in once, or add them with the accounts step; then run this step again.")
        }
        return result + loginFindings(backends: strings("backends", in: value), passwordSet: value["password_set"] == .bool(true), inputs: inputs)
    }

    /// Whether the staff can log in to /admin as Atmosphere's settings stand: Django accepts a password only through
    /// ModelBackend; without it they log in through LDAP, CAS or mock authentication.
    private func loginFindings(backends: [String], passwordSet: Bool, inputs: Inputs) -> [Finding] {
        let model = backends.contains("django.contrib.auth.backends.ModelBackend")
        let target = "AUTHENTICATION_BACKENDS"
        let enable =
            "Un-comment django.contrib.auth.backends.ModelBackend in AUTHENTICATION_BACKENDS in atmosphere/settings/local.py "
            + "(clank: AUTH_ENABLE_GLOBUS adds it; variables.ini, then ./configure) and restart Atmosphere."
        if passwordSet {
            return [
                AtmosphereSnippets.staffPasswordShownOnce,
                model
                    ? ok(target: target, observed: "ModelBackend is enabled: /admin accepts their Django password")
                    : warning(
                        target: target,
                        observed:
                            "their Django password is set, but AUTHENTICATION_BACKENDS has no ModelBackend: /admin will not accept it (backends: \(backends.joined(separator: ", ")))",
                        remedy: enable),
            ]
        }
        if inputs.setPassword, inputs.site.isRemote {
            return [
                info(
                    target: "staff.password", observed: "no password went through the pasted block (it is shown and saved)",
                    remedy: "On the Atmosphere server: ./manage.py changepassword USER, for each of them.")
            ]
        }
        return [
            info(
                target: target,
                observed: model
                    ? "ModelBackend is enabled: a Django password (staff.set_password) lets them log in to /admin"
                    : "they log in through \(backends.isEmpty ? "no backend at all" : backends.joined(separator: ", ")); without LDAP, CAS or mock authentication they need ModelBackend and a Django password",
                remedy: model ? "" : enable)
        ]
    }
}
