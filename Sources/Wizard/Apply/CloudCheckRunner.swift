import CloudProbe
import Foundation
import StepEngine

/// Runs a screen's cloud checks with the session's answers: credentials as the prerequisites screen says, the operator's CA and overrides.
enum CloudCheckRunner {
    /// The ids this runner serves.
    static let cloudCheckIDs: Set<String> = ["cloud.credentials", "keystone.authenticate", "keystone.admin-account", "keystone.roles",
                                             "cloud.inventory", "neutron.external-network", "neutron.router-gateways", "cinder.volume-types",
                                             "catalog.endpoints", "tls.endpoints", "keystone.admin-endpoint"]

    /// Findings for the screen's available checks.
    static func findings(for screen: Screen, engine: Engine) async -> [Finding] {
        let wanted = Set(screen.checks)
        let reader: AnswerReader
        do { reader = try StepContext.answers(engine) } catch { return [error.finding] }
        let text = reader.optionalText
        let list = reader.list
        let client = HTTPClient(configuration: .init(caBundle: text("cloud.cacert").map { ($0 as NSString).expandingTildeInPath },
                                                     resolve: list("cloud.resolve")))
        var findings: [Finding] = []
        if !wanted.isDisjoint(with: cloudCheckIDs) {
            do {
                var credentials = try credentials(answers: text)
                if credentials.secret == nil { credentials.secret = engine.secret(for: "cloud.password") }
                let client = credentials.caCert != nil && text("cloud.cacert") == nil
                    ? HTTPClient(configuration: .init(caBundle: credentials.caCert, resolve: list("cloud.resolve"))) : client
                var members = ["member", "_member_"]
                if let member = text("provider.user_role_name") { members.insert(member, at: 0) }
                let verification = CloudVerification(client: client, adminRole: text("atmoadmin.role") ?? "admin",
                                                     memberRoles: members, apiHostname: text("tls.api_hostname"))
                let report = await verification.run(credentials)
                findings += report.findings
                remember(report.facts, engine: engine)
            } catch let problem as LocatedProblem {
                findings.append(Finding(checkID: "cloud.credentials", target: problem.path, severity: .failure,
                                        observed: "\(problem.line.map { "line \($0): " } ?? "")\(problem.key.map { "\($0): " } ?? "")\(problem.problem)",
                                        remedy: problem.remedy))
            } catch {
                findings.append(Finding(checkID: "cloud.credentials", target: "credentials", severity: .failure,
                                        observed: String(describing: error), remedy: "Check the prerequisites screen's answers."))
            }
        }
        if wanted.contains("credentials.atmosphere-urls") {
            findings += await AtmosphereURLChecks.run(authURL: text("credential.auth_url"), adminURL: text("credential.admin_url"), client: client)
        }
        return findings.filter { wanted.contains($0.checkID) }
    }

    /// Stores what the cloud said as derived answers, so later screens default to it; an operator's own answer always wins.
    static func remember(_ facts: CloudFacts, engine: Engine) {
        DerivedAnswers.offer([
            ("credential.region", facts.region.map(AnswerValue.text)),
            ("credential.auth_url", facts.identityPublicRoot.map(AnswerValue.text)),
            ("credential.admin_url", (facts.identityAdminRoot ?? facts.identityPublicRoot).map(AnswerValue.text)),
            ("provider.public_routers", .list(facts.routerCandidates)),
            ("provider.network_name", facts.externalNetwork.map(AnswerValue.text)),
            ("dns.floating_ranges", .list(facts.floatingRanges)),
            ("provider.user_role_name", facts.memberRole.map(AnswerValue.text)),
            ("provider.admin_role_name", facts.adminRole.map(AnswerValue.text)),
        ], engine: engine, event: "answers-from-cloud")
    }

    /// The operator's credentials from the prerequisites answers, with the password given in this run, and a client for them.
    static func operatorCredentials(_ engine: Engine) throws -> (CloudCredentials, HTTPClient) {
        let reader = try StepContext.answers(engine)
        var credentials = try credentials(answers: reader.optionalText)
        if credentials.secret == nil { credentials.secret = engine.secret(for: "cloud.password") }
        let bundle = reader.optionalText("cloud.cacert").map { ($0 as NSString).expandingTildeInPath } ?? credentials.caCert
        return (credentials, HTTPClient(configuration: .init(caBundle: bundle, resolve: reader.list("cloud.resolve"))))
    }

    static func credentials(answers text: (String) -> String?) throws -> CloudCredentials {
        switch text("cloud.credentials_source") ?? "openrc" {
        case "clouds-yaml":
            return try CloudsYAML.load(cloud: text("cloud.os_cloud"))
        case "environment":
            return try CloudCredentials.from(variables: ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix("OS_") },
                                             source: "the OS_* environment")
        default:
            return try OpenrcParser.load(path: text("cloud.openrc_path") ?? "~/openrc")
        }
    }
}
