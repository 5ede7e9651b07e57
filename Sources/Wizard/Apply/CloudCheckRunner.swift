import CloudProbe
import Foundation
import StepEngine

/// The operator's cloud as the answers name it: credentials as the prerequisites screen says, the operator's CA and
/// name overrides; and what the cloud told, kept for later screens.
enum CloudCheckRunner {
    /// Stores what the cloud said as derived answers, so later screens default to it; an operator's own answer always wins.
    static func remember(_ facts: CloudFacts, engine: Engine) {
        DerivedAnswers.offer(
            [
                ("credential.region", facts.region.map(AnswerValue.text)),
                ("credential.auth_url", facts.identityPublicRoot.map(AnswerValue.text)),
                ("credential.admin_url", (facts.identityAdminRoot ?? facts.identityPublicRoot).map(AnswerValue.text)),
                ("provider.public_routers", .list(facts.routerCandidates)),
                ("provider.network_name", facts.externalNetwork.map(AnswerValue.text)),
                ("dns.floating_ranges", .list(facts.floatingRanges)),
                ("provider.user_role_name", facts.memberRole.map(AnswerValue.text)),
                ("provider.admin_role_name", facts.adminRole.map(AnswerValue.text)),
            ], engine: engine, event: .answersFromCloud)
    }

    /// The operator's credentials from the prerequisites answers, with the password given in this run, and a client for them.
    static func operatorCredentials(_ run: StepContext) throws -> (CloudCredentials, HTTPClient) {
        let engine = run.engine
        let reader = run.answers
        var credentials = try credentials(answers: reader.optionalText)
        if credentials.secret == nil { credentials.secret = engine.secret(for: "cloud.password") }
        let bundle = reader.optionalText("cloud.cacert").map { ($0 as NSString).expandingTildeInPath } ?? credentials.caCert
        // Test mode: only the exact http endpoints the operator named may receive a credential (the client enforces it).
        let plainHTTP = PlainHTTPPolicy(allowed: reader.list(TestMode.key))
        return (credentials, HTTPClient(configuration: .init(caBundle: bundle, resolve: reader.list("cloud.resolve"), plainHTTP: plainHTTP)))
    }

    static func credentials(answers text: (String) -> String?) throws -> CloudCredentials {
        switch text("cloud.credentials_source") ?? "openrc" {
        case "clouds-yaml":
            return try CloudsYAML.load(cloud: text("cloud.os_cloud"))
        case "environment":
            return try CloudCredentials.from(
                variables: ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix("OS_") },
                source: "the OS_* environment")
        default:
            return try OpenrcParser.load(path: text("cloud.openrc_path") ?? "~/openrc")
        }
    }
}
