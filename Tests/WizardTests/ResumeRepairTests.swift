import AtmosphereKit
import CloudProbe
import DemoCloud
import Foundation
import StepEngine
import TestSupport
import Wizard
import XCTest

/// A resume finishes what this session started: what a killed run of ours half-made is recognised from the journal
/// and finished or removed; what is not ours is never touched.
final class ResumeRepairTests: XCTestCase {
    struct Lab {
        var cloud: DemoCloud, tree: String, catalog: WizardCatalog, store: StateStore, session: SessionRecord, answers: String, json: String
    }

    func makeLab() throws -> Lab {
        let password = "repair-" + UUID().uuidString
        let cloud = try DemoCloud(directory: TestPaths.scratch("repair-cloud"), adminPassword: password)
        setenv("REPAIR_LAB_PASSWORD", password, 1)
        let tree = try AtmosphereTree.make(.final, cloud: cloud)
        let catalog = try WizardCatalog.load()
        let store = try StateStore(directory: StateDirectory(path: TestPaths.scratch("repair") + "/state"))
        let json = TestPaths.scratch("repair-json") + "/provider.json"
        // The operator's credentials, and nothing for atmoadmin: its user is made here with a generated password.
        let answers = """
            session.name: lab
            \(LabAnswers.atmosphere(tree))\(LabAnswers.cloud(cloud, passwordVariable: "REPAIR_LAB_PASSWORD"))provider.name: lab
            provider.public_routers: [public_router]
            provider.json_path: \(json)

            """
            .split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("atmoadmin.") }.joined(separator: "\n")
        return Lab(
            cloud: cloud, tree: tree, catalog: catalog, store: store, session: try store.createSession(named: "lab"), answers: answers, json: json)
    }

    /// A process of the wizard opening the session with `extra` answers (as each `apply` does): its own generated secrets.
    func open(_ lab: Lab, extra: String = "") throws -> Engine {
        let file = try AnswersFile.parse(lab.answers + extra, path: "a.yaml", inputs: lab.catalog.plan.inputs, fileIsPrivate: false)
        return try OpenedSession(lab.session, store: lab.store, catalog: lab.catalog, file: file, event: .answersApplied).engine
    }

    func run(_ step: String, _ engine: Engine, _ lab: Lab) async throws -> StepResult {
        try await finished(step, engine: engine, catalog: lab.catalog)
    }

    /// Killed after the atmoadmin step with a generated password: the user is ours and its password died with the run.
    /// The next run gives it a new one (shown once) and adds the provider; an operator's own password is never replaced.
    func testAnAtmoadminPasswordLostWithAKilledRunIsRenewed() async throws {
        let lab = try makeLab()
        defer { lab.cloud.shutdown() }
        let first = try open(lab)
        let made = try await run("atmoadmin", first, lab)
        XCTAssertEqual(made.outcome, .passed, "\(made.findings)")
        XCTAssertNotNil(StepExecution.shownOnce(made, engine: first), "the generated password is shown once")

        // The operator's password in the answers, not the user's: nothing of the user's is changed.
        setenv("REPAIR_ATMOADMIN", "not-the-password", 1)
        let given = try open(lab, extra: "atmoadmin.password: {from_env: REPAIR_ATMOADMIN}\n")
        let refused = try await run("provider", given, lab)
        XCTAssertEqual(refused.outcome, .failed, "\(refused.findings)")
        XCTAssertTrue(refused.findings.contains { $0.checkID == "keystone.atmoadmin-login" && $0.observed.hasPrefix("before writing the provider JSON") })
        XCTAssertNil(StepExecution.shownOnce(refused, engine: given), "no password was set")

        // A run whose password this process generated: the user this session made gets it.
        let resumed = try open(lab)
        let result = try await run("provider", resumed, lab)
        XCTAssertNotEqual(result.outcome, .failed, "\(result.findings)")
        XCTAssertTrue(
            result.findings.contains { $0.observed.contains("created by this session with a generated password that an interrupted run never stored") },
            "\(result.findings)")
        let shown = try XCTUnwrap(StepExecution.shownOnce(result, engine: resumed), "the new password is shown once")
        XCTAssertEqual(shown.value, resumed.secret(for: "atmoadmin.password")?.reveal())
        XCTAssertTrue(result.findings.contains { $0.checkID == "atmosphere.add-provider" && $0.severity == .ok && $0.observed.hasPrefix("provider id") })
        XCTAssertEqual(providerJSONs(near: lab.json), [])
    }

    /// Killed inside add_new_provider.py after the admin's Identity and before its AccountProvider: the provider is ours
    /// (the journal says this session ran the script for that name): it is removed and added again. With another
    /// user's identity on it, it is not ours to remove.
    func testAProviderOurKilledScriptHalfMadeIsRemovedAndAddedAgain() async throws {
        let lab = try makeLab()
        defer { lab.cloud.shutdown() }
        let engine = try open(lab, extra: "atmoadmin.user: admin\natmoadmin.project: admin\natmoadmin.password: {from_env: REPAIR_LAB_PASSWORD}\n")
        try halfMakeProvider(lab.tree, identities: ["admin"])
        try lab.store.appendEvent(session: engine.session.id, kind: .providerScriptStarted, step: "provider", detail: "lab")

        let result = try await run("provider", engine, lab)
        XCTAssertNotEqual(result.outcome, .failed, "\(result.findings)")
        XCTAssertTrue(result.findings.contains { $0.observed.contains("without its AccountProvider (and the admin identity it had begun)") }, "\(result.findings)")
        XCTAssertEqual(try providers(lab.tree), ["lab": true], "one provider of that name, with its admin identity")

        // Someone else's identity on a half-made provider: left alone, and the step says so.
        let other = try makeLab()
        defer { other.cloud.shutdown() }
        let otherEngine = try open(other, extra: "atmoadmin.user: admin\natmoadmin.project: admin\natmoadmin.password: {from_env: REPAIR_LAB_PASSWORD}\n")
        try halfMakeProvider(other.tree, identities: ["admin", "cmart"])
        try other.store.appendEvent(session: otherEngine.session.id, kind: .providerScriptStarted, step: "provider", detail: "lab")
        let before = try AtmosphereTree.snapshot(other.tree)
        let refused = try await run("provider", otherEngine, other)
        XCTAssertEqual(refused.outcome, .failed, "\(refused.findings)")
        XCTAssertEqual(try AtmosphereTree.snapshot(other.tree), before, "nothing of anyone else's is touched")
    }

    /// A provider named lab for the demo cloud with identities for `identities` and no AccountProvider, as a script
    /// killed between the two leaves it.
    func halfMakeProvider(_ tree: String, identities: [String]) throws {
        let code = """
            import django
            django.setup()
            from core.models import Group, Identity, Provider, ProviderType, PlatformType
            p = Provider.objects.create(location='lab', type=ProviderType.objects.get(name='OpenStack'), virtualization=PlatformType.objects.get(name='KVM'))
            for name in \(identities):
                user, group = Group.create_usergroup(name)
                Identity.objects.create(provider=p, created_by=user)
            """
        let run = ChildProcess.run(
            ["/usr/bin/env", "-C", tree + "/atmosphere", tree + "/env/atmo/bin/python", "-c", code], environment: AtmosphereTree.environment(tree))
        XCTAssertEqual(run.status, 0, run.output)
    }

    /// Each provider's name and whether it has its admin identity (AccountProvider).
    func providers(_ tree: String) throws -> [String: Bool] {
        let listed = try AtmosphereProviders.list(
            install: AtmosphereInstall(
                checkout: tree + "/atmosphere", virtualenv: tree + "/env/atmo", ansibleCheckout: tree + "/atmosphere-ansible", generation: .head,
                hasAllocationStrategy: false, usesInventoryDirectory: true),
            environment: AtmosphereTree.environment(tree))
        return Dictionary(listed.map { ($0.name, $0.admin != nil) }, uniquingKeysWith: { first, _ in first })
    }
}
