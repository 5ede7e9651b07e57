import CloudProbe
import StepEngine

/// The atmoadmin account as the answers describe it: its domain, project, user, role and password, and whether an
/// existing user's password is to be replaced.
struct AtmoadminAccount: CapabilityInputs {
    var spec: AtmoadminSpec
    var password: SecretValue?
    /// Whether this process made the password up (a killed run's generated password died with it).
    var passwordGenerated: Bool
    var resetPassword: Bool
    var cloud: CloudAccess.Inputs
    /// The provider's id, once the provider step found it (its JSON then holds this account's password).
    var provider: ProviderRecord

    init(_ answers: InputReader) {
        spec = AtmoadminSpec(
            domain: answers.text("atmoadmin.domain"), project: answers.text("atmoadmin.project"),
            user: answers.text("atmoadmin.user"), role: answers.text("atmoadmin.role"))
        password = answers.secret("atmoadmin.password")
        passwordGenerated = answers.secretWasGenerated("atmoadmin.password")
        resetPassword = answers.flag("atmoadmin.reset_password")
        cloud = CloudAccess.Inputs(answers)
        provider = ProviderRecord(answers)
    }

    /// The user in its project, as findings name it.
    var target: String { "\(spec.user) in \(spec.project)" }

    /// Whether the user `userID` is one this session created whose password nobody can know any more: the password
    /// now is one this process generated (the run that created the user generated another, shown once and stored
    /// nowhere, and was killed), and no provider holds the old one yet. Then it is ours to renew; anything else
    /// (an operator's password, a user we did not create, a provider made with it) is never touched without a yes.
    func passwordWasLost(userID: String, run: StepContext) throws(FindingError) -> Bool {
        guard passwordGenerated, !resetPassword, provider.id == nil else { return false }
        let atmoadmin = AtmoadminAction()
        guard let step = run.catalog.screens.first(where: { $0.capabilityIDs.contains(atmoadmin.id) })?.id else { return false }
        let journal = run.journal(atmoadmin)
        let created = try journal.events(.cloudCreated, step: step).contains { $0.detail == "keystone user \(userID)" }
        let intended = try journal.events(.cloudIntent, step: step).contains { $0.detail == Self.intent(spec.user) }
        return created || intended
    }

    /// The journal's note, made before the user is created, that this session is about to create it (no user of that
    /// name existed then).
    static func intent(_ user: String) -> String { "keystone user named \(user)" }
}
