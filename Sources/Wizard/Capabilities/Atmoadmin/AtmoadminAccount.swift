import CloudProbe
import StepEngine

/// The atmoadmin account as the answers describe it: its domain, project, user, role and password, and whether an
/// existing user's password is to be replaced.
struct AtmoadminAccount: CapabilityInputs {
    var spec: AtmoadminSpec
    var password: SecretValue?
    var resetPassword: Bool
    var cloud: CloudAccess.Inputs

    init(_ answers: InputReader) {
        spec = AtmoadminSpec(
            domain: answers.text("atmoadmin.domain"), project: answers.text("atmoadmin.project"),
            user: answers.text("atmoadmin.user"), role: answers.text("atmoadmin.role"))
        password = answers.secret("atmoadmin.password")
        resetPassword = answers.flag("atmoadmin.reset_password")
        cloud = CloudAccess.Inputs(answers)
    }

    /// The user in its project, as findings name it.
    var target: String { "\(spec.user) in \(spec.project)" }
}
