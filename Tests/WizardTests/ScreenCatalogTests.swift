import Foundation
import StepEngine
import TestSupport
import Wizard
import XCTest

final class ScreenCatalogTests: XCTestCase {
    func testBuiltInScreensFollowTheGuide() throws {
        let catalog = try WizardCatalog.load()
        XCTAssertEqual(
            catalog.screens.map(\.id),
            [
                "welcome", "prerequisites", "exercise-cloud", "dns", "tls", "openstack-config",
                "atmoadmin", "credentials", "provider", "accounts", "staff", "allocation",
                "sync", "inventory", "final",
            ])
        let required = catalog.screens.filter(\.required).map(\.id)
        XCTAssertEqual(
            required,
            [
                "welcome", "prerequisites", "openstack-config", "atmoadmin", "credentials", "provider",
                "accounts", "allocation", "sync", "inventory",
            ])
        for screen in catalog.screens {
            XCTAssertFalse(screen.text.isEmpty, screen.id)
            for input in screen.inputs { XCTAssertFalse(input.help.isEmpty, input.key) }
        }
    }

    func testEmbeddedScreensMatchTheFilesOnDisk() throws {
        let embedded = try ScreenLoader.embedded()
        let onDisk = try ScreenLoader.load(directory: TestPaths.repository + "/screens")
        XCTAssertEqual(embedded.map(\.id), onDisk.map(\.id))
        XCTAssertEqual(embedded.map(\.inputs), onDisk.map(\.inputs))
        XCTAssertEqual(embedded.map(\.text), onDisk.map(\.text))
    }

    func testEveryNamedIDIsRegisteredAndEveryRegisteredIDIsUsed() throws {
        let catalog = try WizardCatalog.load()
        XCTAssertEqual(catalog.unusedCapabilityIDs, [], "registered but used by no screen")
        XCTAssertEqual(catalog.registry.duplicateIDs, [])
        for id in catalog.screens.flatMap(\.capabilityIDs) { XCTAssertNotNil(catalog.registry[id], id) }
    }

    /// Each capability's `Inputs` names the answers it reads, once: every one of them is an input of some screen (a
    /// renamed or removed input would otherwise be read as "no answer" and fall back silently).
    func testEveryAnswerACapabilityReadsIsAScreensInput() throws {
        let catalog = try WizardCatalog.load()
        let defaults = Dictionary(uniqueKeysWithValues: catalog.plan.inputs.compactMap { input in input.staticDefault.map { (input.key, $0) } })
        var read: [String: Set<String>] = [:]
        for remote in [false, true] {
            let answers = defaults.merging(["atmosphere.remote": .bool(remote)]) { $1 }
            for (id, keys) in catalog.registry.answerKeys(over: answers) { read[id, default: []].formUnion(keys) }
        }
        for (id, keys) in read {
            for key in keys.sorted() { XCTAssertNotNil(catalog.plan.input(key), "\(id) reads \(key), which no screen asks for") }
        }
        // The declarations are what the capabilities read: a few that must be there.
        XCTAssertTrue(read["cloud.smoke-test"]?.isSuperset(of: ["smoke.timeout_seconds", "smoke.ssh_port", "smoke.reach_seconds", "cloud.password"]) ?? false)
        XCTAssertTrue(read["atmosphere.add-provider"]?.isSuperset(of: ["provider.name", "provider.secret", "atmoadmin.password", "provider.json_path"]) ?? false)
        XCTAssertEqual(read["tls.protocol"], [], "a check that reads no answers declares none")
        XCTAssertEqual(Set(read.keys), Set(catalog.registry.capabilities.keys), "every capability is decoded")
    }

    /// The wizard cancels a run past its screen's time limit: every screen that runs something has one, except the
    /// smoke test's, whose stages wait as long as the cloud takes (each up to smoke.timeout_seconds).
    func testEveryScreenThatRunsSomethingHasATimeLimitButTheSmokeTest() throws {
        let catalog = try WizardCatalog.load()
        XCTAssertEqual(catalog.screens.filter { catalog.runsWithoutLimit($0) }.map(\.id), ["exercise-cloud", "accounts"])
        for screen in catalog.screens {
            if screen.capabilityIDs.isEmpty || catalog.runsWithoutLimit(screen) {
                XCTAssertNil(screen.timeLimit, "\(screen.file): time_limit_seconds")
            } else {
                XCTAssertNotNil(screen.timeLimit, "\(screen.file): time_limit_seconds")
            }
        }
        XCTAssertEqual(catalog.screen("prerequisites")?.timeLimit, 90)
        XCTAssertThrowsError(
            try ScreenLoader.parse("id: x\ntitle: X\nrequired: false\ntext: t\ntime_limit_seconds: 0\n", path: "x.yaml")
        ) { error in
            XCTAssertTrue("\(error)".contains("time_limit_seconds"), "\(error)")
        }
    }

    func testAScreenNamingAnUnknownCheckIsRefused() throws {
        let screen = try ScreenLoader.parse("id: x\ntitle: X\nrequired: true\ntext: t\nchecks: [no.such-check]\n", path: "screens/99-x.yaml")
        XCTAssertThrowsError(try WizardCatalog(screens: [screen])) { error in
            let problem = error as? LocatedProblem
            XCTAssertEqual(problem?.path, "screens/99-x.yaml")
            XCTAssertEqual(problem?.key, "checks")
            XCTAssertTrue(problem?.problem.contains("no.such-check") ?? false)
        }
    }

    func testARegisteredIDNoScreenUsesIsReported() throws {
        let registry = CapabilityRegistry([Capability(id: "orphan.check", kind: .check, title: "t", availability: .available)])
        let screen = try ScreenLoader.parse("id: x\ntitle: X\nrequired: true\ntext: t\n", path: "x.yaml")
        XCTAssertEqual(try WizardCatalog(screens: [screen], registry: registry).unusedCapabilityIDs, ["orphan.check"])
    }

    func testLoaderErrorsNameFileLineAndKey() {
        let cases: [(String, Int?, String?, String)] = [
            ("id: x\ntitle: X\nrequired: true\ntext: t\ncolour: red\n", 5, "colour", "unknown field"),
            ("id: x\ntitle: X\nrequired: maybe\ntext: t\n", 3, "required", "true or false"),
            ("id: x\ntitle: X\nrequired: true\n", 1, "text", "is required"),
            (
                "id: x\ntitle: X\nrequired: true\ntext: t\ninputs:\n  - key: a.b\n    label: A\n    type: colour\n    help: h\n", 8, "a.b.type",
                "not an input type"
            ),
            (
                "id: x\ntitle: X\nrequired: true\ntext: t\ninputs:\n  - key: a.b\n    label: A\n    type: number\n    help: h\n    default: many\n",
                10, "a.b.default", "whole number"
            ),
            (
                "id: x\ntitle: X\nrequired: true\ntext: t\ninputs:\n  - key: a.b\n    label: A\n    type: choice\n    help: h\n", 6, "a.b.choices",
                "needs its choices"
            ),
            ("id: x\ntitle: [X\n", 3, nil, "not valid YAML"),
            (
                "id: x\ntitle: X\nrequired: true\ntext: t\ninputs:\n  - key: a.b\n    label: A\n    type: secret\n    help: h\n    default: pw\n", 10,
                "a.b.default", "no static default"
            ),
            (
                "id: x\ntitle: X\nrequired: true\ntext: t\ninputs:\n  - key: a.b\n    label: A\n    type: text\n    help: h\n    when: {key: a.c, in: [x], not_in: [y]}\n",
                10, "a.b.when.not_in", "not both"
            ),
        ]
        for (text, line, key, fragment) in cases {
            XCTAssertThrowsError(try ScreenLoader.parse(text, path: "screens/x.yaml"), fragment) { error in
                guard let problem = error as? LocatedProblem else { return XCTFail("\(error)") }
                XCTAssertEqual(problem.path, "screens/x.yaml")
                XCTAssertEqual(problem.line, line, "\(problem)")
                XCTAssertEqual(problem.key, key, "\(problem)")
                XCTAssertTrue(problem.problem.contains(fragment), "\(problem)")
            }
        }
    }

    func testCrossScreenMistakes() throws {
        let a = (name: "a.yaml", text: "id: a\ntitle: A\nrequired: true\ntext: t\ninputs:\n  - {key: a.k, label: K, type: text, help: h}\n")
        let dup = (name: "b.yaml", text: "id: b\ntitle: B\nrequired: true\ntext: t\ninputs:\n  - {key: a.k, label: K, type: text, help: h}\n")
        let later = (name: "c.yaml", text: "id: c\ntitle: C\nrequired: true\ntext: t\ndepends_on: [d]\n")
        XCTAssertThrowsError(try ScreenLoader.load(files: [a, dup])) { XCTAssertEqual(($0 as? LocatedProblem)?.key, "a.k") }
        XCTAssertThrowsError(try ScreenLoader.load(files: [a, later])) { XCTAssertEqual(($0 as? LocatedProblem)?.key, "depends_on") }
        XCTAssertThrowsError(try ScreenLoader.load(files: [a, a])) { XCTAssertEqual(($0 as? LocatedProblem)?.key, "id") }
    }

    func testDerivationsAndGenerators() throws {
        let catalog = try WizardCatalog.load()
        let resolution = try AnswerResolution.resolve(
            catalog: catalog,
            file: try AnswersFile.parse(
                "session.name: lab\ndns.hostname_format: \"host-%(four)s.lab.org\"\n", path: "a.yaml",
                inputs: catalog.plan.inputs, fileIsPrivate: false), stored: [:])
        XCTAssertEqual(resolution.values["provider.name"], .text("lab"))
        XCTAssertEqual(resolution.values["inventory.group"], .text("atmosphere-lab"))
        XCTAssertEqual(resolution.values["provider.hostname_format"], .text("host-%(four)s.lab.org"))
        let placeholder = try AnswerResolution.resolve(
            catalog: catalog,
            file: try AnswersFile.parse(
                "session.name: lab\ndns.hostname_format: \"vm%(three)s-%(four)s.cloud.example.org\"\n", path: "a.yaml",
                inputs: catalog.plan.inputs, fileIsPrivate: false), stored: [:])
        XCTAssertEqual(
            placeholder.values["provider.hostname_format"], .text("%(one)s.%(two)s.%(three)s.%(four)s"),
            "a placeholder domain never reaches the provider: Atmosphere's own default (names by IP) instead")
        XCTAssertEqual(resolution.toStore.first { $0.key == "provider.name" }?.source, .derived)
        let secret = try XCTUnwrap(resolution.secrets["provider.secret"])
        XCTAssertGreaterThanOrEqual(secret.count, 32)
        XCTAssertNotEqual(secret.reveal(), try XCTUnwrap(resolution.secrets["atmoadmin.password"]).reveal())
        XCTAssertNil(resolution.toStore.first { $0.key == "provider.secret" }, "a secret is never among the answers to store")
    }

    /// TLS and the OpenStack configuration fix what the prerequisites find: they run despite failed prerequisites, as
    /// the embedded screens say too; every other step waits for a pass.
    func testOnlyTheStepsThatFixWhatThePrerequisitesFindRunDespiteThem() throws {
        let catalog = try WizardCatalog.load()
        XCTAssertEqual(catalog.screens.filter { !$0.runsDespite.isEmpty }.map(\.id), ["tls", "openstack-config"])
        XCTAssertEqual(Set(catalog.screens.flatMap(\.runsDespite)), ["prerequisites"])
        XCTAssertEqual(catalog.plan.steps.first { $0.id == "tls" }?.runsDespite, ["prerequisites"])
        XCTAssertThrowsError(try ScreenLoader.parse("id: x\ntitle: X\nrequired: false\ntext: t\nruns_despite: [welcome]\n", path: "x.yaml")) {
            XCTAssertTrue("\($0)".contains("welcome is not in depends_on"), "\($0)")
        }
    }
}
