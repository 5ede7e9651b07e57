import AtmoModel
import AtmosphereKit
import Foundation
import StepEngine
import XCTest

/// One test per pitfall: the clean JSON has no finding, the JSON with the pitfall has exactly its finding.
final class ProviderJSONLintTests: XCTestCase {
    func clean() -> [String: Any] {
        [
            "provider": ["name": "lab", "public": true],
            "admin": ["username": "atmoadmin", "password": "pw-for-atmoadmin", "tenant": "atmoadmin"],
            "credential": [
                "admin_url": "https://cloud.example.org:5000", "auth_url": "https://cloud.example.org:5000",
                "region_name": "RegionOne", "ex_force_auth_version": "3.x_password", "public_routers": "public_router",
                "network_name": "public",
            ],
            "cloud_config": [
                "network": ["dns_nameservers": ["8.8.8.8", "8.8.4.4"], "topology": "External Router Topology"],
                "user": ["admin_role_name": "admin", "user_role_name": "member", "domain": "default", "secret": String(repeating: "s", count: 40)],
                "deploy": ["hostname_format": "vm%(three)s-%(four)s.mycloud.org"],
            ],
        ]
    }

    func text(_ object: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
    }

    func lint(_ object: [String: Any], generation: AtmosphereGeneration = .head, existing: [String] = []) -> [Finding] {
        ProviderJSONLint.findings(text: text(object), generation: generation, existingProviders: existing, file: "p.json")
    }

    func changed(_ path: [String], to value: Any?) -> [String: Any] {
        func set(_ object: [String: Any], _ path: ArraySlice<String>) -> [String: Any] {
            var object = object
            guard let key = path.first else { return object }
            if path.count == 1 { object[key] = value } else { object[key] = set(object[key] as? [String: Any] ?? [:], path.dropFirst()) }
            return object
        }
        return set(clean(), path[...])
    }

    func assertOnly(
        _ findings: [Finding], target: String, severity: Severity = .failure, contains fragment: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(findings.map(\.target), ["p.json: \(target)"], "\(findings)", file: file, line: line)
        XCTAssertEqual(findings.first?.severity, severity, file: file, line: line)
        XCTAssertTrue(findings.first?.remedy.contains(fragment) ?? false, findings.first?.remedy ?? "", file: file, line: line)
    }

    func testTheCleanJSONHasNoFinding() {
        XCTAssertEqual(lint(clean()), [])
        XCTAssertEqual(lint(clean(), generation: .old), [])
    }

    func testComments() {
        let commented = text(clean()).replacingOccurrences(
            of: "\"admin_role_name\":\"admin\"", with: "\"admin_role_name\":\"admin\"  # Matches the admin role")
        let findings = ProviderJSONLint.findings(text: commented, generation: .head, file: "p.json")
        assertOnly(findings, target: "(file)", contains: "Remove comments")
    }

    func testNotJSON() {
        assertOnly(ProviderJSONLint.findings(text: "{\"provider\": ", generation: .head, file: "p.json"), target: "(file)", contains: "strict JSON")
    }

    func testMissingSectionsAreFatalOnlyForTheOldScript() {
        var object = clean()
        object["cloud_config"] = nil
        XCTAssertTrue(lint(object).contains { $0.target == "p.json: cloud_config" && $0.severity == .warning })
        XCTAssertTrue(lint(object, generation: .old).contains { $0.target == "p.json: cloud_config" && $0.severity == .failure })
    }

    func testPathDoubling() {
        assertOnly(
            lint(changed(["credential", "auth_url"], to: "https://cloud.example.org:5000/v3")), target: "credential.auth_url", contains: "/v3/v3/")
    }

    func testTwoPointZeroRewriting() {
        assertOnly(
            lint(changed(["credential", "ex_force_auth_version"], to: "2.0_password")), target: "credential.ex_force_auth_version",
            contains: "/v2.0/tokens")
    }

    func testPublicFalseIsPromptedAnyway() {
        assertOnly(lint(changed(["provider", "public"], to: false)), target: "provider.public", severity: .warning, contains: "false is falsy")
    }

    func testPlatformOrTypeAsStrings() {
        assertOnly(lint(changed(["provider", "platform"], to: "KVM")), target: "provider.platform", contains: "foreign key")
        assertOnly(lint(changed(["provider", "type"], to: "OpenStack")), target: "provider.type", contains: "foreign key")
    }

    func testRulesOrNameserversAsStrings() {
        assertOnly(
            lint(changed(["cloud_config", "network", "dns_nameservers"], to: "8.8.8.8, 8.8.4.4")),
            target: "cloud_config.network.dns_nameservers", contains: "JSON list")
        assertOnly(
            lint(changed(["cloud_config", "network", "default_security_rules"], to: "[('ICMP', -1, -1)]")),
            target: "cloud_config.network.default_security_rules", contains: "JSON list")
    }

    func testTheTrailingDotTypo() {
        assertOnly(
            lint(changed(["cloud_config", "network", "dns_nameservers"], to: ["8.8.8.8", "8.8.4.4."])),
            target: "cloud_config.network.dns_nameservers", contains: "trailing dot")
    }

    func testAProviderNameThatExists() {
        assertOnly(lint(clean(), existing: ["lab", "other"]), target: "provider.name", contains: "deletes that provider")
        XCTAssertEqual(lint(clean(), existing: ["other"]), [])
    }

    func testAShortSecret() {
        assertOnly(lint(changed(["cloud_config", "user", "secret"], to: "replacemeplease")), target: "cloud_config.user.secret", contains: "32+")
    }

    func testTopologyNames() {
        assertOnly(
            lint(changed(["cloud_config", "network", "topology"], to: "External Router")), target: "cloud_config.network.topology",
            contains: "Unknown topology name")
        assertOnly(
            lint(changed(["cloud_config", "network", "topology"], to: nil), generation: .old), target: "cloud_config.network.topology",
            contains: "crashes")
        XCTAssertEqual(lint(changed(["cloud_config", "network", "topology"], to: nil)), [], "HEAD asks, and defaults to External Router")
    }

    func testRoutersWithSpaces() {
        assertOnly(
            lint(changed(["credential", "public_routers"], to: "r1, r2")), target: "credential.public_routers", severity: .warning,
            contains: "r1,r2")
    }

    func testRequiredFieldsPerGeneration() {
        assertOnly(lint(changed(["credential", "region_name"], to: nil)), target: "credential.region_name", contains: "exits 1")
        XCTAssertEqual(lint(changed(["credential", "public_routers"], to: nil)), [])
        assertOnly(
            lint(changed(["credential", "public_routers"], to: nil), generation: .old), target: "credential.public_routers", contains: "exits 1")
        assertOnly(lint(changed(["admin", "password"], to: nil)), target: "admin.password", contains: "required field")
    }

    func testHostnameFormatNeedsAnOctet() {
        assertOnly(
            lint(changed(["cloud_config", "deploy", "hostname_format"], to: "vm.mycloud.org")),
            target: "cloud_config.deploy.hostname_format", contains: "octet placeholder")
    }

    func testAPlaceholderHostnameDomainIsRefused() {
        assertOnly(
            lint(changed(["cloud_config", "deploy", "hostname_format"], to: "vm%(three)s-%(four)s.cloud.example.org")),
            target: "cloud_config.deploy.hostname_format", contains: "names instances by their IP")
    }
}

final class ProviderSettingsTests: XCTestCase {
    func testTheBuiltJSONLintsCleanForBothGenerationsAndHidesItsSecretsInPreview() throws {
        let settings = ProviderSettings(
            name: "lab", isPublic: true, adminUsername: "atmoadmin", adminTenant: "atmoadmin",
            adminPassword: SecretValue("pw-Atmo-9f2c1e"), authURL: "https://cloud.example.org:5000/v3",
            adminURL: "https://cloud.example.org:5000/v3/", region: "RegionOne", publicRouters: ["public_router", "r2"],
            networkName: "public", topology: "External Router Topology", dnsNameservers: ["8.8.8.8", "8.8.4.4"],
            adminRoleName: "admin", userRoleName: "member", domain: "default",
            secret: SecretValue(String(repeating: "k", count: 40)), hostnameFormat: "vm%(four)s.mycloud.org")
        let json = settings.json()
        XCTAssertEqual(ProviderJSONLint.findings(text: json, generation: .head), [])
        XCTAssertEqual(ProviderJSONLint.findings(text: json, generation: .old), [])
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let credential = try XCTUnwrap(object["credential"] as? [String: Any])
        XCTAssertEqual(credential["auth_url"] as? String, "https://cloud.example.org:5000", "the path is dropped")
        XCTAssertEqual(credential["public_routers"] as? String, "public_router,r2", "no spaces after commas")
        XCTAssertTrue(json.contains("pw-Atmo-9f2c1e"))
        XCTAssertFalse(settings.redactedJSON().contains("pw-Atmo-9f2c1e"))
        XCTAssertFalse(settings.redactedJSON().contains(String(repeating: "k", count: 40)))
    }
}

/// The provider JSON atmo-connect writes: sorted keys (without ICU's collation data, which the shipped binary does not
/// carry), values that need escaping, and one security rule a line (ReadableJSON).
final class ProviderSettingsJSONTests: XCTestCase {
    func testTheJSONIsWhatJSONSerializationWroteAndReadsBackTheSame() throws {
        let settings = ProviderSettings(
            name: "lab \"one\"", isPublic: false, adminUsername: "atmoadmin", adminTenant: "admin/tenant",
            adminPassword: SecretValue("p\\w\"d"), authURL: "https://cloud.example.org:5000/v3", adminURL: "https://cloud.example.org:35357/",
            region: "RegionOne", publicRouters: ["r1", "r2"], networkName: "public", topology: "External Router Topology",
            dnsNameservers: ["8.8.8.8"], adminRoleName: "admin", userRoleName: "member", domain: "default",
            secret: SecretValue(String(repeating: "é", count: 33)), hostnameFormat: "vm%(three)s-%(four)s.example.org")
        let reference: [String: Any] = [
            "provider": ["name": settings.name, "public": false],
            "admin": ["username": "atmoadmin", "password": "p\\w\"d", "tenant": "admin/tenant"],
            "credential": [
                "admin_url": settings.adminURL, "auth_url": settings.authURL, "region_name": "RegionOne", "ex_force_auth_version": "3.x_password",
                "public_routers": "r1,r2", "network_name": "public",
            ],
            "cloud_config": [
                "network": [
                    "dns_nameservers": ["8.8.8.8"], "topology": "External Router Topology",
                    "default_security_rules": ProviderSettings.defaultSecurityRules.map { [$0.ipProtocol, $0.fromPort, $0.toPort] as [Any] },
                ],
                "user": ["admin_role_name": "admin", "user_role_name": "member", "domain": "default", "secret": settings.secret.reveal()],
                "deploy": ["hostname_format": "vm%(three)s-%(four)s.example.org"],
            ],
        ]
        let expected = try JSONSerialization.data(withJSONObject: reference, options: [.sortedKeys, .withoutEscapingSlashes])
        XCTAssertEqual(settings.json(), try ReadableJSON.render(expected))
        // Readable at 80 columns: every line fits, and each security rule is one line.
        let lines = settings.json().split(separator: "\n")
        XCTAssertEqual(lines.filter { $0.count > 80 }, [])
        XCTAssertTrue(lines.contains("        [\"ICMP\", -1, -1],"), settings.json())
        XCTAssertLessThan(lines.count, 60, "one rule a line, not one number a line")
        let read = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(settings.json().utf8)) as? NSDictionary)
        XCTAssertEqual(read, reference as NSDictionary)
        XCTAssertEqual(ProviderSettings.defaultSecurityRules.first, .init(ipProtocol: "ICMP", fromPort: -1, toPort: -1))
        XCTAssertFalse(settings.redactedJSON().contains("p\\\\w"), "the password is masked")
    }
}
