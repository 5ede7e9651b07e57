import DemoCloud
import Foundation
import StepEngine
import TestSupport
import Wizard
import XCTest

/// The demo cloud, an Atmosphere install of one generation that runs upstream's scripts against it, and a session whose
/// answers point at both (the cloud's admin stands in for atmoadmin), with the provider JSON beside the install.
struct AtmosphereLabSession {
    let cloud: DemoCloud
    let tree: String
    let engine: Engine
    let catalog: WizardCatalog
    /// The answer's provider JSON path.
    var json: String { tree + "/provider.json" }

    /// Starts the cloud and builds the install (trusting the cloud's CA unless `trustsCloud` is false; `users` have
    /// logged in once), then opens session "lab" with the lab's answers and the `extra` answer lines.
    init(_ label: String, generation: AtmosphereSandbox.Generation, trustsCloud: Bool = true, users: [String] = [], extra: String = "") throws {
        let password = "\(label)-" + UUID().uuidString
        let variable = "LAB_PASSWORD_\(label.uppercased().replacingOccurrences(of: "-", with: "_"))"
        cloud = try DemoCloud(directory: TestPaths.scratch("\(label)-cloud"), adminPassword: password)
        setenv(variable, password, 1)
        tree = try AtmosphereTree.make(generation, cloud: cloud, trustsCloud: trustsCloud, users: users)
        catalog = try WizardCatalog.load()
        let store = try StateStore(directory: StateDirectory(path: TestPaths.scratch(label) + "/state"))
        engine = Engine(store: store, plan: catalog.plan, session: try store.createSession(named: "lab"))
        let answers = """
            session.name: lab
            \(LabAnswers.atmosphere(tree))\(LabAnswers.cloud(cloud, passwordVariable: variable))provider.public_routers: [public_router]
            provider.json_path: \(tree)/provider.json
            \(extra)

            """
        let file = try AnswersFile.parse(answers, path: "a.yaml", inputs: catalog.plan.inputs, fileIsPrivate: false)
        let resolution = try AnswerResolution.resolve(catalog: catalog, file: file, stored: [:])
        for (key, secret) in resolution.secrets { try engine.setSecret(secret, for: key) }
        try engine.setAnswers(resolution.toStore)
    }
}
