import CloudProbe
import Foundation
import StepEngine

/// The auth and admin URLs Atmosphere will be given: scheme://host:port, and they answer.
struct AtmosphereURLsCheck: StepCapability {
    let descriptor = Capability(
        id: "credentials.atmosphere-urls", kind: .check,
        title: "auth_url and admin_url are scheme://host:port and answer", availability: .available)

    /// The two URLs, and how to reach them.
    struct Inputs: CapabilityInputs {
        var cloud: CloudAccess.Inputs
        var authURL: String?
        var adminURL: String?

        init(_ answers: InputReader) {
            cloud = CloudAccess.Inputs(answers)
            authURL = answers.optionalText("credential.auth_url")
            adminURL = answers.optionalText("credential.admin_url")
        }
    }

    func observe(_ run: StepContext) async -> [Finding] {
        let inputs = Inputs(run.reader(for: self))
        let client = HTTPClient(configuration: .init(caBundle: inputs.cloud.caBundle, resolve: inputs.cloud.resolve))
        return await AtmosphereURLChecks.run(authURL: inputs.authURL, adminURL: inputs.adminURL, client: client)
    }
}
