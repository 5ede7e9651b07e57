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

    let part: Part
    init(_ part: Part) { self.part = part }

    var descriptor: Capability { Capability(id: part.rawValue, kind: .check, title: part.title, availability: .available) }

    /// The findings of every part the step names, reported by the first of them (in the verification's order, one
    /// verification for all); the others report none of their own.
    func observe(_ run: StepContext) async -> [Finding] {
        let named = run.screen.checks.filter { Part(rawValue: $0) != nil }
        guard named.first == id else { return [] }
        return await run.shared.cloud { await Self.verify(run) }.findings.filter { named.contains($0.checkID) }
    }

    /// The whole verification with the session's answers: credentials as the prerequisites screen says, the operator's CA
    /// and name overrides; what the cloud told is kept as derived answers.
    static func verify(_ run: StepContext) async -> CloudObservation {
        let text = run.answers.optionalText
        do {
            let (credentials, client) = try CloudCheckRunner.operatorCredentials(run)
            var members = ["member", "_member_"]
            if let member = text("provider.user_role_name") { members.insert(member, at: 0) }
            let verification = CloudVerification(
                client: client, adminRole: text("atmoadmin.role") ?? "admin",
                memberRoles: members, apiHostname: text("tls.api_hostname"))
            let report = await verification.run(credentials)
            CloudCheckRunner.remember(report.facts, engine: run.engine)
            return CloudObservation(findings: report.findings, tls: report.tls)
        } catch let problem as LocatedProblem {
            return CloudObservation(
                findings: [
                    Finding(
                        checkID: Part.credentials.rawValue, target: problem.path, severity: .failure,
                        observed: "\(problem.line.map { "line \($0): " } ?? "")\(problem.key.map { "\($0): " } ?? "")\(problem.problem)",
                        remedy: problem.remedy)
                ], tls: [])
        } catch {
            return CloudObservation(
                findings: [
                    Finding(
                        checkID: Part.credentials.rawValue, target: "credentials", severity: .failure,
                        observed: String(describing: error), remedy: "Check the prerequisites screen's answers.")
                ], tls: [])
        }
    }
}
