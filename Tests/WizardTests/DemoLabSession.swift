import DemoCloud
import Foundation
import StepEngine
import TestSupport
import Wizard
import XCTest

/// A demo cloud on loopback and a session whose answers point at it, opened as the operator's binary opens one.
struct DemoLabSession {
    let cloud: DemoCloud
    let catalog: WizardCatalog
    let store: StateStore
    let engine: Engine

    /// Starts the cloud (with `scenario`, YAML) and opens a session with the lab's answers and `extra` answer lines.
    init(_ label: String, scenario: String = "name: clean\n", extra: String = "") throws {
        let password = "\(label)-" + UUID().uuidString
        let variable = "LAB_PASSWORD_\(label.uppercased().replacingOccurrences(of: "-", with: "_"))"
        cloud = try DemoCloud(
            directory: TestPaths.scratch("\(label)-cloud"), adminPassword: password,
            scenario: try DemoScenario.parse(scenario, source: label))
        setenv(variable, password, 1)
        catalog = try WizardCatalog.load()
        store = try StateStore(directory: StateDirectory(path: TestPaths.scratch(label) + "/state"))
        let file = try AnswersFile.parse(
            "session.name: lab\n" + LabAnswers.cloud(cloud, passwordVariable: variable) + extra,
            path: "a.yaml", inputs: catalog.plan.inputs, fileIsPrivate: false)
        engine = try OpenedSession(try store.createSession(named: "lab"), store: store, catalog: catalog, file: file, event: .answersApplied).engine
    }
}

extension XCTestCase {
    /// Runs `step` of `catalog` with the operator's yes and returns how it finished (a step that stops to ask, or to
    /// wait for the Atmosphere server, fails the test).
    func finished(_ step: String, engine: Engine, catalog: WizardCatalog) async throws -> StepResult {
        let screen = try XCTUnwrap(catalog.screen(step))
        guard case let .finished(result) = try await StepExecution.execute(screen, engine: engine, catalog: catalog, consent: true) else {
            XCTFail("\(step) runs to its end")
            throw XCTSkip()
        }
        return result
    }
}
