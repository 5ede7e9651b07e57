import Foundation
import Yams

/// The OpenStack-Ansible `user_variables.yml` fragment that puts a catalog's public endpoints and the Keystone admin
/// endpoint on https and the FQDN, under today's variable names (openstack.md section 4).
public struct OSAUserVariables: Sendable, Equatable {
    /// The fragment, as YAML with comments.
    public var yaml: String
    /// The playbooks to re-run once it is in /etc/openstack_deploy/user_variables.yml.
    public var playbooks: [String]
    /// The OSA service prefixes whose public URI the fragment names.
    public var services: [String]
    /// Whether the catalog needs nothing: every public endpoint and the Keystone admin endpoint are on https and a
    /// host name, and no certificate or access list was asked for. Then nothing is written.
    public var isEmpty: Bool

    /// Builds the fragment from the public endpoints and the identity admin endpoint, for `fqdn` (the name the certificate covers).
    public init(
        publicEndpoints: [CatalogEndpoint], identityAdmin: CatalogEndpoint?, fqdn: String, certificate: String? = nil,
        key: String? = nil, caCertificate: String? = nil, atmosphereNetwork: String? = nil
    ) throws {
        func components(_ url: String) -> (scheme: String, host: String) {
            let parts = URLComponents(string: url)
            return ((parts?.scheme ?? "").lowercased(), parts?.host ?? "")
        }
        let wrong = publicEndpoints.filter { endpoint in
            let (scheme, host) = components(endpoint.url)
            return scheme != "https" || !EndpointChecks.isQualifiedName(host)
        }
        let anyPlainHTTP = publicEndpoints.contains { components($0.url).scheme != "https" }
        let anyIPLiteral = publicEndpoints.contains { !EndpointChecks.isQualifiedName(components($0.url).host) }
        var pairs: [(String, Node)] = []
        var comments: [String: String] = [:]
        func set(_ key: String, _ value: String, _ comment: String? = nil) {
            pairs.append((key, Node(value)))
            if let comment { comments[key] = comment }
        }
        if anyIPLiteral { set("external_lb_vip_address", fqdn, "the FQDN, resolving to the external VIP (OSA advises a name, not an IP)") }
        if let certificate { set("haproxy_user_ssl_cert", certificate, "the certificate for \(fqdn), on the deploy host") }
        if let key { set("haproxy_user_ssl_key", key) }
        if let caCertificate { set("haproxy_user_ssl_ca_cert", caCertificate) }
        if anyPlainHTTP {
            set("openstack_service_publicuri_proto", "https", "the public endpoints over https, haproxy terminating TLS on the external VIP")
            pairs.append(("haproxy_ssl", Node("true", Tag(.bool))))
        }
        let adminParts = identityAdmin.map { components($0.url) }
        if adminParts == nil || adminParts?.scheme != "https" || !EndpointChecks.isQualifiedName(adminParts?.host ?? "") {
            set("keystone_service_adminuri_proto", "https", "the Keystone admin endpoint over https on the public FQDN: Atmosphere needs it")
            pairs.append(("keystone_service_adminuri_insecure", Node("false", Tag(.bool))))
            set("keystone_service_adminuri", "https://\(fqdn):{{ keystone_admin_port }}")
        }
        // Every public endpoint of the catalog that needs https or a name, not only the guide's four.
        var services: [String] = []
        var playbooks: [String] = []
        for endpoint in wrong {
            let service = OSAService.of(type: endpoint.serviceType, name: endpoint.serviceName)
            guard !services.contains(service.prefix) else { continue }
            services.append(service.prefix)
            if !playbooks.contains(service.playbook) { playbooks.append(service.playbook) }
            let port = service.prefix == "keystone" ? "keystone_service_port" : service.portVariable
            var comment: String? = services.count == 1 ? "each public URI named on the FQDN (needed while external_lb_vip_address is an IP)" : nil
            if !service.known {
                comment = "\(endpoint.serviceName) (\(endpoint.serviceType)): the variable names follow OSA's pattern; check them in its role's defaults"
            }
            set("\(service.prefix)_service_publicuri", "https://\(fqdn):{{ \(port) }}", comment)
        }
        if let atmosphereNetwork {
            pairs.append(
                (
                    "haproxy_keystone_service_overrides",
                    Node([(Node("haproxy_allowlist_networks"), Node("{{ haproxy_allowlist_networks | union(['\(atmosphereNetwork)']) }}"))])
                ))
            comments["haproxy_keystone_service_overrides"] =
                "let the Atmosphere server's network reach Keystone; "
                + "haproxy_allowlist_networks was haproxy_whitelist_networks before 2021 (the 2017 guide's name)"
        }
        isEmpty = pairs.isEmpty
        let document = try Yams.serialize(node: Node(pairs.map { (Node($0.0), $0.1) }))
        var lines = [
            "# atmo-connect: settings for Atmosphere, for /etc/openstack_deploy/user_variables.yml",
            "# Not written: the 2017 guide's rabbitmq_user_ssl_*, horizon_user_ssl_* and keystone_user_ssl_*. Today haproxy",
            "# terminates TLS for every public endpoint, Horizon and Keystone included (haproxy_user_ssl_* below, as",
            "# OpenStack-Ansible's ssl-certificates guide has it), and RabbitMQ's TLS is internal, not Atmosphere's concern.",
            "---",
        ]
        for line in document.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if let key = line.split(separator: ":").first.map(String.init), !line.hasPrefix(" "), let comment = comments[key] {
                lines.append("# " + comment)
            }
            lines.append(line)
        }
        yaml = lines.joined(separator: "\n")
        self.services = services
        // haproxy for the certificate and front ends, Keystone for its endpoints, then each changed service's own.
        self.playbooks = (["haproxy-install.yml", "os-keystone-install.yml"] + playbooks.filter { $0 != "os-keystone-install.yml" })
            .map { "openstack-ansible \($0)" }
    }
}
