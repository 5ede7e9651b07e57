import CloudProbe
import Foundation
import XCTest
import Yams

/// The OpenStack-Ansible fragment for catalogs with plain-http and IP-literal endpoints, read back as YAML.
final class OSAUserVariablesTests: XCTestCase {
    func endpoint(_ type: String, _ url: String, _ interface: String = "public") -> CatalogEndpoint {
        CatalogEndpoint(id: UUID().uuidString, interface: interface, region: "RegionOne", url: url, serviceType: type, serviceName: type)
    }

    func testHTTPAndIPLiteralEndpointsGetHTTPSOnTheFQDN() throws {
        let fragment = try OSAUserVariables(
            publicEndpoints: [
                endpoint("identity", "http://203.0.113.5:5000/v3"), endpoint("compute", "https://203.0.113.5:8774/v2.1"),
                endpoint("image", "http://cloud.example.org:9292"), endpoint("network", "https://cloud.example.org:9696"),
                endpoint("volumev3", "http://[2001:db8::5]:8776/v3/%(tenant_id)s"),
            ],
            identityAdmin: endpoint("identity", "http://172.29.236.10:5000/v3", "admin"), fqdn: "cloud.example.org",
            certificate: "/etc/openstack_deploy/ssl/cloud.crt", key: "/etc/openstack_deploy/ssl/cloud.key", caCertificate: nil,
            atmosphereNetwork: "198.51.100.0/24")
        let parsed = try XCTUnwrap(try Yams.load(yaml: fragment.yaml) as? [String: Any], fragment.yaml)
        XCTAssertEqual(parsed["external_lb_vip_address"] as? String, "cloud.example.org")
        XCTAssertEqual(parsed["openstack_service_publicuri_proto"] as? String, "https")
        XCTAssertEqual(parsed["haproxy_user_ssl_cert"] as? String, "/etc/openstack_deploy/ssl/cloud.crt")
        XCTAssertEqual(parsed["haproxy_user_ssl_key"] as? String, "/etc/openstack_deploy/ssl/cloud.key")
        XCTAssertNil(parsed["haproxy_user_ssl_ca_cert"])
        XCTAssertEqual(parsed["keystone_service_adminuri_proto"] as? String, "https")
        XCTAssertEqual(parsed["keystone_service_adminuri_insecure"] as? Bool, false)
        XCTAssertEqual(parsed["keystone_service_adminuri"] as? String, "https://cloud.example.org:{{ keystone_admin_port }}")
        for prefix in ["keystone", "nova", "glance", "cinder"] {
            XCTAssertEqual(parsed["\(prefix)_service_publicuri"] as? String, "https://cloud.example.org:{{ \(prefix)_service_port }}", prefix)
        }
        XCTAssertNil(parsed["neutron_service_publicuri"], "already https on a name")
        let overrides = try XCTUnwrap(parsed["haproxy_keystone_service_overrides"] as? [String: Any])
        XCTAssertEqual(overrides["haproxy_allowlist_networks"] as? String, "{{ haproxy_allowlist_networks | union(['198.51.100.0/24']) }}")
        XCTAssertTrue(
            fragment.yaml.contains("# let the Atmosphere server's network reach Keystone; haproxy_allowlist_networks was haproxy_whitelist_networks"),
            fragment.yaml)
        XCTAssertNil(parsed["haproxy_whitelist_networks"], "only today's name is set")
        XCTAssertEqual(
            fragment.playbooks,
            [
                "openstack-ansible haproxy-install.yml", "openstack-ansible os-keystone-install.yml",
                "openstack-ansible os-nova-install.yml", "openstack-ansible os-glance-install.yml",
                "openstack-ansible os-cinder-install.yml",
            ])
    }

    func testAGoodCatalogNeedsNothingButTheAdminEndpoint() throws {
        let fragment = try OSAUserVariables(
            publicEndpoints: [
                endpoint("identity", "https://keystone.example.org:5000/v3"),
                endpoint("compute", "https://nova.example.org:8774/v2.1"),
            ],
            identityAdmin: endpoint("identity", "https://keystone.example.org:5000/v3", "admin"),
            fqdn: "keystone.example.org")
        let parsed = try Yams.load(yaml: fragment.yaml) as? [String: Any]
        XCTAssertEqual(parsed?.count ?? 0, 0, "nothing to set: \(fragment.yaml)")
        XCTAssertTrue(fragment.isEmpty, "a compliant catalog: nothing is written")
        let noAdmin = try OSAUserVariables(
            publicEndpoints: [endpoint("identity", "https://keystone.example.org:5000/v3")], identityAdmin: nil,
            fqdn: "keystone.example.org")
        let keys = try XCTUnwrap(try Yams.load(yaml: noAdmin.yaml) as? [String: Any]).keys.sorted()
        XCTAssertEqual(keys, ["keystone_service_adminuri", "keystone_service_adminuri_insecure", "keystone_service_adminuri_proto"])
        XCTAssertFalse(noAdmin.isEmpty)
    }

    /// A catalog of twelve services, some on http, some on an IP: every public endpoint that needs it gets its
    /// variable (the guide's four and the rest: swift, heat-cfn, ironic…), with haproxy_ssl and a playbook per change;
    /// read back as YAML, the fragment matches the catalog entry for entry.
    func testTheWholeCatalogGetsItsVariablesAndPlaybooks() throws {
        let catalog = [
            endpoint("identity", "https://cloud.example.org:5000/v3"),
            endpoint("compute", "http://cloud.example.org:8774/v2.1"),
            endpoint("image", "https://203.0.113.5:9292"),
            endpoint("network", "https://cloud.example.org:9696"),
            endpoint("volumev3", "http://cloud.example.org:8776/v3/%(tenant_id)s"),
            endpoint("placement", "http://cloud.example.org:8780"),
            endpoint("orchestration", "http://203.0.113.5:8004/v1/%(tenant_id)s"),
            endpoint("cloudformation", "http://cloud.example.org:8000/v1"),
            endpoint("object-store", "http://cloud.example.org:8080/v1/AUTH_%(tenant_id)s"),
            endpoint("baremetal", "http://cloud.example.org:6385"),
            endpoint("load-balancer", "https://cloud.example.org:9876"),
            endpoint("key-manager", "http://cloud.example.org:9311"),
            CatalogEndpoint(
                id: "x", interface: "public", region: "RegionOne", url: "http://cloud.example.org:9999", serviceType: "acme-thing",
                serviceName: "acme"),
        ]
        let fragment = try OSAUserVariables(
            publicEndpoints: catalog, identityAdmin: endpoint("identity", "https://cloud.example.org:5000/v3", "admin"), fqdn: "cloud.example.org")
        let parsed = try XCTUnwrap(try Yams.load(yaml: fragment.yaml) as? [String: Any], fragment.yaml)
        let expected = [
            "nova": "nova_service_port", "glance": "glance_service_port", "cinder": "cinder_service_port", "placement": "placement_service_port",
            "heat": "heat_service_port", "heat_cfn": "heat_cfn_service_port", "swift": "swift_proxy_port", "ironic": "ironic_service_port",
            "barbican": "barbican_service_port", "acme": "acme_service_port",
        ]
        for (prefix, port) in expected {
            XCTAssertEqual(parsed["\(prefix)_service_publicuri"] as? String, "https://cloud.example.org:{{ \(port) }}", prefix)
        }
        let named = parsed.keys.filter { $0.hasSuffix("_service_publicuri") }
        XCTAssertEqual(Set(named), Set(expected.keys.map { "\($0)_service_publicuri" }), "only what needs it: keystone, neutron, octavia are fine")
        XCTAssertEqual(parsed["haproxy_ssl"] as? Bool, true)
        XCTAssertEqual(parsed["openstack_service_publicuri_proto"] as? String, "https")
        XCTAssertEqual(parsed["external_lb_vip_address"] as? String, "cloud.example.org", "an IP-literal endpoint: the VIP by name")
        XCTAssertTrue(fragment.yaml.contains("# acme (acme-thing): the variable names follow OSA's pattern; check them"), fragment.yaml)
        XCTAssertTrue(fragment.yaml.contains("# Not written: the 2017 guide's rabbitmq_user_ssl_*"), fragment.yaml)
        XCTAssertEqual(
            fragment.playbooks,
            [
                "haproxy-install.yml", "os-keystone-install.yml", "os-nova-install.yml", "os-glance-install.yml", "os-cinder-install.yml",
                "os-placement-install.yml", "os-heat-install.yml", "os-swift-install.yml", "os-ironic-install.yml", "os-barbican-install.yml",
                "os-acme-install.yml",
            ].map { "openstack-ansible \($0)" })
    }
}
