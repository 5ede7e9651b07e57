import Foundation
import StepEngine
import TestSupport
import Wizard
import XCTest

final class UnattendedApplyTests: XCTestCase {
    let screens = [
        (
            name: "1.yaml",
            text: "id: first\ntitle: First\nrequired: true\ntext: t\ninputs:\n  - {key: first.name, label: Name, type: text, help: h}\n"
        ),
        (
            name: "2.yaml",
            text:
                "id: second\ntitle: Second\nrequired: true\ntext: t\ninputs:\n  - {key: second.pw, label: Password, type: secret, help: h}\ndepends_on: [first]\n"
        ),
        (name: "3.yaml", text: "id: third\ntitle: Third\nrequired: true\ntext: t\nchecks: [later.check]\ndepends_on: [second]\n"),
    ]
    let registry = CapabilityRegistry([Capability(id: "later.check", kind: .check, title: "t", availability: .notYetAvailable("a later part"))])

    func makeEngine() throws -> (Engine, WizardCatalog) {
        let catalog = try WizardCatalog(screens: try ScreenLoader.load(files: screens), registry: registry)
        let store = try StateStore(directory: StateDirectory(path: TestPaths.scratch("apply")))
        return (Engine(store: store, plan: catalog.plan, session: try store.createSession(named: "s")), catalog)
    }

    func testStopsAtMissingAnswersThenAtTheUnavailableStep() async throws {
        let (engine, catalog) = try makeEngine()
        try engine.setAnswers([Answer(key: "first.name", value: .text("x"), source: .typed)])
        var lines: [ApplyProgress] = []
        let first = try await UnattendedApply(engine: engine, catalog: catalog).run { lines.append($0) }
        guard case let .missingAnswers(step, problems) = first else { return XCTFail("\(first)") }
        XCTAssertEqual(step, "second")
        XCTAssertTrue(problems[0].contains("{from_env: ATMO_SECOND_PW}"), problems[0])
        XCTAssertEqual(lines.first?.status, "passed")

        try engine.setSecret(SecretValue("pw-123456"), for: "second.pw")
        let second = try await UnattendedApply(engine: engine, catalog: catalog).run { _ in }
        XCTAssertEqual(
            second,
            .notAvailable(
                step: "third", capabilities: ["later.check"],
                reason: "its verification is not available yet in this build (arrives with a later part)"))
        XCTAssertEqual(try engine.states().map(\.status), [.passed, .passed, .pending], "nothing is pretended for third")
        XCTAssertTrue(try engine.store.attempts(session: engine.session.id ?? 0, step: "third").isEmpty)
    }

    func testUntilStopsAfterTheNamedStep() async throws {
        let (engine, catalog) = try makeEngine()
        try engine.setAnswers([Answer(key: "first.name", value: .text("x"), source: .typed)])
        let stop = try await UnattendedApply(engine: engine, catalog: catalog).run(until: "first") { _ in }
        XCTAssertEqual(stop, .completed)
        XCTAssertEqual(try engine.states().map(\.status), [.passed, .pending, .blocked])
    }

    /// A catalog with one action step, the inventory, over an Atmosphere tree.
    func inventoryEngine(consent: Bool) throws -> (Engine, WizardCatalog, String) {
        let tree = try AtmosphereTree.make(old: false, inventoryDirectory: true)
        let screen = """
            id: inventory
            title: Inventory
            required: true
            text: t
            inputs:
              - {key: atmosphere.checkout, label: C, type: path, help: h}
              - {key: atmosphere.venv, label: V, type: path, help: h}
              - {key: atmosphere.ansible_checkout, label: A, type: path, help: h}
              - {key: inventory.group, label: G, type: text, help: h}
              - {key: inventory.hosts, label: H, type: ip-range, help: h}
              - {key: provider.hostname_format, label: F, type: text, help: h}
              - {key: inventory.timezone, label: T, type: timezone, default: Etc/UTC, help: h}
              - {key: inventory.consent, label: Yes, type: bool, default: false, help: h}
            actions: [atmosphere.inventory]

            """
        let registry = CapabilityRegistry([Capability(id: "atmosphere.inventory", kind: .action, title: "inventory", availability: .available)])
        let catalog = try WizardCatalog(screens: try ScreenLoader.load(files: [(name: "i.yaml", text: screen)]), registry: registry)
        let store = try StateStore(directory: StateDirectory(path: TestPaths.scratch("inv") + "/state"))
        let engine = Engine(store: store, plan: catalog.plan, session: try store.createSession(named: "s"))
        try engine.setAnswers([
            Answer(key: "atmosphere.checkout", value: .text(tree + "/atmosphere"), source: .typed),
            Answer(key: "atmosphere.venv", value: .text(tree + "/env/atmo"), source: .typed),
            Answer(key: "atmosphere.ansible_checkout", value: .text(tree + "/atmosphere-ansible"), source: .typed),
            Answer(key: "inventory.group", value: .text("atmosphere-lab"), source: .typed),
            Answer(key: "inventory.hosts", value: .list(["203.0.113.10-203.0.113.50"]), source: .typed),
            Answer(key: "provider.hostname_format", value: .text("vm%(four)s.lab.example.org"), source: .typed),
            Answer(key: "inventory.consent", value: .bool(consent), source: .typed),
        ])
        return (engine, catalog, tree)
    }

    func testAnActionIsPreviewedAndDoneOnlyWithConsent() async throws {
        let (engine, catalog, tree) = try inventoryEngine(consent: false)
        let hosts = tree + "/atmosphere-ansible/ansible/inventory/hosts"
        try FileManager.default.createDirectory(atPath: tree + "/atmosphere-ansible/ansible/inventory", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: hosts, contents: Data("# ours\n[atmosphere:children]\natmosphere-old\n".utf8))
        let screen = try XCTUnwrap(catalog.screen("inventory"))
        guard case let .needsConsent(plan) = try await StepExecution.execute(screen, engine: engine, catalog: catalog) else {
            return XCTFail("a change needs a yes first")
        }
        XCTAssertEqual(plan.files.map(\.path), [hosts, tree + "/atmosphere-ansible/ansible/inventory/group_vars/atmosphere-lab"])
        XCTAssertTrue(plan.previewLines.contains("+ atmosphere-lab"))
        XCTAssertTrue(plan.previewLines.contains("+ vm[10:50].lab.example.org ansible_port=22"), "\(plan.previewLines)")
        XCTAssertEqual(try String(contentsOfFile: hosts, encoding: .utf8), "# ours\n[atmosphere:children]\natmosphere-old\n", "nothing written yet")
        XCTAssertTrue(try engine.store.attempts(session: engine.session.id ?? 0).isEmpty)

        let stop = try await UnattendedApply(engine: engine, catalog: catalog).run { _ in }
        guard case let .needsConsent(step, key, preview) = stop else { return XCTFail("\(stop)") }
        XCTAssertEqual(step, "inventory")
        XCTAssertEqual(key, "inventory.consent")
        XCTAssertEqual(preview, plan.previewLines)

        try engine.setAnswers([Answer(key: "inventory.consent", value: .bool(true), source: .answersFile)])
        let completed = try await UnattendedApply(engine: engine, catalog: catalog).run { _ in }
        XCTAssertEqual(completed, .completed)
        XCTAssertEqual(
            try String(contentsOfFile: hosts, encoding: .utf8),
            "# ours\n[atmosphere:children]\natmosphere-old\natmosphere-lab\n\n[atmosphere-lab]\nvm[10:50].lab.example.org ansible_port=22\n")
        XCTAssertEqual(try engine.store.artifacts(session: engine.session.id ?? 0).count, 2)
        XCTAssertEqual(try engine.states().first?.status, .passed)
        let backups = try FileManager.default.contentsOfDirectory(atPath: tree + "/atmosphere-ansible/ansible/inventory").filter {
            $0.hasSuffix(".bak")
        }
        XCTAssertEqual(backups.count, 1)

        // Nothing left to change: it runs without asking, and writes nothing.
        try engine.setAnswers([Answer(key: "inventory.consent", value: .bool(false), source: .typed)])
        guard case let .finished(result) = try await StepExecution.execute(screen, engine: engine, catalog: catalog) else {
            return XCTFail("no change, no question")
        }
        XCTAssertEqual(result.findings.map(\.observed), ["already as it should be", "already as it should be"])
    }
}

extension UnattendedApplyTests {
    /// A run cut off while it acted (no outcome, its process gone) is read again before anything is planned: the
    /// preview says that what it shows is what still differs, and only that is done.
    func testACutOffRunIsReadAgainAndItsPreviewSaysSo() async throws {
        let (engine, catalog, tree) = try inventoryEngine(consent: false)
        let screen = try XCTUnwrap(catalog.screen("inventory"))
        let clean = try await StepExecution.execute(screen, engine: engine, catalog: catalog)
        guard case let .needsConsent(fresh) = clean else { return XCTFail("\(clean)") }
        XCTAssertFalse(fresh.summary.contains(StepExecution.cutOffNote), "a first run is no resumption")

        // The run began (committed `running`) and its process died before the outcome.
        let step = try catalog.plan.step("inventory")
        _ = try engine.store.beginAttempt(
            session: engine.session.id ?? 0, step: "inventory", inputHash: catalog.plan.inputHash(of: step, answers: try engine.answerValues()))
        XCTAssertEqual(try engine.states().first?.needsReobservation, true)
        // It had written the hosts file already; only group_vars is left.
        let inventory = tree + "/atmosphere-ansible/ansible/inventory"
        try FileManager.default.createDirectory(atPath: inventory, withIntermediateDirectories: true)
        let hosts = fresh.files[0].path
        XCTAssertEqual(hosts, inventory + "/hosts")
        try Data(fresh.files[0].new.utf8).write(to: URL(fileURLWithPath: hosts))

        let resumed = try await StepExecution.execute(screen, engine: engine, catalog: catalog)
        guard case let .needsConsent(plan) = resumed else { return XCTFail("\(resumed)") }
        XCTAssertEqual(plan.summary.last, StepExecution.cutOffNote)
        XCTAssertEqual(plan.files.filter(\.changes).map(\.path), [inventory + "/group_vars/atmosphere-lab"], "only what is left")
        guard case let .finished(result) = try await StepExecution.execute(screen, engine: engine, catalog: catalog, consent: true) else {
            return XCTFail("with consent it runs")
        }
        XCTAssertEqual(result.outcome, .passed, result.message)
        XCTAssertEqual(try engine.states().first?.needsReobservation, false)
    }
}

extension UnattendedApplyTests {
    /// The smoke test's numbers come from the answers, where the screen's defaults are: a screen without one makes the
    /// step fail naming the key, before anything is created, instead of a number written again in Swift.
    func testTheSmokeTestTakesItsNumbersFromTheAnswersOnly() async throws {
        func catalog(timeoutDefault: String) throws -> WizardCatalog {
            let screen = """
                id: exercise-cloud
                title: Exercise
                required: false
                text: t
                inputs:
                  - {key: smoke.timeout_seconds, label: T, type: number, \(timeoutDefault)help: h}
                  - {key: smoke.ssh_port, label: P, type: number, default: 2222, help: h}
                  - {key: smoke.consent, label: Yes, type: bool, default: false, help: h}
                actions: [cloud.smoke-test]

                """
            let registry = CapabilityRegistry([Capability(id: "cloud.smoke-test", kind: .action, title: "smoke", availability: .available)])
            return try WizardCatalog(screens: try ScreenLoader.load(files: [(name: "s.yaml", text: screen)]), registry: registry)
        }
        for (timeoutDefault, expectsPlan) in [("", false), ("default: 45, ", true)] {
            let catalog = try catalog(timeoutDefault: timeoutDefault)
            let store = try StateStore(directory: StateDirectory(path: TestPaths.scratch("smoke") + "/state"))
            let engine = Engine(store: store, plan: catalog.plan, session: try store.createSession(named: "s"))
            let screen = try XCTUnwrap(catalog.screen("exercise-cloud"))
            let outcome = try await StepExecution.execute(screen, engine: engine, catalog: catalog)
            if expectsPlan {
                guard case let .needsConsent(plan) = outcome else { return XCTFail("\(outcome)") }
                XCTAssertTrue(plan.summary.contains { $0.contains("up to 45 s") }, "\(plan.summary)")
                XCTAssertTrue(plan.changes.contains { $0.contains("TCP 2222 answers") }, "\(plan.changes)")
            } else {
                guard case let .finished(result) = outcome else { return XCTFail("\(outcome)") }
                XCTAssertEqual(result.outcome, .failed)
                XCTAssertEqual(result.findings.map(\.target), ["smoke.timeout_seconds"])
                XCTAssertEqual(result.findings.first?.observed, "has no number among the answers, so nothing was created")
                XCTAssertTrue(try engine.store.events(session: engine.session.id ?? 0, kind: .cloudCreated, step: "exercise-cloud").isEmpty)
            }
        }
    }
}
