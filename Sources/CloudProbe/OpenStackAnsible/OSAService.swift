/// A catalog service as OpenStack-Ansible names it: the prefix of its variables, the variable of its public port, and
/// the playbook that applies a change to it. One table for the endpoint checks' fixes and the user_variables fragment.
public struct OSAService: Sendable, Equatable {
    /// `<prefix>_service_publicuri`, `<prefix>_service_adminuri`.
    public var prefix: String
    /// The variable holding the public port, as the role's defaults name it.
    public var portVariable: String
    /// The playbook that re-renders the service's endpoints and haproxy front end.
    public var playbook: String
    /// Whether OpenStack-Ansible is known to have this service under this name (else the prefix is a guess from the
    /// catalog's service name, and the fragment says to check it).
    public var known: Bool

    /// Catalog service types OpenStack-Ansible deploys, with their roles' variable names.
    static let byType: [String: OSAService] = {
        var table: [String: OSAService] = [:]
        func add(_ types: [String], _ prefix: String, port: String? = nil, playbook: String? = nil) {
            for type in types {
                table[type] = OSAService(
                    prefix: prefix, portVariable: port ?? "\(prefix)_service_port", playbook: playbook ?? "os-\(prefix)-install.yml",
                    known: true)
            }
        }
        add(["identity"], "keystone")
        add(["compute"], "nova")
        add(["image"], "glance")
        add(["network"], "neutron")
        add(["volumev3", "volumev2", "volume", "block-storage"], "cinder")
        add(["placement"], "placement")
        add(["orchestration"], "heat")
        add(["cloudformation"], "heat_cfn", playbook: "os-heat-install.yml")
        add(["object-store"], "swift", port: "swift_proxy_port")
        add(["baremetal"], "ironic")
        add(["dns"], "designate")
        add(["load-balancer"], "octavia")
        add(["key-manager"], "barbican")
        add(["metric"], "gnocchi")
        add(["alarming"], "aodh")
        add(["share", "sharev2"], "manila")
        add(["container-infra"], "magnum")
        add(["workflowv2", "workflow"], "mistral")
        add(["data-processing"], "sahara")
        add(["application-catalog"], "murano")
        add(["clustering"], "senlin")
        add(["rating"], "cloudkitty")
        add(["instance-ha"], "masakari")
        add(["shared-file-system"], "manila")
        add(["accelerator"], "cyborg")
        add(["container"], "zun")
        add(["reservation"], "blazar")
        add(["dashboard"], "horizon")
        return table
    }()

    /// The service behind an endpoint: the table's, else a guess from the catalog's service name.
    public static func of(type: String, name: String) -> OSAService {
        if let known = byType[type] { return known }
        let prefix = name.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
        return OSAService(prefix: prefix, portVariable: "\(prefix)_service_port", playbook: "os-\(prefix)-install.yml", known: false)
    }
}
