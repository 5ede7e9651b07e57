import Foundation
import StepEngine
import TestSupport
import Wizard
import XCTest

final class UnattendedApplyTests: XCTestCase {
    let screens = [
        (name: "1.yaml", text: "id: first\ntitle: First\nrequired: true\ntext: t\ninputs:\n  - {key: first.name, label: Name, type: text, help: h}\n"),
        (name: "2.yaml", text: "id: second\ntitle: Second\nrequired: true\ntext: t\ninputs:\n  - {key: second.pw, label: Password, type: secret, help: h}\ndepends_on: [first]\n"),
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
        XCTAssertEqual(second, .notAvailable(step: "third", capabilities: ["later.check"],
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
}
