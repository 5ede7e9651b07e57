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

    /// OSA's variable prefix for a catalog service type.
    static let prefixes: [String: String] = [
        "identity": "keystone", "compute": "nova", "image": "glance", "network": "neutron",
        "volumev3": "cinder", "block-storage": "cinder", "volumev2": "cinder", "volume": "cinder",
        "placement": "placement", "orchestration": "heat",
    ]

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
        if anyPlainHTTP { set("openstack_service_publicuri_proto", "https") }
        let adminParts = identityAdmin.map { components($0.url) }
        if adminParts == nil || adminParts?.scheme != "https" || !EndpointChecks.isQualifiedName(adminParts?.host ?? "") {
            set("keystone_service_adminuri_proto", "https", "the Keystone admin endpoint over https on the public FQDN: Atmosphere needs it")
            pairs.append(("keystone_service_adminuri_insecure", Node("false", Tag(.bool))))
            set("keystone_service_adminuri", "https://\(fqdn):{{ keystone_admin_port }}")
        }
        var services: [String] = []
        for endpoint in wrong {
            guard let prefix = Self.prefixes[endpoint.serviceType], !services.contains(prefix) else { continue }
            services.append(prefix)
            set(
                "\(prefix)_service_publicuri", "https://\(fqdn):{{ \(prefix)_service_port }}",
                services.count == 1 ? "each public URI named on the FQDN (needed while external_lb_vip_address is an IP)" : nil)
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
        let document = try Yams.serialize(node: Node(pairs.map { (Node($0.0), $0.1) }))
        var lines = ["# atmo-connect: settings for Atmosphere, for /etc/openstack_deploy/user_variables.yml", "---"]
        for line in document.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if let key = line.split(separator: ":").first.map(String.init), !line.hasPrefix(" "), let comment = comments[key] {
                lines.append("# " + comment)
            }
            lines.append(line)
        }
        yaml = lines.joined(separator: "\n")
        self.services = services
        playbooks =
            ["openstack-ansible haproxy-install.yml", "openstack-ansible os-keystone-install.yml"]
            + services.filter { $0 != "keystone" }.map { "openstack-ansible os-\($0)-install.yml" }
    }
}
