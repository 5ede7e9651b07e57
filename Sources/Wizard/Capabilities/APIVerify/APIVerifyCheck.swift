import AtmosphereKit
import CloudProbe
import Foundation
import StepEngine

/// Verifies the provider, identities, sizes and images through Atmosphere's /api/v2, with a staff user's token.
struct APIVerifyCheck: StepCapability {
    let descriptor = Capability(
        id: "atmosphere.api-verify", kind: .check, title: "Verify the provider, identities, sizes and images through /api/v2",
        availability: .available)

    /// The API, a staff user's token, and what to look for there.
    struct Inputs: CapabilityInputs {
        var url: String?
        var token: SecretValue?
        var caBundle: String?
        var provider: String
        var users: [String]

        init(_ answers: InputReader) {
            url = answers.optionalText("final.api_url")
            token = answers.secret("final.api_token")
            caBundle = answers.path("final.api_cacert")
            provider = answers.text("provider.name")
            users = answers.userNames("accounts.users")
        }
    }

    func observe(_ run: StepContext) async -> [Finding] {
        let inputs = Inputs(run.reader(for: self))
        guard let url = inputs.url, let token = inputs.token else {
            return [
                warning(
                    target: "final.api_url",
                    observed: "the import is not verified through Atmosphere's API: "
                        + (inputs.url == nil ? "no API URL was given" : "no API token was given (it is kept in memory only, so give it again after a restart)"),
                    remedy: "Give final.api_url and final.api_token (a staff user's token) to check the import through /api/v2.")
            ]
        }
        let client = HTTPClient(configuration: .init(caBundle: inputs.caBundle))
        return await AtmosphereAPIVerification.run(apiURL: url, token: token, provider: inputs.provider, users: inputs.users, client: client)
    }
}
