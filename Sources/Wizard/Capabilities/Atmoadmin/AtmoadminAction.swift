import CloudProbe
import StepEngine

/// Creates the atmoadmin project, user and admin grant that are missing, after a preview of what exists.
struct AtmoadminAction: StepCapability {
    typealias Inputs = AtmoadminAccount

    let descriptor = Capability(
        id: "keystone.atmoadmin", kind: .action, title: "Create the atmoadmin project, user and admin grant", availability: .available)

    /// What exists of the account and what will be created; nothing to ask when everything is there.
    func plan(_ run: StepContext) async -> Result<ActionPlan, FindingError>? {
        let account = Inputs(run.reader(for: self))
        let spec = account.spec
        let admin: KeystoneAdmin
        switch await CloudAccess(inputs: account.cloud).admin(run, owner: self) {
        case let .success(found): admin = found
        case let .failure(error): return .failure(error)
        }
        let survey: AtmoadminSurvey
        do { survey = try await admin.survey(spec) } catch {
            return .failure(FindingError(failure(error, target: "domain \(spec.domain)", remedy: "Check the atmoadmin screen's answers.")))
        }
        let reset = account.resetPassword
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

    /// Creates what is missing; each new id goes to the journal the moment Keystone returns it, and a failed write
    /// stops the creation there.
    func perform(_ run: StepContext, plan: ActionPlan) async -> [Finding] {
        let account = Inputs(run.reader(for: self))
        guard let password = account.password else {
            return [
                failure(
                    target: "atmoadmin.password", observed: "no password in this run",
                    remedy: "Type one on the atmoadmin screen, or give atmoadmin.password in the answers file.")
            ]
        }
        switch await CloudAccess(inputs: account.cloud).admin(run, owner: self) {
        case let .failure(error): return [error.finding]
        case let .success(admin):
            let journal = run.journal(self)
            var madeUser = false
            do {
                return try await admin.ensure(account.spec, password: password, resetPassword: account.resetPassword) { kind, id in
                    madeUser = madeUser || kind == "user"
                    try journal.record(.cloudCreated, "keystone \(kind) \(id)")
                }
            } catch {
                // A user made before the journal failed has this password: it is shown, as at any creation.
                return [failure(error, target: account.target, remedy: "Check the atmoadmin screen's answers.")]
                    + (madeUser ? [KeystoneAdmin.passwordShownOnce] : [])
            }
        }
    }
}
