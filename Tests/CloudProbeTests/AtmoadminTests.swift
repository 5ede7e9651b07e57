import CloudProbe
import Foundation
import StepEngine
import TestSupport
import Wizard
import XCTest
import Yams

/// The atmoadmin step against the real Keystone of the OpenStack peer (started once for the class it extends).
extension OpenStackCheckTests {
    func atmoadminEngine(_ peer: OpenStackPeer, extra: String = "") throws -> (Engine, WizardCatalog, String) {
        let catalog = try WizardCatalog.load()
        let statePath = TestPaths.scratch("atmoadmin") + "/state"
        let store = try StateStore(directory: StateDirectory(path: statePath))
        let engine = Engine(store: store, plan: catalog.plan, session: try store.createSession(named: "peer"))
        let path = answers(peer)
        let text = try String(contentsOfFile: path, encoding: .utf8) + extra
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let file = try AnswersFile.load(path: path, inputs: catalog.plan.inputs)
        let resolution = try AnswerResolution.resolve(
            catalog: catalog, file: file, stored: [:], environment: ["PEER_ADMIN_PASSWORD": peer.adminPassword])
        for (key, secret) in resolution.secrets { try engine.setSecret(secret, for: key) }
        try engine.setAnswers(resolution.toStore)
        return (engine, catalog, statePath)
    }

    func testAtmoadminIsCreatedOnceAndLogsInWithTheAdminRole() async throws {
        let peer = try requirePeer()
        let project = "atmoadmin-\(UUID().uuidString.prefix(6))"
        let (engine, catalog, statePath) = try atmoadminEngine(peer, extra: "atmoadmin.project: \(project)\natmoadmin.user: \(project)\n")
        let password = try XCTUnwrap(engine.secret(for: "atmoadmin.password")).reveal()
        XCTAssertGreaterThanOrEqual(password.count, 32, "generated from the CSPRNG")
        let screen = try XCTUnwrap(catalog.screen("atmoadmin"))

        guard case let .needsConsent(plan) = try await StepExecution.execute(screen, engine: engine, catalog: catalog) else {
            return XCTFail("creating the account needs a yes")
        }
        let preview = plan.previewLines.joined(separator: "\n")
        XCTAssertTrue(preview.contains("project \(project): to be created"), preview)
        XCTAssertTrue(preview.contains("+ the admin role for \(project) on \(project)"), preview)
        XCTAssertTrue(
            preview.contains("openstack role add --project \(project) --project-domain default --user \(project) --user-domain default admin"),
            preview)
        XCTAssertFalse(preview.contains(password))

        guard case let .finished(result) = try await StepExecution.execute(screen, engine: engine, catalog: catalog, consent: true) else {
            return XCTFail("with a yes it acts")
        }
        XCTAssertEqual(result.outcome, .passed, "\(result.findings)")
        XCTAssertEqual(
            result.findings.filter { $0.checkID == "keystone.atmoadmin" }.map { String($0.observed.prefix(7)) },
            ["created", "created", "set on ", "granted"])
        let login = try XCTUnwrap(result.findings.first { $0.checkID == "keystone.atmoadmin-login" })
        XCTAssertEqual(login.severity, .ok)
        XCTAssertTrue(login.observed.contains("logged in to project \(project); roles:") && login.observed.contains("admin"), login.observed)
        XCTAssertEqual(StepExecution.shownOnce(result, engine: engine)?.value, password, "the front end shows it once")
        let created = try engine.store.events(session: engine.session.id, limit: 200).filter { $0.kind == "cloud-created" }.map(\.detail)
        XCTAssertEqual(
            created.map { $0.split(separator: " ").prefix(2).joined(separator: " ") }, ["keystone project", "keystone user", "keystone grant"])

        // Seen from Keystone: one project, one user, the grant.
        let session = try await peer.adminSession()
        let projects =
            try await peer.admin("GET", "\(session.identityURL)/projects?name=\(project)", session: session)["projects"] as? [[String: Any]]
        XCTAssertEqual(projects?.count, 1)

        // A re-run finds everything: nothing to ask, nothing changed, and the login still works.
        guard case let .finished(again) = try await StepExecution.execute(screen, engine: engine, catalog: catalog) else {
            return XCTFail("nothing to create: no question")
        }
        XCTAssertEqual(again.outcome, .passed, "\(again.findings)")
        XCTAssertEqual(
            again.findings.filter { $0.checkID == "keystone.atmoadmin" }.map { String($0.observed.prefix(6)) }, ["exists", "exists", "alread"])
        XCTAssertNil(StepExecution.shownOnce(again, engine: engine), "no password was set: nothing to show")
        let after = try engine.store.events(session: engine.session.id, limit: 400).filter { $0.kind == "cloud-created" }
        XCTAssertEqual(after.count, 3, "nothing new was created")

        // The password is in no file the wizard wrote: state database, WAL, log.
        for name in try FileManager.default.contentsOfDirectory(atPath: statePath) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: statePath + "/" + name))
            XCTAssertNil(bytes.range(of: Data(password.utf8)), "the atmoadmin password is in \(name)")
        }
    }

    func testAWrongPasswordForAnExistingUserIsCaughtAndCanBeReset() async throws {
        let peer = try requirePeer()
        let project = "atmoadmin-\(UUID().uuidString.prefix(6))"
        let names = "atmoadmin.project: \(project)\natmoadmin.user: \(project)\n"
        let (first, catalog, _) = try atmoadminEngine(peer, extra: names)
        let screen = try XCTUnwrap(catalog.screen("atmoadmin"))
        guard case .finished = try await StepExecution.execute(screen, engine: first, catalog: catalog, consent: true) else { return XCTFail() }

        // A new run generates a new password, which is not the user's.
        let (second, _, _) = try atmoadminEngine(peer, extra: names)
        guard case let .finished(wrong) = try await StepExecution.execute(screen, engine: second, catalog: catalog) else { return XCTFail() }
        XCTAssertEqual(wrong.outcome, .failed)
        let refused = try XCTUnwrap(wrong.findings.first { $0.checkID == "keystone.atmoadmin-login" })
        XCTAssertTrue(refused.remedy.contains("atmoadmin.reset_password"), refused.remedy)

        let (third, _, _) = try atmoadminEngine(peer, extra: names + "atmoadmin.reset_password: true\n")
        guard case let .needsConsent(plan) = try await StepExecution.execute(screen, engine: third, catalog: catalog) else { return XCTFail() }
        XCTAssertTrue(plan.changes.contains { $0.hasPrefix("a new password for the existing user") }, "\(plan.changes)")
        guard case let .finished(reset) = try await StepExecution.execute(screen, engine: third, catalog: catalog, consent: true) else {
            return XCTFail()
        }
        XCTAssertEqual(reset.outcome, .passed, "\(reset.findings)")
        XCTAssertNotNil(StepExecution.shownOnce(reset, engine: third))
    }
}

/// The OpenStack-Ansible step against the real catalog, with one endpoint moved to plain http on an IP address.
extension OpenStackCheckTests {
    func testTheOSAFragmentIsPreviewedThenWrittenForTheRealCatalog() async throws {
        let peer = try requirePeer()
        let session = try await peer.adminSession()
        let glance = try await publicEndpoint("glance", peer, session)
        let port = try XCTUnwrap(URLComponents(string: glance.url)?.port)
        try await setURL(glance.id, "http://127.0.0.1:\(port)", peer, session)
        let output = TestPaths.scratch("osa") + "/user_variables.atmosphere.yml"
        let (engine, catalog, _) = try atmoadminEngine(
            peer,
            extra: "osa.output_path: \(output)\nosa.atmosphere_network: [198.51.100.0/24]\n"
                + "tls.api_hostname: cloud.test\n")
        let screen = try XCTUnwrap(catalog.screen("openstack-config"))
        guard case let .needsConsent(plan) = try await StepExecution.execute(screen, engine: engine, catalog: catalog) else {
            return XCTFail("writing the fragment needs a yes")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: output), "nothing written before the yes")
        let preview = plan.previewLines.joined(separator: "\n")
        XCTAssertTrue(preview.contains("+ glance_service_publicuri: https://cloud.test:{{ glance_service_port }}"), preview)
        XCTAssertTrue(preview.contains("openstack-ansible os-glance-install.yml"), preview)
        guard case let .finished(result) = try await StepExecution.execute(screen, engine: engine, catalog: catalog, consent: true) else {
            return XCTFail("with a yes it writes")
        }
        // The catalog check still fails (glance is still http): the operator applies the fragment and runs the step again.
        XCTAssertTrue(result.findings.contains { $0.checkID == "osa.user-variables" && $0.observed.hasPrefix("written") }, "\(result.findings)")
        XCTAssertTrue(result.findings.contains { $0.checkID == "catalog.endpoints" && $0.severity == .failure }, "\(result.findings)")
        let parsed = try XCTUnwrap(try Yams.load(yaml: try String(contentsOfFile: output, encoding: .utf8)) as? [String: Any])
        XCTAssertEqual(parsed["glance_service_publicuri"] as? String, "https://cloud.test:{{ glance_service_port }}")
        XCTAssertEqual(parsed["openstack_service_publicuri_proto"] as? String, "https")
        XCTAssertEqual(parsed["external_lb_vip_address"] as? String, "cloud.test")
        XCTAssertNotNil(parsed["haproxy_keystone_service_overrides"])
        XCTAssertNil(parsed["keystone_service_publicuri"], "Keystone's public endpoint is https on a name already")
        try await setURL(glance.id, glance.url, peer, session)
    }

    /// The real catalog as it is (https on names everywhere): the step passes saying there is nothing to change, asks
    /// for no yes, and writes nothing (no empty `{}` file).
    func testACompliantCatalogNeedsNothingAndNothingIsWritten() async throws {
        let peer = try requirePeer()
        let output = TestPaths.scratch("osa-none") + "/user_variables.atmosphere.yml"
        let (engine, catalog, _) = try atmoadminEngine(peer, extra: "osa.output_path: \(output)\ntls.api_hostname: keystone.cloud.test\n")
        let screen = try XCTUnwrap(catalog.screen("openstack-config"))
        guard case let .finished(result) = try await StepExecution.execute(screen, engine: engine, catalog: catalog) else {
            return XCTFail("nothing to change needs no yes")
        }
        XCTAssertTrue(result.message.hasPrefix("Nothing to change: every public endpoint and the Keystone admin endpoint are on https"), result.message)
        XCTAssertNotEqual(result.outcome, .failed, "\(result.findings)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: output), "nothing written")
    }
}
