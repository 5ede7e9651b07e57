import CloudProbe
import Foundation
import StepEngine

/// The auth and admin URLs Atmosphere will be given: scheme://host:port, and they answer.
struct AtmosphereURLsCheck: StepCapability {
    let descriptor = Capability(
        id: "credentials.atmosphere-urls", kind: .check,
        title: "auth_url and admin_url are scheme://host:port and answer", availability: .available)

    func observe(_ run: StepContext) async -> [Finding] {
        let text = run.answers.optionalText
        let client = HTTPClient(
            configuration: .init(
                caBundle: text("cloud.cacert").map { ($0 as NSString).expandingTildeInPath },
                resolve: run.answers.list("cloud.resolve")))
        return await AtmosphereURLChecks.run(authURL: text("credential.auth_url"), adminURL: text("credential.admin_url"), client: client)
    }
}
