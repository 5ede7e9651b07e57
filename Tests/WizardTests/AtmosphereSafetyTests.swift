import AtmosphereKit
import DemoCloud
import Foundation
import StepEngine
import TestSupport
import Wizard
import XCTest

/// Fail closed, never destroy: what the provider step does when Atmosphere cannot be read, when a provider of the same
/// name points elsewhere, and when the Atmosphere server does not trust the cloud. Each ends in a named finding with its
/// fix, and Atmosphere's database is as it was.
final class AtmosphereSafetyTests: XCTestCase {
    typealias Lab = AtmosphereLabSession

    /// A session for provider "lab" on `generation`, with `extra` answer lines.
    func makeLab(_ generation: AtmosphereSandbox.Generation, trustsCloud: Bool = true, extra: String = "") throws -> Lab {
        try AtmosphereLabSession("safety", generation: generation, trustsCloud: trustsCloud, extra: "provider.name: lab\n" + extra)
    }

    /// The provider step with consent: its result.
    func runProvider(_ lab: Lab) async throws -> StepResult {
        try await finished("provider", engine: lab.engine, catalog: lab.catalog)
    }

    /// A provider named lab that points at another cloud, made in Atmosphere's database as an operator's earlier add would.
    func addForeignProvider(_ tree: String, name: String = "lab") throws {
        let code = """
            import django
            django.setup()
            from core.models import Provider, ProviderType, PlatformType
            p = Provider.objects.create(location='\(name)', type=ProviderType.objects.get(name='OpenStack'), virtualization=PlatformType.objects.get(name='KVM'))
            p.providercredential_set.create(key='auth_url', value='https://keystone.other.example.org:5000')
            p.providercredential_set.create(key='admin_url', value='https://keystone.other.example.org:35357')
            p.providercredential_set.create(key='region_name', value='RegionTwo')
            """
        let run = ChildProcess.run(
            ["/usr/bin/env", "-C", tree + "/atmosphere", tree + "/env/atmo/bin/python", "-c", code],
            environment: AtmosphereTree.environment(tree))
        XCTAssertEqual(run.status, 0, run.output)
    }

    func testASameNameProviderPointingElsewhereIsNeverReplaced() async throws {
        for generation in AtmosphereSandbox.Generation.allCases {
            let lab = try makeLab(generation)
            defer { lab.cloud.shutdown() }
            try addForeignProvider(lab.tree)
            let before = try AtmosphereTree.snapshot(lab.tree)
            let result = try await runProvider(lab)
            XCTAssertEqual(result.outcome, .failed, "\(generation)")
            let finding = try XCTUnwrap(result.findings.first { $0.severity == .failure }, "\(result.findings)")
            XCTAssertTrue(finding.observed.contains("exists already (id 1) and is not this cloud's"), finding.observed)
            XCTAssertTrue(finding.observed.contains("region_name is RegionTwo"), finding.observed)
            XCTAssertTrue(finding.remedy.contains("provider.adopt_existing"), finding.remedy)
            XCTAssertEqual(try AtmosphereTree.snapshot(lab.tree), before, "\(generation): Atmosphere's database is unchanged")
            XCTAssertEqual(providerJSONs(near: lab.json), [], "no JSON was written")
            XCTAssertNil(try lab.engine.answerValues()["provider.id"])
        }
    }

    /// Fail closed: the script's start is recorded before it runs (a resume recognises a half-made provider of ours by
    /// it), and so is the JSON; when either record fails, the script never runs and the JSON is gone.
    func testAProviderWhoseStartCannotBeRecordedIsNeverAdded() async throws {
        for fault in ["provider-script-started", "artifact"] {
            let lab = try makeLab(.final)
            defer { lab.cloud.shutdown() }
            let database = lab.engine.store.directory.databasePath
            if fault == "artifact" { try StateFault.refuseArtifacts(in: database) } else { try StateFault.refuseEvents(fault, in: database) }
            let before = try AtmosphereTree.snapshot(lab.tree)
            let result = try await runProvider(lab)
            XCTAssertEqual(result.outcome, .failed, "\(fault): \(result.findings)")
            let finding = try XCTUnwrap(result.findings.first { $0.severity == .failure }, "\(result.findings)")
            XCTAssertEqual(finding.checkID, "atmosphere.add-provider", fault)
            XCTAssertTrue(finding.observed.contains("could not be recorded") && finding.observed.contains("database or disk is full"), finding.observed)
            XCTAssertEqual(try AtmosphereTree.snapshot(lab.tree), before, "\(fault): add_new_provider.py did not run")
            XCTAssertEqual(providerJSONs(near: lab.json), [], "\(fault): the JSON with both secrets is gone")
            XCTAssertNil(try lab.engine.answerValues()["provider.id"])
        }
    }

    /// A run killed between the provider JSON's create and rename leaves it half-written under the writer's temporary
    /// name: the next run removes it (its path was recorded before the write), and nothing that is not that name.
    func testAHalfWrittenProviderJSONOfAKilledRunIsRemoved() async throws {
        let lab = try makeLab(.final)
        defer { lab.cloud.shutdown() }
        let gone = ChildProcess.start(["/bin/true"])
        _ = gone.wait()
        let folder = (lab.json as NSString).deletingLastPathComponent
        let killed = folder + "/provider-\(gone.pid).json"
        try lab.engine.store.appendEvent(session: lab.engine.session.id ?? 0, kind: .artifactWriting, step: "provider", detail: killed)
        let base = (killed as NSString).lastPathComponent
        let half = folder + "/.\(base).atmo-connect-k1lledrun0ab"
        let others = [folder + "/.\(base).atmo-connect-short", folder + "/.provider.json.atmo-connect-notrecorded0", folder + "/.other.json.atmo-connect-abcdefghijkl"]
        for path in [half] + others { try #"{"admin": {"password": "planted"}}"#.write(toFile: path, atomically: false, encoding: .utf8) }
        let result = try await runProvider(lab)
        XCTAssertNotEqual(result.outcome, .failed, "\(result.findings)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: half), "the killed run's half-written JSON is gone")
        for path in others { XCTAssertTrue(FileManager.default.fileExists(atPath: path), "not a name of ours: \(path) stays") }
    }

    /// Displaced by a forced unlock as its step starts: no provider JSON, no script, no change in Atmosphere.
    func testADisplacedProviderStepChangesNothing() async throws {
        let lab = try makeLab(.final)
        defer { lab.cloud.shutdown() }
        let before = try AtmosphereTree.snapshot(lab.tree)
        let outcome = try await DisplacedRunTests.runDisplaced("provider", engine: lab.engine, catalog: lab.catalog)
        XCTAssertEqual(try AtmosphereTree.snapshot(lab.tree), before, "add_new_provider.py did not run: \(outcome)")
        XCTAssertEqual(providerJSONs(near: lab.json), [], "no JSON was written")
    }

    /// BAR-SB beside bar-sb is one provider as Atmosphere's operators read them: a provider named LAB pointing elsewhere
    /// stops the step for the name lab as the same name would.
    func testAProviderNamedTheSameInAnotherCaseIsTheSameName() async throws {
        let lab = try makeLab(.final)
        defer { lab.cloud.shutdown() }
        try addForeignProvider(lab.tree, name: "LAB")
        let before = try AtmosphereTree.snapshot(lab.tree)
        let result = try await runProvider(lab)
        XCTAssertEqual(result.outcome, .failed, "\(result.findings)")
        XCTAssertTrue(result.findings.contains { $0.observed.contains("exists already (id 1) and is not this cloud's") }, "\(result.findings)")
        XCTAssertEqual(try AtmosphereTree.snapshot(lab.tree), before, "no second provider")
    }

    /// The inventory's hosts share the DNS step's bound: a whole network (0.0.0.0/0) is refused at once, naming it,
    /// instead of a run that never ends.
    func testAWholeNetworkOfInventoryHostsIsRefused() async throws {
        let lab = try makeLab(.final, extra: "inventory.hosts: [0.0.0.0/0]\n")
        defer { lab.cloud.shutdown() }
        let screen = try XCTUnwrap(lab.catalog.screen("inventory"))
        let started = Date()
        guard case let .finished(result) = try await StepExecution.execute(screen, engine: lab.engine, catalog: lab.catalog, consent: true) else {
            return XCTFail("refused with a result")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
        XCTAssertEqual(result.outcome, .failed)
        XCTAssertTrue(
            result.findings.contains { $0.target == "inventory.hosts" && $0.observed == "4294967296 addresses: more than a /16" }, "\(result.findings)")
    }

    func testAnOperatorsYesAdoptsItAsItIs() async throws {
        let lab = try makeLab(.final, extra: "provider.adopt_existing: true\n")
        defer { lab.cloud.shutdown() }
        try addForeignProvider(lab.tree)
        let before = try AtmosphereTree.snapshot(lab.tree)
        let result = try await runProvider(lab)
        XCTAssertEqual(result.outcome, .warned, "\(result.findings)")
        XCTAssertTrue(result.findings.contains { $0.observed.contains("used as it is, as provider.adopt_existing says") })
        XCTAssertEqual(try lab.engine.answerValues()["provider.id"], .integer(1))
        XCTAssertEqual(try AtmosphereTree.snapshot(lab.tree), before)
    }

    func testAFailingProviderListingStopsTheStep() async throws {
        let lab = try makeLab(.final)
        defer { lab.cloud.shutdown() }
        let models = lab.tree + "/atmosphere/core/models/__init__.py"
        let original = try String(contentsOfFile: models, encoding: .utf8)
        // A broken import on the server, as after a half-done upgrade: listing fails, the script would still run.
        try ("from core.missing_module import Thing\n" + original).write(toFile: models, atomically: true, encoding: .utf8)
        let before = try AtmosphereTree.snapshot(lab.tree)
        let result = try await runProvider(lab)
        XCTAssertEqual(result.outcome, .failed)
        let finding = try XCTUnwrap(result.findings.first { $0.severity == .failure })
        XCTAssertTrue(finding.observed.contains("could not read the providers") && finding.observed.contains("core.missing_module"), finding.observed)
        XCTAssertTrue(finding.remedy.hasPrefix("Nothing was changed."), finding.remedy)
        XCTAssertEqual(try AtmosphereTree.snapshot(lab.tree), before)
        XCTAssertEqual(providerJSONs(near: lab.json), [])
    }

    func testAServerThatDoesNotTrustTheCloudIsToldHowAndNothingChanges() async throws {
        for generation in AtmosphereSandbox.Generation.allCases {
            let lab = try makeLab(generation, trustsCloud: false)
            defer { lab.cloud.shutdown() }
            let before = try AtmosphereTree.snapshot(lab.tree)
            let result = try await runProvider(lab)
            XCTAssertEqual(result.outcome, .failed, "\(generation)")
            let finding = try XCTUnwrap(result.findings.first { $0.severity == .failure })
            XCTAssertTrue(finding.observed.contains("cannot reach") && finding.observed.contains("CERTIFICATE_VERIFY_FAILED"), finding.observed)
            XCTAssertTrue(finding.remedy.contains("REQUESTS_CA_BUNDLE") && finding.remedy.contains("certifi"), finding.remedy)
            XCTAssertEqual(try AtmosphereTree.snapshot(lab.tree), before, "\(generation): add_new_provider.py did not run; nothing changed")
            XCTAssertEqual(providerJSONs(near: lab.json), [])
        }
    }

    func testAWrongAtmoadminPasswordNeverReachesTheJSON() async throws {
        let lab = try makeLab(.final)
        defer { lab.cloud.shutdown() }
        try lab.engine.setSecret(SecretValue("not-the-password"), for: "atmoadmin.password")
        let before = try AtmosphereTree.snapshot(lab.tree)
        let result = try await runProvider(lab)
        XCTAssertEqual(result.outcome, .failed)
        XCTAssertTrue(
            result.findings.contains { $0.checkID == "keystone.atmoadmin-login" && $0.observed.hasPrefix("before writing the provider JSON: ") },
            "\(result.findings)")
        XCTAssertEqual(providerJSONs(near: lab.json), [])
        XCTAssertEqual(try AtmosphereTree.snapshot(lab.tree), before)
    }
}

/// The staff step's optional Django password: set through a 0600 file, shown once, stored nowhere, and checked against
/// the login backends Atmosphere's settings enable.
final class StaffPasswordTests: XCTestCase {
    func testAPasswordIsSetShownOnceAndTheBackendsAreChecked() async throws {
        let tree = try AtmosphereTree.make(.final, users: ["cmart"])
        let catalog = try WizardCatalog.load()
        let store = try StateStore(directory: StateDirectory(path: TestPaths.scratch("staff") + "/state"))
        let engine = Engine(store: store, plan: catalog.plan, session: try store.createSession(named: "lab"))
        let answers = """
            session.name: lab
            atmosphere.checkout: \(tree)/atmosphere
            atmosphere.venv: \(tree)/env/atmo
            atmosphere.ansible_checkout: \(tree)/atmosphere-ansible
            staff.users: [cmart]
            staff.set_password: true

            """
        let file = try AnswersFile.parse(answers, path: "a.yaml", inputs: catalog.plan.inputs, fileIsPrivate: false)
        let resolution = try AnswerResolution.resolve(catalog: catalog, file: file, stored: [:])
        for (key, secret) in resolution.secrets { try engine.setSecret(secret, for: key) }
        try engine.setAnswers(resolution.toStore)
        let password = try XCTUnwrap(engine.secret(for: "staff.password")).reveal()
        let screen = try XCTUnwrap(catalog.screen("staff"))
        guard case let .needsConsent(plan) = try await StepExecution.execute(screen, engine: engine, catalog: catalog) else {
            return XCTFail("a change needs a yes")
        }
        let preview = plan.previewLines.joined(separator: "\n")
        XCTAssertTrue(preview.contains("user.set_password(password)") && preview.contains("password = \"\(Redactor.mask)\""), preview)
        XCTAssertFalse(preview.contains(password), "the preview masks the password")

        guard case let .finished(result) = try await StepExecution.execute(screen, engine: engine, catalog: catalog, consent: true) else {
            return XCTFail()
        }
        XCTAssertTrue(result.findings.contains(AtmosphereSnippets.staffPasswordShownOnce), "\(result.findings)")
        XCTAssertEqual(StepExecution.shownOnce(result, engine: engine)?.value, password)
        let warning = try XCTUnwrap(result.findings.first { $0.target == "AUTHENTICATION_BACKENDS" })
        XCTAssertEqual(warning.severity, .warning, "Atmosphere's default backends (token, CAS, LDAP) do not take a Django password")
        XCTAssertTrue(warning.remedy.contains("ModelBackend"), warning.remedy)
        let check = ChildProcess.run(
            [
                "/usr/bin/env", "-C", tree + "/atmosphere", tree + "/env/atmo/bin/python", "-c",
                "import django, sys\ndjango.setup()\nfrom core.models import AtmosphereUser\nu = AtmosphereUser.objects.get(username='cmart')\nprint(u.is_staff, u.check_password(sys.stdin.read()))",
            ],
            environment: AtmosphereTree.environment(tree), stdin: password)
        XCTAssertTrue(check.output.contains("True True"), "the password logs cmart in: \(check.output)")
        XCTAssertNil(TestPaths.bytes(ofDatabase: store.directory.databasePath).range(of: Data(password.utf8)), "never in the state database")
        XCTAssertFalse(try store.events(session: engine.session.id, limit: 1000).contains { $0.detail.contains(password) })

        // With ModelBackend enabled in local.py, the same step says /admin takes the password.
        let local = tree + "/atmosphere/atmosphere/settings/local.py"
        try (try String(contentsOfFile: local, encoding: .utf8) + "AUTHENTICATION_BACKENDS = ('django.contrib.auth.backends.ModelBackend',)\n")
            .write(toFile: local, atomically: true, encoding: .utf8)
        guard case let .finished(again) = try await StepExecution.execute(screen, engine: engine, catalog: catalog, consent: true) else {
            return XCTFail()
        }
        XCTAssertEqual(again.findings.first { $0.target == "AUTHENTICATION_BACKENDS" }?.severity, .ok, "\(again.findings)")
    }
}
