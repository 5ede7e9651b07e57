import StepEngine

/// The checks and actions that talk to the OpenStack cloud.
public enum CloudProbe {
    /// Every capability this module registers, by id.
    public static let capabilities: [Capability] = [
        Capability(id: "cloud.credentials", kind: .check, title: "Read the openrc, clouds.yaml or OS_* credentials", availability: .available),
        Capability(id: "keystone.authenticate", kind: .check, title: "Authenticate to Keystone v3 and read the catalog", availability: .available),
        Capability(id: "keystone.admin-account", kind: .check, title: "The account has the admin role", availability: .available),
        Capability(id: "keystone.roles", kind: .check, title: "The admin and member roles exist", availability: .available),
        Capability(id: "cloud.inventory", kind: .check, title: "An active image, a flavor, a network and a router exist", availability: .available),
        Capability(id: "neutron.external-network", kind: .check, title: "An external network with free floating IPs", availability: .available),
        Capability(id: "neutron.router-gateways", kind: .check, title: "Routers with a gateway on the external network", availability: .available),
        Capability(id: "cinder.volume-types", kind: .check, title: "Cinder answers and has a volume type", availability: .available),
        Capability(id: "catalog.endpoints", kind: .check, title: "Public endpoints use https on a fully qualified name", availability: .available),
        Capability(id: "tls.endpoints", kind: .check, title: "Endpoint certificates are trusted, valid and match their names", availability: .available),
        Capability(id: "keystone.admin-endpoint", kind: .check, title: "The identity admin endpoint is reachable over https", availability: .available),
        Capability(id: "cloud.smoke-test", kind: .action, title: "Boot a server, attach a floating IP and a volume, then clean up", availability: .available),
        Capability(id: "dns.instance-records", kind: .check, title: "Forward and reverse DNS for the floating IPs", availability: .available),
        Capability(id: "dns.zone-fragments", kind: .action, title: "Write BIND zone fragments for the floating IPs", availability: .available),
        Capability(id: "osa.user-variables", kind: .action, title: "Write the OpenStack-Ansible user_variables.yml fragment", availability: .available),
        Capability(id: "keystone.atmoadmin", kind: .action, title: "Create the atmoadmin project, user and admin grant", availability: .available),
        Capability(id: "keystone.atmoadmin-login", kind: .check, title: "Log in as atmoadmin and see the admin role", availability: .available),
        Capability(id: "credentials.atmosphere-urls", kind: .check, title: "auth_url and admin_url are scheme://host:port and answer", availability: .available),
    ]
}
