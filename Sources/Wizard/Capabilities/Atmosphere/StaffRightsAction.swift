import AtmosphereKit
import StepEngine

/// Grants staff and superuser rights through the Django shell, and says whether those users can log in to /admin.
struct StaffRightsAction: DjangoShellStep {
    let descriptor = Capability(
        id: "atmosphere.staff-rights", kind: .action, title: "Grant staff and superuser rights through the Django shell", availability: .available)

    var nothingToRun: Finding { Finding(checkID: id, target: "staff.users", severity: .ok, observed: "no users named") }

    func intent(_ context: AtmosphereActions.Context) -> Result<(summary: [String], changes: Bool), FindingError> {
        let users = context.list("staff.users")
        return .success(
            (users.isEmpty ? ["No users named: nothing to do."] : ["Make \(users.joined(separator: ", ")) staff and superuser."], !users.isEmpty))
    }

    func code(_ context: AtmosphereActions.Context, run: StepContext, reveal: Bool) -> String? {
        let users = context.list("staff.users")
        guard !users.isEmpty else { return nil }
        guard context.flag("staff.set_password"), !run.isRemote else { return AtmosphereSnippets.staffRights(users: users) }
        return AtmosphereSnippets.staffRights(users: users, password: reveal ? run.engine.secret(for: "staff.password")?.reveal() : Redactor.mask)
    }

    func findings(_ value: [String: AnyCodableValue], context: AtmosphereActions.Context) -> [Finding] {
        var result = strings("staff", in: value).map { Finding(checkID: id, target: $0, severity: .ok, observed: "staff and superuser") }
        result += strings("missing", in: value).map {
            Finding(
                checkID: id, target: $0, severity: .failure, observed: "no such Atmosphere user",
                remedy: "Have them log in once, or add them with the accounts step; then run this step again.")
        }
        return result + loginFindings(backends: strings("backends", in: value), passwordSet: value["password_set"] == .bool(true), context: context)
    }

    /// Whether the staff can log in to /admin as Atmosphere's settings stand: Django accepts a password only through
    /// ModelBackend; without it they log in through LDAP, CAS or mock authentication.
    func loginFindings(backends: [String], passwordSet: Bool, context: AtmosphereActions.Context) -> [Finding] {
        let model = backends.contains("django.contrib.auth.backends.ModelBackend")
        let target = "AUTHENTICATION_BACKENDS"
        let enable =
            "Un-comment django.contrib.auth.backends.ModelBackend in AUTHENTICATION_BACKENDS in atmosphere/settings/local.py "
            + "(clank: AUTH_ENABLE_GLOBUS adds it; variables.ini, then ./configure) and restart Atmosphere."
        if passwordSet {
            return [
                AtmosphereSnippets.staffPasswordShownOnce,
                model
                    ? Finding(checkID: id, target: target, severity: .ok, observed: "ModelBackend is enabled: /admin accepts their Django password")
                    : Finding(
                        checkID: id, target: target, severity: .warning,
                        observed:
                            "their Django password is set, but AUTHENTICATION_BACKENDS has no ModelBackend: /admin will not accept it (backends: \(backends.joined(separator: ", ")))",
                        remedy: enable),
            ]
        }
        if context.flag("staff.set_password"), context.reader.isRemote {
            return [
                Finding(
                    checkID: id, target: "staff.password", severity: .info,
                    observed: "no password went through the pasted block (it is shown and saved)",
                    remedy: "On the Atmosphere server: ./manage.py changepassword USER, for each of them.")
            ]
        }
        return [
            Finding(
                checkID: id, target: target, severity: .info,
                observed: model
                    ? "ModelBackend is enabled: a Django password (staff.set_password) lets them log in to /admin"
                    : "they log in through \(backends.isEmpty ? "no backend at all" : backends.joined(separator: ", ")); without LDAP, CAS or mock authentication they need ModelBackend and a Django password",
                remedy: model ? "" : enable)
        ]
    }
}
