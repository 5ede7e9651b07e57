import CloudProbe
import Foundation
import StepEngine

/// A check of the cloud as the operator's credentials see it: one verification (Keystone, the catalog, Nova, Neutron,
/// Cinder, TLS) runs once for the step and each of these checks reports its own part of it.
struct CloudVerificationCheck: StepCapability {
    /// The parts of the verification a screen can name.
    enum Part: String, CaseIterable {
        case credentials = "cloud.credentials", authenticate = "keystone.authenticate", adminAccount = "keystone.admin-account"
        case roles = "keystone.roles", inventory = "cloud.inventory", externalNetwork = "neutron.external-network"
        case routerGateways = "neutron.router-gateways", volumeTypes = "cinder.volume-types", catalogEndpoints = "catalog.endpoints"
        case tlsEndpoints = "tls.endpoints", adminEndpoint = "keystone.admin-endpoint"

        var title: String {
            switch self {
            case .credentials: "Read the openrc, clouds.yaml or OS_* credentials"
            case .authenticate: "Authenticate to Keystone v3 and read the catalog"
            case .adminAccount: "The account has the admin role"
            case .roles: "The admin and member roles exist"
            case .inventory: "An active image, a flavor, a network and a router exist"
            case .externalNetwork: "An external network with free floating IPs"
            case .routerGateways: "Routers with a gateway on the external network"
            case .volumeTypes: "Cinder answers and has a volume type"
            case .catalogEndpoints: "Public endpoints use https on a fully qualified name"
            case .tlsEndpoints: "Endpoint certificates are trusted, valid and match their names"
            case .adminEndpoint: "The identity admin endpoint is reachable over https"
            }
        }
    }

    /// The credentials, the roles to look for and the name the certificates must cover.
    struct Inputs: CapabilityInputs {
        var cloud: CloudAccess.Inputs
        var adminRole: String
        var memberRoles: [String]
        var apiHostname: String?

        init(_ answers: InputReader) {
            cloud = CloudAccess.Inputs(answers)
            adminRole = answers.text("atmoadmin.role")
            memberRoles = (answers.optionalText("provider.user_role_name").map { [$0] } ?? []) + ["member", "_member_"]
            apiHostname = answers.optionalText("tls.api_hostname")
        }
    }

    let part: Part
    init(_ part: Part) { self.part = part }

    var descriptor: Capability { Capability(id: part.rawValue, kind: .check, title: part.title, availability: .available) }

    /// The findings of every part the step names, reported by the first of them (in the verification's order, one
    /// verification for all); the others report none of their own.
    func observe(_ run: StepContext) async -> [Finding] {
        let named = run.screen.checks.filter { Part(rawValue: $0) != nil }
        guard named.first == id else { return [] }
        return await Self.observation(run).findings.filter { named.contains($0.checkID) }
    }

    /// The step's verification, run once whichever check asks first.
    static func observation(_ run: StepContext) async -> CloudObservation {
        await run.shared.cloud { await CloudVerificationCheck(.credentials).verify(run) }
    }

    /// The whole verification with the session's answers; what the cloud told is kept as derived answers.
    private func verify(_ run: StepContext) async -> CloudObservation {
        let inputs = Inputs(run.reader(for: self))
        do {
            let (credentials, client) = try CloudAccess(inputs: inputs.cloud).credentials()
            let verification = CloudVerification(
                client: client, adminRole: inputs.adminRole, memberRoles: inputs.memberRoles, apiHostname: inputs.apiHostname)
            let report = await verification.run(credentials)
            let kept = DerivedAnswers(engine: run.engine, owner: self).offer(Self.derived(report.facts), event: .answersFromCloud)
            return CloudObservation(findings: report.findings + kept, tls: report.tls)
        } catch let problem as LocatedProblem {
            return CloudObservation(
                findings: [
                    failure(
                        target: problem.path,
                        observed: "\(problem.line.map { "line \($0): " } ?? "")\(problem.key.map { "\($0): " } ?? "")\(problem.problem)",
                        remedy: problem.remedy)
                ], tls: [])
        } catch {
            return CloudObservation(
                findings: [failure(error, target: "credentials", remedy: "Check the prerequisites screen's answers.")], tls: [])
        }
    }

    /// What the cloud said, as answers later screens default to (an operator's own answer always wins).
    private static func derived(_ facts: CloudFacts) -> [(key: String, value: AnswerValue?)] {
        [
            ("credential.region", facts.region.map(AnswerValue.text)),
            ("credential.auth_url", facts.identityPublicRoot.map(AnswerValue.text)),
            ("credential.admin_url", (facts.identityAdminRoot ?? facts.identityPublicRoot).map(AnswerValue.text)),
            ("provider.public_routers", .list(facts.routerCandidates)),
            ("provider.network_name", facts.externalNetwork.map(AnswerValue.text)),
            ("dns.floating_ranges", .list(facts.floatingRanges)),
            ("provider.user_role_name", facts.memberRole.map(AnswerValue.text)),
            ("provider.admin_role_name", facts.adminRole.map(AnswerValue.text)),
        ]
    }
}
