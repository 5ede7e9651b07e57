import CloudProbe
import StepEngine

/// Logs in as atmoadmin and sees the admin role: the proof that the atmoadmin action worked (and, for the provider
/// step, that the password going into the provider JSON is the user's).
struct AtmoadminLoginCheck: StepCapability {
    typealias Inputs = AtmoadminAccount

    let descriptor = Capability(
        id: "keystone.atmoadmin-login", kind: .check, title: "Log in as atmoadmin and see the admin role", availability: .available,
        traits: .provesAction)

    /// Logs in as atmoadmin, scoped to its project, and looks for the admin role in the token.
    func observe(_ run: StepContext) async -> [Finding] {
        let account = Inputs(run.reader(for: self))
        let spec = account.spec
        let target = account.target
        guard let password = account.password else {
            return [failure(target: target, observed: "no password in this run to log in with", remedy: "Type the atmoadmin password on the atmoadmin screen.")]
        }
        do {
            let (operatorCredentials, client) = try CloudAccess(inputs: account.cloud).credentials()
            // "default" is the default domain's id; anything else is taken as a domain name.
            let domain =
                spec.domain == "default"
                ? ["OS_USER_DOMAIN_ID": "default", "OS_PROJECT_DOMAIN_ID": "default"]
                : ["OS_USER_DOMAIN_NAME": spec.domain, "OS_PROJECT_DOMAIN_NAME": spec.domain]
            var credentials = try CloudCredentials.from(
                variables: ["OS_AUTH_URL": operatorCredentials.authURL, "OS_USERNAME": spec.user, "OS_PROJECT_NAME": spec.project]
                    .merging(domain) { $1 },
                source: "the atmoadmin screen", secretMustBeAsked: true)
            credentials.secret = password
            let session = try await KeystoneClient(client: client).authenticate(credentials)
            guard session.roles.contains(spec.role) else {
                return [
                    failure(
                        target: target, observed: "logged in, but the token's roles are \(session.roles.joined(separator: ", ")), without \(spec.role)",
                        remedy: "Run this step's action again: it grants \(spec.role) on \(spec.project).")
                ]
            }
            return [ok(target: target, observed: "logged in to project \(session.projectName); roles: \(session.roles.sorted().joined(separator: ", "))")]
        } catch let error as KeystoneError where error.isUnauthorized {
            return [
                failure(
                    target: target, observed: error.message,
                    remedy: "The password is not the user's: type the one shown when it was created, or set atmoadmin.reset_password to set this one.")
            ]
        } catch {
            return [failure(error, target: target, remedy: "Check the prerequisites screen's answers.")]
        }
    }
}
