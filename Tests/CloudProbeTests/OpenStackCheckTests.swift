import CloudProbe
import Foundation
import StepEngine
import TestSupport
import Wizard
import XCTest

/// `atmo-connect check` against real OpenStack API servers on loopback over HTTPS.
final class OpenStackCheckTests: XCTestCase {
    nonisolated(unsafe) static var peer: OpenStackPeer?
    let binary = TestPaths.executable("atmo-connect")

    override class func setUp() { peer = OpenStackPeer() }
    override class func tearDown() { peer = nil }

    func requirePeer() throws -> OpenStackPeer {
        try XCTUnwrap(Self.peer, Peers.python == nil ? Peers.missingVenv : "the OpenStack peer did not start:\n\(OpenStackPeer.lastError)")
    }

    /// Runs the real binary; the password goes in the environment, never on the command line.
    func check(_ peer: OpenStackPeer, extra: [String] = []) throws -> (status: Int32, json: [String: Any], output: String) {
        let arguments =
            [binary, "check", "--openrc", peer.adminOpenrc(), "--cacert", peer.caBundle, "--json"]
            + peer.resolve.flatMap { ["--resolve", $0] } + extra
        XCTAssertFalse(arguments.contains { $0.contains(peer.adminPassword) })
        let run = ChildProcess.run(arguments, environment: ["OS_PASSWORD": peer.adminPassword])
        XCTAssertFalse(run.output.contains(peer.adminPassword), "the password is never printed")
        let json = (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]) ?? [:]
        return (run.status, json, run.output)
    }

    func findings(_ json: [String: Any], check: String? = nil, severity: String? = nil) -> [[String: String]] {
        (json["findings"] as? [[String: String]] ?? []).filter { finding in
            (check == nil || finding["check"] == check) && (severity == nil || finding["severity"] == severity)
        }
    }

    /// The id and URL of a service's public endpoint, and a way to put the URL back.
    func publicEndpoint(_ service: String, _ peer: OpenStackPeer, _ session: KeystoneSession) async throws -> (id: String, url: String) {
        let services = try await peer.admin("GET", "\(session.identityURL)/services?name=\(service)", session: session)
        let serviceID = try XCTUnwrap((services["services"] as? [[String: Any]])?.first?["id"] as? String)
        let endpoints = try await peer.admin("GET", "\(session.identityURL)/endpoints?interface=public&service_id=\(serviceID)", session: session)
        let endpoint = try XCTUnwrap((endpoints["endpoints"] as? [[String: Any]])?.first)
        return (try XCTUnwrap(endpoint["id"] as? String), try XCTUnwrap(endpoint["url"] as? String))
    }

    func setURL(_ id: String, _ url: String, _ peer: OpenStackPeer, _ session: KeystoneSession) async throws {
        try await peer.admin("PATCH", "\(session.identityURL)/endpoints/\(id)", ["endpoint": ["url": url]], session: session)
    }

    func testAGoodCatalogPasses() throws {
        let peer = try requirePeer()
        let result = try check(peer)
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertEqual(result.json["worst"] as? String, "ok")
        XCTAssertEqual(result.json["ca_bundle"] as? String, peer.caBundle)
        XCTAssertEqual(JSONKeys.notSnakeCase(result.json), [], "one naming style with status and sessions")
        let checks = Set(findings(result.json).compactMap { $0["check"] })
        for id in [
            "cloud.credentials", "keystone.authenticate", "keystone.admin-account", "cloud.inventory", "neutron.external-network",
            "neutron.router-gateways", "cinder.volume-types", "catalog.endpoints", "tls.endpoints", "keystone.admin-endpoint", "keystone.roles",
        ] {
            XCTAssertTrue(checks.contains(id), id)
        }
        XCTAssertEqual(findings(result.json, check: "neutron.router-gateways").first?["observed"], "candidates for public_routers: public_router")
        XCTAssertTrue(findings(result.json, check: "neutron.external-network").first?["observed"]?.hasPrefix("40 free of 41") ?? false)
        let timing = try XCTUnwrap(result.json["timing"] as? [String: Any])
        let wall = try XCTUnwrap(timing["wall_seconds"] as? Double)
        let sum = try XCTUnwrap(timing["request_seconds_sum"] as? Double)
        XCTAssertGreaterThanOrEqual(timing["requests"] as? Int ?? 0, 12)
        XCTAssertLessThan(wall, sum, "independent probes run concurrently")
        // `make bench` repeats each logged request alone to measure the limit: the log is every request, on the cloud's hosts.
        let log = try XCTUnwrap(timing["request_log"] as? [[String: Any]])
        XCTAssertEqual(log.count, timing["requests"] as? Int)
        let hosts = Set(log.compactMap { ($0["url"] as? String).flatMap { URLComponents(string: $0)?.host } })
        XCTAssertTrue(
            hosts.isSubset(of: ["keystone.cloud.test", "glance.cloud.test", "neutron.cloud.test", "nova.cloud.test", "cinder.cloud.test"]), "\(hosts)"
        )
        XCTAssertTrue(hosts.contains("neutron.cloud.test"), "\(hosts)")
        let urls = log.compactMap { $0["url"] as? String }
        XCTAssertEqual(Set(urls).count, urls.count, "no URL is asked twice (the identity admin endpoint is the public one here): \(urls)")
        // Only the endpoint inspections collect certificates, each on a connection of its own: every one has them.
        let tls = findings(result.json, check: "tls.endpoints")
        XCTAssertEqual(tls.count, 6, "\(tls)")
        for finding in tls {
            let observed = finding["observed"] ?? ""
            XCTAssertTrue(observed.contains("TLSv1.") && observed.contains("subject cloud.test") && observed.contains("days left"), observed)
        }
        XCTAssertEqual(log.compactMap { $0["seconds"] as? Double }.max() ?? -1, timing["slowest_request_seconds"] as? Double ?? -2, accuracy: 1e-9)
    }

    func testWithoutTheCABundleEveryEndpointIsUntrusted() throws {
        let peer = try requirePeer()
        let arguments = [binary, "check", "--openrc", peer.adminOpenrc(), "--json"] + peer.resolve.flatMap { ["--resolve", $0] }
        let run = ChildProcess.run(arguments, environment: ["OS_PASSWORD": peer.adminPassword])
        XCTAssertEqual(run.status, 3, "Keystone's certificate is not trusted: no password is sent, nothing else can be checked")
        XCTAssertTrue(run.output.contains("not trusted here"), run.output)
    }

    /// Points a service's public endpoint at `url` for one check, then puts it back.
    func checkWithEndpoint(
        _ service: String, at url: (Int) -> String, extra: [String] = []
    )
        async throws -> (result: (status: Int32, json: [String: Any], output: String), id: String, port: Int)
    {
        let peer = try requirePeer()
        let session = try await peer.adminSession()
        let endpoint = try await publicEndpoint(service, peer, session)
        let port = peer.ports[service] ?? 0
        try await setURL(endpoint.id, url(port), peer, session)
        let result = try check(peer, extra: extra)
        try await setURL(endpoint.id, endpoint.url, peer, session)
        return (result, endpoint.id, port)
    }

    func testAPlainHTTPEndpointGetsItsFix() async throws {
        let (result, id, port) = try await checkWithEndpoint("nova", at: { "http://nova.cloud.test:\($0)/v2.1" })
        XCTAssertEqual(result.status, 2, result.output)
        let failure = try XCTUnwrap(findings(result.json, check: "catalog.endpoints", severity: "failure").first, result.output)
        XCTAssertEqual(failure["target"], "nova public http://nova.cloud.test:\(port)/v2.1")
        XCTAssertEqual(failure["observed"], "plain http, not https")
        XCTAssertTrue(
            failure["remedy"]?.hasPrefix("openstack endpoint set --url https://nova.cloud.test:\(port)/v2.1 \(id)") ?? false, failure["remedy"] ?? "")
        XCTAssertTrue(failure["remedy"]?.contains("nova_service_publicuri") ?? false)
    }

    func testAnIPLiteralEndpoint() async throws {
        let (result, id, port) = try await checkWithEndpoint(
            "glance", at: { "https://127.0.0.1:\($0)" }, extra: ["--api-hostname", "cloud.example.org"])
        XCTAssertEqual(result.status, 2, result.output)
        let failure = try XCTUnwrap(findings(result.json, check: "catalog.endpoints", severity: "failure").first, result.output)
        XCTAssertEqual(failure["observed"], "an IP address (127.0.0.1), not a host name")
        XCTAssertTrue(
            failure["remedy"]?.hasPrefix("openstack endpoint set --url https://cloud.example.org:\(port) \(id)") ?? false, failure["remedy"] ?? "")
        XCTAssertTrue(failure["remedy"]?.contains("glance_service_publicuri") ?? false)
    }

    func testANameTheCertificateDoesNotCover() async throws {
        let neutronPort = try requirePeer().ports["neutron"] ?? 0
        let (result, _, port) = try await checkWithEndpoint(
            "neutron", at: { "https://network.example.org:\($0)" },
            extra: ["--resolve", "network.example.org:\(neutronPort):127.0.0.1"])
        XCTAssertEqual(result.status, 2, result.output)
        let failure = try XCTUnwrap(findings(result.json, check: "tls.endpoints", severity: "failure").first, result.output)
        XCTAssertEqual(failure["target"], "neutron public https://network.example.org:\(port)")
        XCTAssertTrue(
            failure["observed"]?.hasPrefix("certificate is for keystone.cloud.test, *.cloud.test, localhost, 127.0.0.1, not network.example.org")
                ?? false,
            failure["observed"] ?? "")
        XCTAssertTrue(failure["remedy"]?.contains("network.example.org among its subject alternative names") ?? false)
    }

    func testDeletingTheOnlyImageFails() async throws {
        let peer = try requirePeer()
        let session = try await peer.adminSession()
        let glance = "https://glance.cloud.test:\(peer.ports["glance"] ?? 0)"
        let images = try await peer.admin("GET", "\(glance)/v2/images", session: session)
        for image in images["images"] as? [[String: Any]] ?? [] {
            try await peer.admin("DELETE", "\(glance)/v2/images/\(image["id"] as? String ?? "")", session: session)
        }
        let result = try check(peer)
        let created = try await peer.admin(
            "POST", "\(glance)/v2/images", ["name": "cirros", "disk_format": "raw", "container_format": "bare", "visibility": "public"],
            session: session)
        let upload = HTTPRequest(
            method: "PUT", url: "\(glance)/v2/images/\(created["id"] as? String ?? "")/file",
            headers: session.authHeaders + [("Content-Type", "application/octet-stream")], body: Data(count: 4096))
        _ = try await peer.client().send(upload)
        XCTAssertEqual(result.status, 2, result.output)
        let failure = try XCTUnwrap(findings(result.json, check: "cloud.inventory", severity: "failure").first, result.output)
        XCTAssertEqual(failure["observed"], "no active image")
        XCTAssertTrue(failure["remedy"]?.contains("openstack image create") ?? false)
    }

    func testUsingUpTheFloatingIPsFails() async throws {
        let peer = try requirePeer()
        let session = try await peer.adminSession()
        let neutron = "https://neutron.cloud.test:\(peer.ports["neutron"] ?? 0)/v2.0"
        let networks = try await peer.admin("GET", "\(neutron)/networks?name=public", session: session)
        let external = try XCTUnwrap((networks["networks"] as? [[String: Any]])?.first?["id"] as? String)
        var allocated: [String] = []
        while true {
            do {
                let ip = try await peer.admin("POST", "\(neutron)/floatingips", ["floatingip": ["floating_network_id": external]], session: session)
                allocated.append((ip["floatingip"] as? [String: Any])?["id"] as? String ?? "")
            } catch {
                break
            }
            if allocated.count > 60 { break }
        }
        let result = try check(peer)
        for id in allocated { try await peer.admin("DELETE", "\(neutron)/floatingips/\(id)", session: session) }
        XCTAssertEqual(allocated.count, 40, "the pool .10-.50 less the router's gateway")
        XCTAssertEqual(result.status, 2, result.output)
        let failure = try XCTUnwrap(findings(result.json, check: "neutron.external-network", severity: "failure").first, result.output)
        XCTAssertEqual(failure["observed"], "0 free of 41 addresses (Neutron's IP availability)")
        XCTAssertTrue(failure["remedy"]?.contains("floating ip") ?? false)
    }

    /// The wizard's steps run the same checks with the session's answers.
    func answers(_ peer: OpenStackPeer, atmosphere: String? = nil) -> String {
        let path = TestPaths.scratch("answers") + "/answers.yaml"
        let tree =
            atmosphere.map {
                "atmosphere.checkout: \($0)/atmosphere\natmosphere.venv: \($0)/env/atmo\natmosphere.ansible_checkout: \($0)/atmosphere-ansible\n"
            } ?? ""
        let text =
            tree + """
                session.name: peer
                cloud.credentials_source: openrc
                cloud.openrc_path: \(peer.adminOpenrc())
                cloud.password: {from_env: PEER_ADMIN_PASSWORD}
                cloud.cacert: \(peer.caBundle)
                cloud.resolve: [\(peer.resolve.joined(separator: ", "))]

                """
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    func testApplyPassesPrerequisitesAndAsksBeforeTheSmokeTest() throws {
        let peer = try requirePeer()
        let state = TestPaths.scratch("apply") + "/state"
        let tree = try AtmosphereTree.make(old: false, inventoryDirectory: true)
        let run = ChildProcess.run(
            [binary, "apply", "--answers", answers(peer, atmosphere: tree), "--state-dir", state],
            environment: ["PEER_ADMIN_PASSWORD": peer.adminPassword])
        XCTAssertEqual(run.status, 6, run.output)
        XCTAssertNotNil(
            run.output.range(of: #"prerequisites\s+ok\s+cloud.inventory: active images: 1 active image \(cirros\)"#, options: .regularExpression),
            run.output)
        XCTAssertNotNil(
            run.output.range(
                of: #"ok\s+neutron.router-gateways: routers: candidates for public_routers: public_router"#, options: .regularExpression), run.output)
        XCTAssertNotNil(
            run.output.range(of: #"info\s+atmosphere.detect: \S+: AllocationStrategy was removed in 2018"#, options: .regularExpression), run.output)
        XCTAssertNotNil(run.output.range(of: #"prerequisites\s+passed\s+0 failure\(s\), 0 warning\(s\)"#, options: .regularExpression), run.output)
        XCTAssertTrue(run.output.contains("Stopped at exercise-cloud: it would make these changes"), run.output)
        XCTAssertTrue(run.output.contains("add `smoke.consent: true` to the answers file"), run.output)
        XCTAssertFalse(run.output.contains(peer.adminPassword))
        XCTAssertNil(TestPaths.bytes(ofDatabase: state + "/state.db").range(of: Data(peer.adminPassword.utf8)))
    }

    func testTheTLSStepRunsItsChecksThroughTheEngine() async throws {
        let peer = try requirePeer()
        let catalog = try WizardCatalog.load()
        let store = try StateStore(directory: StateDirectory(path: TestPaths.scratch("step") + "/state"))
        let engine = Engine(store: store, plan: catalog.plan, session: try store.createSession(named: "peer"))
        let file = try AnswersFile.load(path: answers(peer), inputs: catalog.plan.inputs)
        let resolution = try AnswerResolution.resolve(
            catalog: catalog, file: file, stored: [:], environment: ["PEER_ADMIN_PASSWORD": peer.adminPassword])
        for (key, secret) in resolution.secrets { try engine.setSecret(secret, for: key) }
        try engine.setAnswers(resolution.toStore)
        let screen = try XCTUnwrap(catalog.screen("tls"))
        guard case let .finished(result) = try await StepExecution.execute(screen, engine: engine, catalog: catalog) else {
            return XCTFail("the TLS step's checks all exist")
        }
        XCTAssertEqual(result.outcome, .passed, "\(result.findings)")
        XCTAssertEqual(Set(result.findings.map(\.checkID)), ["tls.endpoints", "tls.protocol"])
        XCTAssertEqual(result.findings.filter { $0.checkID == "tls.endpoints" }.count, 6, "five public endpoints and the identity admin endpoint")
        // The protocol once per host and port: the five services listen on five ports.
        let protocols = result.findings.filter { $0.checkID == "tls.protocol" }
        XCTAssertEqual(protocols.count, 5, "\(protocols)")
        XCTAssertTrue(protocols.allSatisfy { $0.severity == .ok && $0.observed == "negotiates TLSv1.3" }, "\(protocols)")
        XCTAssertEqual(try store.findings(attempt: try XCTUnwrap(store.attempts(session: engine.session.id ?? 0, step: "tls").last?.id)).count, 11)
    }

    func testAtmosphereURLsMustBeTheRootAndAnswer() async throws {
        let peer = try requirePeer()
        let port = peer.ports["keystone"] ?? 0
        let good = await AtmosphereURLChecks.run(
            authURL: "https://keystone.cloud.test:\(port)", adminURL: "https://keystone.cloud.test:\(port)/v3",
            client: peer.client())
        XCTAssertEqual(good.map(\.severity), [.failure, .ok], "\(good)")
        XCTAssertEqual(good[0].observed, "has the path /v3")
        XCTAssertTrue(good[0].remedy.hasPrefix("Use https://keystone.cloud.test:\(port): Atmosphere adds /v3"))
        XCTAssertEqual(good[1].observed, "Keystone v3 answers at https://keystone.cloud.test:\(port)/v3")
        let plain = await AtmosphereURLChecks.run(authURL: "http://keystone.cloud.test:\(port)", adminURL: nil, client: peer.client())
        XCTAssertTrue(plain.contains { $0.observed == "plain http" }, "\(plain)")
        XCTAssertTrue(plain.contains { $0.target == "admin_url" && $0.observed == "not set or not a URL" })
    }

    func testAnApplicationCredentialAuthenticates() async throws {
        let peer = try requirePeer()
        let session = try await peer.adminSession()
        let secret = "app-" + UUID().uuidString
        let created = try await peer.admin(
            "POST", "\(session.identityURL)/users/\(session.userID)/application_credentials",
            ["application_credential": ["name": "atmo-\(UUID().uuidString.prefix(6))", "secret": secret]], session: session)
        let id = try XCTUnwrap((created["application_credential"] as? [String: Any])?["id"] as? String)
        let path = TestPaths.scratch("appcred") + "/app-openrc"
        let text =
            "export OS_AUTH_TYPE=v3applicationcredential\nexport OS_AUTH_URL=\"\(peer.authURL)\"\nexport OS_REGION_NAME=\"RegionOne\"\nexport OS_APPLICATION_CREDENTIAL_ID=\"\(id)\"\n"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        let run = ChildProcess.run(
            [binary, "check", "--openrc", path, "--cacert", peer.caBundle, "--json"] + peer.resolve.flatMap { ["--resolve", $0] },
            environment: ["OS_APPLICATION_CREDENTIAL_SECRET": secret])
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("application credential, auth URL"), run.output)
        XCTAssertFalse(run.output.contains(secret))
    }

    func testWhatTheCloudSaysBecomesTheDefaults() async throws {
        let peer = try requirePeer()
        let tree = try AtmosphereTree.make(old: false)
        let catalog = try WizardCatalog.load()
        let store = try StateStore(directory: StateDirectory(path: TestPaths.scratch("facts") + "/state"))
        let engine = Engine(store: store, plan: catalog.plan, session: try store.createSession(named: "peer"))
        let file = try AnswersFile.load(path: answers(peer, atmosphere: tree), inputs: catalog.plan.inputs)
        let resolution = try AnswerResolution.resolve(
            catalog: catalog, file: file, stored: [:], environment: ["PEER_ADMIN_PASSWORD": peer.adminPassword])
        for (key, secret) in resolution.secrets { try engine.setSecret(secret, for: key) }
        try engine.setAnswers(resolution.toStore + [Answer(key: "provider.admin_role_name", value: .text("cloudadmin"), source: .typed)])
        guard
            case let .finished(result) = try await StepExecution.execute(
                try XCTUnwrap(catalog.screen("prerequisites")), engine: engine, catalog: catalog)
        else {
            return XCTFail("prerequisites runs")
        }
        XCTAssertEqual(result.outcome, .passed, "\(result.findings.filter { $0.severity != .ok })")
        let port = peer.ports["keystone"] ?? 0
        let answers = try engine.storedAnswers()
        XCTAssertEqual(answers["credential.auth_url"]?.value, .text("https://keystone.cloud.test:\(port)"))
        XCTAssertEqual(answers["credential.auth_url"]?.source, .derived)
        XCTAssertEqual(answers["credential.region"]?.value, .text("RegionOne"))
        XCTAssertEqual(answers["provider.public_routers"]?.value, .list(["public_router"]))
        XCTAssertEqual(answers["provider.network_name"]?.value, .text("public"), "Neutron's external network, not the guide's example")
        XCTAssertEqual(answers["dns.floating_ranges"]?.value, .list(["203.0.113.10-203.0.113.50"]))
        XCTAssertEqual(answers["provider.user_role_name"]?.value, .text("member"))
        XCTAssertEqual(answers["provider.admin_role_name"]?.value, .text("cloudadmin"), "the operator's own answer is kept")
        let again = try AnswerResolution.resolve(catalog: catalog, file: nil, stored: answers)
        XCTAssertEqual(again.values["credential.auth_url"], .text("https://keystone.cloud.test:\(port)"), "a resolution keeps what the cloud said")
        XCTAssertEqual(again.values["inventory.hosts"], .list(["203.0.113.10-203.0.113.50"]), "and what derives from it")
    }
}
