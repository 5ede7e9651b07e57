import AtmoModel
import Foundation

/// Every public endpoint and the identity admin endpoint: https, a fully qualified name, TLS, and an answer.
enum EndpointChecks {
    /// The findings, and each distinct URL's TLS as seen (one connection each).
    static func run(_ context: CheckContext) async -> (findings: [Finding], tls: [TLSReport]) {
        var targets = context.session.catalog.all(interface: "public", region: context.region)
        let admin = context.session.catalog.all(interface: "admin", region: context.region).filter { $0.serviceType == "identity" }
        targets += admin
        // One request per distinct URL, all at once: the identity admin endpoint is often the public one, and every
        // request costs the cloud's API servers as much as it costs us.
        let reports = await withTaskGroup(of: TLSReport.self) { group in
            for url in Set(targets.map(\.url)) {
                group.addTask {
                    let report = await TLSInspector(client: context.client).inspect(url)
                    await context.log.record(url, report.elapsed)
                    return report
                }
            }
            var reports: [String: TLSReport] = [:]
            for await report in group { reports[report.url] = report }
            return reports
        }
        let findings = targets.flatMap { endpoint in reports[endpoint.url].map { check(endpoint, report: $0, context: context) } ?? [] }
            .sorted { ($0.checkID, $0.target) < ($1.checkID, $1.target) }
        return (findings, reports.values.sorted { $0.url < $1.url })
    }

    /// The findings of one endpoint, from the answer its URL gave.
    static func check(_ endpoint: CatalogEndpoint, report: TLSReport, context: CheckContext) -> [Finding] {
        let isAdmin = endpoint.interface == "admin"
        let checkID = isAdmin ? "keystone.admin-endpoint" : "catalog.endpoints"
        let target = "\(endpoint.serviceName) \(endpoint.interface) \(endpoint.url)"
        var findings: [Finding] = []
        let components = URLComponents(string: endpoint.url)
        let scheme = components?.scheme?.lowercased() ?? ""
        let host = components?.host ?? ""
        // The name for the fix: the operator's, else the endpoint's own, else the one its certificate gives for this
        // service (nova.example.org for nova), else a placeholder that is still a valid host name.
        let names = report.leaf?.dnsNames.filter { !$0.hasPrefix("*") } ?? []
        let fqdn =
            context.apiHostname ?? (isQualifiedName(host) ? host : nil)
            ?? names.first { $0.split(separator: ".").first.map(String.init) == endpoint.serviceName } ?? names.first ?? "API-FQDN"
        var problems: [String] = []
        // An http endpoint the operator named for a test cloud is a warning (credentials go to it in clear), not a failure.
        let testMode = scheme == "http" && context.client.configuration.plainHTTP.mayCarryCredentials(endpoint.url)
        if scheme != "https" { problems.append(testMode ? "plain http, allowed for a test cloud: credentials go to it in clear" : "plain \(scheme), not https") }
        if isIPLiteral(host) {
            problems.append("an IP address (\(host)), not a host name")
        } else if !host.contains(".") {
            problems.append("a bare host name (\(host)), not a fully qualified one")
        }
        if !problems.isEmpty {
            let fixed = fixedURL(endpoint.url, host: isQualifiedName(host) ? host : fqdn)
            let variable = osaVariable(for: endpoint)
            let scheme = "openstack endpoint set --url \(fixed) \(endpoint.id)"
            findings.append(
                Finding(
                    checkID: checkID, target: target, severity: testMode && problems.count == 1 ? .warning : .failure,
                    observed: problems.joined(separator: "; "),
                    expected: "https on a fully qualified host name",
                    remedy:
                        "\(scheme)   (OpenStack-Ansible: \(variable): \"https://\(URLComponents(string: fixed)?.host ?? fqdn):{{ \(portVariable(for: endpoint)) }}\")"
                ))
        }
        // Any HTTP status proves reachability; the certificate is judged on the same connection.
        if let failure = report.failure {
            findings.append(
                Finding(
                    checkID: checkID, target: target, severity: .failure, observed: "no answer: \(failure.message)",
                    expected: "the version document", remedy: failure.remedy))
        } else if scheme == "https" {
            var tls = TLSInspector.findings(for: report, checkID: "tls.endpoints").map { finding in
                var finding = finding
                finding.target = target
                return finding
            }
            // An IP-literal endpoint's certificate naming other hosts has one fix, the endpoint's: a host name the
            // certificate covers; never the address added to the certificate.
            if isIPLiteral(host), report.problem?.kind == "wrong-host", let first = findings.first {
                tls = tls.map { finding in
                    var finding = finding
                    finding.observed = "its certificate names host names, not the address \(host): " + finding.observed
                    finding.remedy = first.remedy
                    return finding
                }
            }
            findings += tls
            // Every endpoint has its line in the catalog's list: an endpoint whose certificate failed is named there too,
            // with the same severity (one fact, one severity) and fix.
            if problems.isEmpty, let failed = tls.first(where: { $0.severity == .failure }) {
                findings.append(
                    Finding(
                        checkID: checkID, target: target, severity: .failure,
                        observed: "https on \(host), but its certificate fails (tls.endpoints): \(report.problem?.summary ?? failed.observed)",
                        expected: failed.expected, remedy: failed.remedy))
            }
        }
        if problems.isEmpty && report.failure == nil && !findings.contains(where: { $0.severity == .failure }) {
            findings.append(
                Finding(
                    checkID: checkID, target: target, severity: .ok,
                    observed: "https on \(host), answers HTTP \(report.status.map(String.init) ?? "?")"))
        }
        return findings
    }

    static func isIPLiteral(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return bare.contains(":") || (bare.split(separator: ".").count == 4 && bare.split(separator: ".").allSatisfy { UInt8($0) != nil })
    }

    static func isQualifiedName(_ host: String) -> Bool { host.contains(".") && !isIPLiteral(host) }

    static func fixedURL(_ url: String, host: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.scheme = "https"
        components.host = host
        return components.string ?? url
    }

    /// The OpenStack-Ansible variable behind an endpoint's URL.
    static func osaVariable(for endpoint: CatalogEndpoint) -> String {
        let service = OSAService.of(type: endpoint.serviceType, name: endpoint.serviceName).prefix
        return endpoint.interface == "admin" ? "\(service)_service_adminuri" : "\(service)_service_publicuri"
    }

    static func portVariable(for endpoint: CatalogEndpoint) -> String {
        let service = OSAService.of(type: endpoint.serviceType, name: endpoint.serviceName)
        if service.prefix == "keystone" { return endpoint.interface == "admin" ? "keystone_admin_port" : "keystone_service_port" }
        return service.portVariable
    }
}
