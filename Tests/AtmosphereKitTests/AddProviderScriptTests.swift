import AtmosphereKit
import Foundation
import StepEngine
import TestSupport
import XCTest

/// add_new_provider.py driven through a pseudo-terminal, on trees of both generations whose script reproduces the real prompts.
final class AddProviderScriptTests: XCTestCase {
    let password = "pw-Atmo-7c1d2e9f"
    let secret = "S" + String(repeating: "e", count: 38) + "cret"

    func settings(public isPublic: Bool = true, region: String = "RegionOne") -> ProviderSettings {
        ProviderSettings(name: "lab", isPublic: isPublic, adminUsername: "atmoadmin", adminTenant: "atmoadmin", adminPassword: SecretValue(password),
                         authURL: "https://cloud.example.org:5000", adminURL: "https://cloud.example.org:5000", region: region,
                         publicRouters: ["public_router"], networkName: "public", topology: "External Router Topology",
                         dnsNameservers: ["8.8.8.8"], adminRoleName: "admin", userRoleName: "member", domain: "default",
                         secret: SecretValue(secret), hostnameFormat: "vm%(four)s.cloud.example.org")
    }

    func run(old: Bool, mode: String = "success", settings: ProviderSettings, json: String? = nil) throws -> (AddProviderScript.Outcome, [String: Any], String) {
        let root = try AtmosphereTree.make(old: old)
        let install = try XCTUnwrap(AtmosphereInstall.detect(checkout: root + "/atmosphere", virtualenv: root + "/env/atmo",
                                                             ansibleCheckout: root + "/atmosphere-ansible").install)
        XCTAssertEqual(install.generation, old ? .old : .head)
        let jsonPath = root + "/provider.json"
        try AnswersFile.writePrivately(json ?? settings.json(), to: jsonPath)
        let outcome = try AddProviderScript.run(install: install, jsonPath: jsonPath, settings: settings,
                                                environment: ["FAKE_ATMO_MODE": mode, "FAKE_ATMO_TREE": root], timeout: 30)
        let record = (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: root + "/add_new_provider.record.json")))) as? [String: Any] ?? [:]
        return (outcome, record, root)
    }

    func answers(_ record: [String: Any]) -> [String] {
        (record["answers"] as? [[String]] ?? []).map { $0.last ?? "" }
    }

    func assertNoSecret(_ outcome: AddProviderScript.Outcome, _ record: [String: Any], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(outcome.transcript.contains(password), file: file, line: line)
        XCTAssertFalse(outcome.transcript.contains(secret), file: file, line: line)
        XCTAssertFalse((record["argv"] as? [String] ?? []).contains { $0.contains(password) || $0.contains(secret) }, "argv", file: file, line: line)
    }

    func testSuccessOnBothGenerations() throws {
        for old in [false, true] {
            let (outcome, record, root) = try run(old: old, settings: settings())
            XCTAssertTrue(outcome.succeeded, outcome.transcript)
            XCTAssertEqual(outcome.created, "<Identity: atmoadmin - lab>")
            XCTAssertEqual(outcome.exitStatus, 0, "\(outcome.findings) \(outcome.transcript)")
            XCTAssertEqual(answers(record), old ? ["1", "yes"] : ["yes"], "only the platform (old) and the review are asked")
            XCTAssertTrue(outcome.transcript.contains("2. Admin Information"))
            XCTAssertTrue(outcome.transcript.contains(Redactor.mask), "the review echoed the secrets, which are masked")
            assertNoSecret(outcome, record)
            XCTAssertEqual(try String(contentsOfFile: root + "/providers.txt", encoding: .utf8), "lab\n")
        }
    }

    func testAFailedConnectionCheckIsLeftCleanly() throws {
        let (head, headRecord, _) = try run(old: false, mode: "connection-failure", settings: settings())
        XCTAssertFalse(head.succeeded)
        XCTAssertTrue(head.findings.first?.observed.contains("could not connect") ?? false, "\(head.findings)")
        XCTAssertEqual(answers(headRecord), ["yes", "no", "exit"], "HEAD: answered the review, then left with exit")
        assertNoSecret(head, headRecord)
        let (old, oldRecord, _) = try run(old: true, mode: "connection-failure", settings: settings())
        XCTAssertFalse(old.succeeded)
        XCTAssertTrue(old.transcript.contains("ERROR: Script has been cancelled."), "the old review has no exit: Ctrl-C")
        XCTAssertEqual(old.exitStatus, 1)
        assertNoSecret(old, oldRecord)
    }

    func testAMissingFieldAndPublicFalse() throws {
        let (missing, _, _) = try run(old: false, settings: settings(region: ""))
        XCTAssertFalse(missing.succeeded)
        XCTAssertEqual(missing.findings.first?.observed, "The required field `region_name` was not found.")
        let (privateProvider, record, _) = try run(old: false, settings: settings(public: false))
        XCTAssertTrue(privateProvider.succeeded)
        XCTAssertEqual(answers(record), ["no", "yes"], "public: false is prompted anyway, and answered")
    }

    func testAnUnknownPromptStopsTheScript() throws {
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(settings().json().utf8)) as? [String: Any])
        var provider = object["provider"] as? [String: Any] ?? [:]
        provider["name"] = nil
        object["provider"] = provider
        let json = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        let (outcome, _, _) = try run(old: false, settings: settings(), json: json)
        XCTAssertFalse(outcome.succeeded)
        XCTAssertTrue(outcome.findings.first?.observed.contains("What is the name of your new provider?") ?? false, "\(outcome.findings)")
    }
}
