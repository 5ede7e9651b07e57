import AtmosphereKit
import CloudProbe
import Foundation
import StepEngine

/// Verifies the provider, identities, sizes and images through Atmosphere's /api/v2, with a staff user's token.
struct APIVerifyCheck: StepCapability {
    let descriptor = Capability(
        id: "atmosphere.api-verify", kind: .check, title: "Verify the provider, identities, sizes and images through /api/v2",
        availability: .available)

    func observe(_ run: StepContext) async -> [Finding] {
        let reader = run.answers
        guard let url = reader.optionalText("final.api_url"), let token = run.engine.secret(for: "final.api_token") else {
            return [
                Finding(
                    checkID: id, target: "final.api_url", severity: .warning, observed: "not verified: no Atmosphere API URL or token given",
                    remedy: "Give final.api_url and final.api_token (a staff user's token) to check the import through /api/v2.")
            ]
        }
        let client = HTTPClient(configuration: .init(caBundle: reader.optionalText("final.api_cacert").map { ($0 as NSString).expandingTildeInPath }))
        return await AtmosphereAPIVerification.run(
            apiURL: url, token: token, provider: reader.text("provider.name"),
            users: reader.list("accounts.users"), client: client)
    }
}
