import AtmoModel
import Foundation

/// The whole verification of a cloud: credentials, Keystone, then every other probe at once.
public struct CloudVerification: Sendable {
    /// What a run found, with its timing.
    public struct Report: Sendable {
        public var findings: [Finding]
        /// Keystone could not be used, so nothing past authentication was checked.
        public var couldNotCheck: Bool
        /// Whether Keystone gave no answer at all (refused, unreachable, timed out, TLS): the cloud is down as a monitor
        /// reads it, rather than the check unable to run.
        public var keystoneUnreachable = false
        public var wallTime: TimeInterval
        public var authenticationTime: TimeInterval
        /// Each request after authentication with its time, in the order they finished (for `make bench`'s limit).
        public var requests: [(url: String, seconds: TimeInterval)] = []
        public var requestCount: Int { requests.count }
        public var requestTimeSum: TimeInterval { requests.reduce(0) { $0 + $1.seconds } }
        public var slowestRequest: TimeInterval { requests.map(\.seconds).max() ?? 0 }
        /// What the cloud told us that later answers can default to.
        public var facts = CloudFacts()
        /// Each endpoint's TLS as the endpoint checks saw it, by URL (the negotiated protocol among it).
        public var tls: [TLSReport] = []
    }

    public var client: HTTPClient
    public var allowedPlainHTTP: Set<String>
    public var adminRole: String
    public var memberRoles: [String]
    public var apiHostname: String?

    /// A verification with the operator's expectations.
    public init(
        client: HTTPClient, allowedPlainHTTP: Set<String> = [], adminRole: String = "admin",
        memberRoles: [String] = ["member", "_member_"], apiHostname: String? = nil
    ) {
        self.client = client
        self.allowedPlainHTTP = allowedPlainHTTP
        self.adminRole = adminRole
        self.memberRoles = memberRoles
        self.apiHostname = apiHostname
    }

    /// Runs every check against the cloud the credentials name.
    public func run(_ credentials: CloudCredentials) async -> Report {
        let started = Date()
        var findings = credentials.warnings.map {
            Finding(checkID: "cloud.credentials", target: credentials.source, severity: .warning, observed: $0)
        }
        findings.append(
            Finding(
                checkID: "cloud.credentials", target: credentials.source, severity: .ok,
                observed:
                    "\(credentials.method == .password ? "user \(credentials.username ?? credentials.userID ?? "?")" : "application credential"), auth URL \(credentials.authURL)"
                    + (client.configuration.caBundle.map { ", trusting only CA bundle \($0)" } ?? "")))
        let session: KeystoneSession
        do {
            session = try await KeystoneClient(client: client, allowedPlainHTTP: allowedPlainHTTP).authenticate(credentials)
        } catch let error as KeystoneError {
            findings.append(
                Finding(
                    checkID: "keystone.authenticate", target: credentials.authURL, severity: .failure,
                    observed: error.message, expected: "a project-scoped Keystone v3 token", remedy: error.remedy))
            var report = Report(
                findings: findings, couldNotCheck: true, wallTime: Date().timeIntervalSince(started),
                authenticationTime: Date().timeIntervalSince(started))
            // No answer at all (refused, timed out): the cloud is down. A certificate not trusted here, a name that does
            // not resolve, credentials refused: the check cannot run as given.
            if case let .transport(_, failure) = error {
                switch failure {
                case .connectionRefused, .timeout: report.keystoneUnreachable = true
                default: break
                }
            }
            return report
        } catch {
            findings.append(
                Finding(
                    checkID: "keystone.authenticate", target: credentials.authURL, severity: .failure,
                    observed: String(describing: error), remedy: "Retry the check."))
            return Report(
                findings: findings, couldNotCheck: true, wallTime: Date().timeIntervalSince(started),
                authenticationTime: Date().timeIntervalSince(started))
        }
        let authenticated = Date()
        let region = credentials.regionName ?? (session.catalog.regions.count == 1 ? session.catalog.regions.first : nil)
        findings.append(
            Finding(
                checkID: "keystone.authenticate", target: session.identityURL, severity: .ok,
                observed:
                    "token for \(session.userName) on project \(session.projectName); catalog of \(session.catalog.endpoints.count) endpoints in \(session.catalog.regions.joined(separator: ", "))"
            ))
        let log = RequestLog()
        let context = CheckContext(
            client: client, session: session, region: region, adminRole: adminRole, memberRoles: memberRoles,
            apiHostname: apiHostname, log: log, allowedPlainHTTP: allowedPlainHTTP)
        async let endpoints = EndpointChecks.run(context)
        async let inventory = InventoryChecks.run(context)
        let ((endpointFindings, tls), (inventoryFindings, inventoryFacts)) = await (endpoints, inventory)
        findings = Finding.merged(findings + endpointFindings + inventoryFindings)
        var facts = inventoryFacts
        facts.region = region
        facts.identityPublicRoot = session.catalog.endpoint(types: ["identity"], interface: "public", region: region).map { CloudFacts.root($0.url) }
        facts.identityAdminRoot = session.catalog.endpoint(types: ["identity"], interface: "admin", region: region).map { CloudFacts.root($0.url) }
        var report = Report(
            findings: findings, couldNotCheck: false, wallTime: Date().timeIntervalSince(started),
            authenticationTime: authenticated.timeIntervalSince(started), requests: await log.entries)
        report.facts = facts
        report.tls = tls
        return report
    }
}
