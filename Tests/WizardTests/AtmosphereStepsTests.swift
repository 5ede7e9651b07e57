import DemoCloud
import Foundation
import StepEngine
import TestSupport
import Wizard
import XCTest

/// The Atmosphere steps through the real catalog and engine, on installs that run upstream's own scripts of each
/// generation, against the demo cloud (whose admin stands in for atmoadmin).
final class AtmosphereStepsTests: XCTestCase {
    func testProviderThenAccountsOnEveryGeneration() async throws {
        for generation in AtmosphereSandbox.Generation.allCases {
            let old = generation == .guide
            let password = "steps-" + UUID().uuidString
            let cloud = try DemoCloud(directory: TestPaths.scratch("steps-cloud"), adminPassword: password)
            defer { cloud.shutdown() }
            setenv("STEPS_LAB_PASSWORD", password, 1)
            let tree = try AtmosphereTree.make(generation, cloud: cloud, users: ["cmart"])
            let catalog = try WizardCatalog.load()
            let store = try StateStore(directory: StateDirectory(path: TestPaths.scratch("steps") + "/state"))
            let engine = Engine(store: store, plan: catalog.plan, session: try store.createSession(named: "lab"))
            let answers = """
                session.name: lab
                \(LabAnswers.atmosphere(tree))\(LabAnswers.cloud(cloud, passwordVariable: "STEPS_LAB_PASSWORD"))provider.public_routers: [public_router]
                provider.json_path: \(tree)/provider.json
                accounts.users: [cmart, cmart, CMART]
                staff.users: [cmart, nobody]
                final.report_path: \(tree)/report.md

                """
            let file = try AnswersFile.parse(answers, path: "a.yaml", inputs: catalog.plan.inputs, fileIsPrivate: false)
            let resolution = try AnswerResolution.resolve(catalog: catalog, file: file, stored: [:])
            for (key, secret) in resolution.secrets { try engine.setSecret(secret, for: key) }
            try engine.setAnswers(resolution.toStore)
            let providerSecret = try XCTUnwrap(engine.secret(for: "provider.secret")).reveal()

            let provider = try XCTUnwrap(catalog.screen("provider"))
            guard case let .needsConsent(plan) = try await StepExecution.execute(provider, engine: engine, catalog: catalog) else {
                return XCTFail("adding a provider needs a yes")
            }
            let preview = plan.previewLines.joined(separator: "\n")
            // A name of this run's own beside the answer's path: no other run writes or removes it.
            XCTAssertTrue(preview.contains("add_new_provider.py --from-json \(tree)/provider-\(getpid()).json"), preview)
            XCTAssertTrue(preview.contains("\"region_name\" : \"RegionOne\""), preview)
            XCTAssertFalse(preview.contains(password) || preview.contains(providerSecret), "the preview masks the secrets")
            XCTAssertEqual(providerJSONs(near: tree + "/provider.json"), [], "nothing written before the yes")

            guard case let .finished(result) = try await StepExecution.execute(provider, engine: engine, catalog: catalog, consent: true) else {
                return XCTFail("with consent the step runs")
            }
            XCTAssertEqual(result.outcome, .passed, "\(result.findings)")
            XCTAssertTrue(result.findings.contains { $0.checkID == "keystone.atmoadmin-login" && $0.severity == .ok }, "the password is proven first")
            XCTAssertTrue(
                result.findings.contains { $0.checkID == "atmosphere.add-provider" && $0.observed.hasPrefix("reached from the Atmosphere server") })
            XCTAssertTrue(result.findings.contains { $0.observed == "provider id 1, admin identity admin" }, "\(result.findings)")
            XCTAssertEqual(providerJSONs(near: tree + "/provider.json"), [], "deleted: it held the admin password")
            XCTAssertEqual(try engine.answerValues()["provider.id"], .integer(1))

            let before = try AtmosphereTree.snapshot(tree)
            guard case let .finished(again) = try await StepExecution.execute(provider, engine: engine, catalog: catalog) else {
                return XCTFail("nothing to change, nothing to ask")
            }
            XCTAssertTrue(again.findings.map(\.observed).last?.hasPrefix("exists already (id 1) and is this cloud's") ?? false, "\(again.findings)")
            XCTAssertEqual(try AtmosphereTree.snapshot(tree), before, "\(generation): the second run changes nothing")

            let accounts = try XCTUnwrap(catalog.screen("accounts"))
            guard case let .needsConsent(accountsPlan) = try await StepExecution.execute(accounts, engine: engine, catalog: catalog) else {
                return XCTFail("running a script needs a yes")
            }
            XCTAssertTrue(
                accountsPlan.commands.first?.hasSuffix("scripts/add_new_accounts.py --provider 1 --users cmart") ?? false, "\(accountsPlan.commands)")
            guard case let .finished(added) = try await StepExecution.execute(accounts, engine: engine, catalog: catalog, consent: true) else {
                return XCTFail("with consent it runs")
            }
            XCTAssertEqual(added.outcome, .passed, "\(added.findings)")
            XCTAssertEqual(added.findings.map(\.observed), ["has an identity on provider 1"])
            guard case let .finished(accountsAgain) = try await StepExecution.execute(accounts, engine: engine, catalog: catalog) else {
                return XCTFail("everyone has an identity: nothing to ask")
            }
            XCTAssertEqual(accountsAgain.findings.map(\.observed), ["has an identity on provider 1 already"])

            // Staff rights, allocation and the sync run in manage.py shell.
            let staff = try XCTUnwrap(catalog.screen("staff"))
            guard case .needsConsent = try await StepExecution.execute(staff, engine: engine, catalog: catalog) else {
                return XCTFail("staff needs a yes")
            }
            guard case let .finished(granted) = try await StepExecution.execute(staff, engine: engine, catalog: catalog, consent: true) else {
                return XCTFail()
            }
            XCTAssertEqual(granted.findings.map(\.severity), [.ok, .failure, .info], "\(granted.findings)")
            XCTAssertEqual(granted.findings[1].target, "nobody")
            let allocation = try XCTUnwrap(catalog.screen("allocation"))
            if generation != .final {
                guard case .needsConsent = try await StepExecution.execute(allocation, engine: engine, catalog: catalog) else { return XCTFail() }
                guard case let .finished(made) = try await StepExecution.execute(allocation, engine: engine, catalog: catalog, consent: true) else {
                    return XCTFail()
                }
                // The guide's migrations seeded the behaviours; the window's squashed ones did not.
                XCTAssertEqual(
                    made.findings.first?.observed,
                    old
                        ? "allocation strategy created"
                        : "allocation strategy created; behaviours created: 1 Month - Calendar Window, First of the Month, Ignore non-active status, Multiply by Size CPU"
                )
            } else {
                guard case let .finished(checked) = try await StepExecution.execute(allocation, engine: engine, catalog: catalog) else {
                    return XCTFail("a check needs no yes")
                }
                XCTAssertEqual(checked.findings.first?.observed, "cyverse_allocation.plugins.allocation_source.FlexibleAllocationSourcePlugin")
            }
            let sync = try XCTUnwrap(catalog.screen("sync"))
            guard case let .finished(synced) = try await StepExecution.execute(sync, engine: engine, catalog: catalog, consent: true) else {
                return XCTFail()
            }
            XCTAssertEqual(synced.findings.first?.observed, "imported 2 size(s), 1 image(s), 0 volume(s)", "\(synced.findings)")

            let final = try XCTUnwrap(catalog.screen("final"))
            guard case let .finished(finished) = try await StepExecution.execute(final, engine: engine, catalog: catalog) else {
                return XCTFail("writing the report needs no yes")
            }
            XCTAssertEqual(finished.outcome, .warned, "no API given: not verified, said so")
            XCTAssertEqual(finished.findings.map(\.checkID), ["atmosphere.api-verify", "report.write"])
            let report = try String(contentsOfFile: tree + "/report.md", encoding: .utf8)
            XCTAssertTrue(report.contains("# atmo-connect report: lab"))
            XCTAssertTrue(report.contains("| Add the provider to Atmosphere | yes | stale |"), "it passed, but upstream steps never did: \(report)")
            XCTAssertTrue(report.contains("`atmosphere.add-provider` lab: exists already (id 1)"), report)
            XCTAssertFalse(report.contains(password) || report.contains(providerSecret))
            XCTAssertTrue(report.contains("(provider): `add_new_provider.py --from-json \(tree)/provider-\(getpid()).json: status 0`"), report)
            XCTAssertTrue(report.contains("(staff): `manage.py shell: status 0`"), report)
            XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: tree + "/report.md")[.posixPermissions] as? Int, 0o600)

            let database = TestPaths.bytes(ofDatabase: store.directory.databasePath)
            XCTAssertNil(database.range(of: Data(password.utf8)), "\(generation)")
            XCTAssertNil(database.range(of: Data(providerSecret.utf8)), "\(generation)")
            XCTAssertTrue(
                try store.events(session: engine.session.id).contains { $0.kind == "command-run" && $0.detail.contains("2. Admin Information") })
        }
    }
}
