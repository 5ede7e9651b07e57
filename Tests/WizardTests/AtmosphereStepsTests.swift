import Foundation
import StepEngine
import TestSupport
import Wizard
import XCTest

/// The provider and accounts steps through the real catalog and engine, on Atmosphere trees of both generations.
final class AtmosphereStepsTests: XCTestCase {
    func testProviderThenAccountsOnBothGenerations() async throws {
        for old in [false, true] {
            let tree = try AtmosphereTree.make(old: old)
            let catalog = try WizardCatalog.load()
            let store = try StateStore(directory: StateDirectory(path: TestPaths.scratch("steps") + "/state"))
            let engine = Engine(store: store, plan: catalog.plan, session: try store.createSession(named: "lab"))
            let answers = """
                session.name: lab
                atmosphere.checkout: \(tree)/atmosphere
                atmosphere.venv: \(tree)/env/atmo
                atmosphere.ansible_checkout: \(tree)/atmosphere-ansible
                credential.auth_url: https://cloud.example.org:5000
                credential.admin_url: https://cloud.example.org:5000
                provider.public_routers: [public_router]
                provider.json_path: \(tree)/provider.json
                accounts.users: [cmart]
                staff.users: [cmart, nobody]
                final.report_path: \(tree)/report.md

                """
            let file = try AnswersFile.parse(answers, path: "a.yaml", inputs: catalog.plan.inputs, fileIsPrivate: false)
            let resolution = try AnswerResolution.resolve(catalog: catalog, file: file, stored: [:])
            for (key, secret) in resolution.secrets { try engine.setSecret(secret, for: key) }
            try engine.setAnswers(resolution.toStore)
            let password = try XCTUnwrap(engine.secret(for: "atmoadmin.password")).reveal()
            let providerSecret = try XCTUnwrap(engine.secret(for: "provider.secret")).reveal()

            let provider = try XCTUnwrap(catalog.screen("provider"))
            guard case let .needsConsent(plan) = try await StepExecution.execute(provider, engine: engine, catalog: catalog) else {
                return XCTFail("adding a provider needs a yes")
            }
            let preview = plan.previewLines.joined(separator: "\n")
            XCTAssertTrue(preview.contains("add_new_provider.py --from-json \(tree)/provider.json"), preview)
            XCTAssertTrue(preview.contains("\"region_name\" : \"RegionOne\""), preview)
            XCTAssertFalse(preview.contains(password) || preview.contains(providerSecret), "the preview masks the secrets")
            XCTAssertFalse(FileManager.default.fileExists(atPath: tree + "/provider.json"), "nothing written before the yes")

            guard case let .finished(result) = try await StepExecution.execute(provider, engine: engine, catalog: catalog, consent: true) else {
                return XCTFail("with consent the step runs")
            }
            XCTAssertEqual(result.outcome, .passed, "\(result.findings)")
            XCTAssertTrue(result.findings.contains { $0.observed == "created: <Identity: atmoadmin - lab>" })
            XCTAssertTrue(result.findings.contains { $0.observed == "provider id 4" })
            XCTAssertFalse(FileManager.default.fileExists(atPath: tree + "/provider.json"), "deleted: it held the admin password")
            XCTAssertEqual(try engine.answerValues()["provider.id"], .integer(4))

            guard case let .finished(again) = try await StepExecution.execute(provider, engine: engine, catalog: catalog) else {
                return XCTFail("nothing to change, nothing to ask")
            }
            XCTAssertEqual(again.findings.map(\.observed).last, "exists already (id 4)")

            let accounts = try XCTUnwrap(catalog.screen("accounts"))
            guard case let .needsConsent(accountsPlan) = try await StepExecution.execute(accounts, engine: engine, catalog: catalog) else {
                return XCTFail("running a script needs a yes")
            }
            XCTAssertTrue(accountsPlan.commands.first?.hasSuffix("scripts/add_new_accounts.py --provider 4 --users cmart") ?? false, "\(accountsPlan.commands)")
            guard case let .finished(added) = try await StepExecution.execute(accounts, engine: engine, catalog: catalog, consent: true) else {
                return XCTFail("with consent it runs")
            }
            XCTAssertEqual(added.outcome, .passed, "\(added.findings)")
            XCTAssertEqual(added.findings.map(\.observed), ["1 new identity on provider 4"])

            // Staff rights, allocation and the sync run in manage.py shell.
            let staff = try XCTUnwrap(catalog.screen("staff"))
            guard case .needsConsent = try await StepExecution.execute(staff, engine: engine, catalog: catalog) else { return XCTFail("staff needs a yes") }
            guard case let .finished(granted) = try await StepExecution.execute(staff, engine: engine, catalog: catalog, consent: true) else { return XCTFail() }
            XCTAssertEqual(granted.findings.map(\.severity), [.ok, .failure, .info], "\(granted.findings)")
            XCTAssertEqual(granted.findings[1].target, "nobody")
            let allocation = try XCTUnwrap(catalog.screen("allocation"))
            if old {
                guard case .needsConsent = try await StepExecution.execute(allocation, engine: engine, catalog: catalog) else { return XCTFail() }
                guard case let .finished(made) = try await StepExecution.execute(allocation, engine: engine, catalog: catalog, consent: true) else { return XCTFail() }
                XCTAssertEqual(made.findings.first?.observed,
                               "allocation strategy created; behaviours created: 1 Month - Calendar Window, First of the Month, Ignore non-active status, Multiply by Size CPU")
            } else {
                guard case let .finished(checked) = try await StepExecution.execute(allocation, engine: engine, catalog: catalog) else {
                    return XCTFail("a check needs no yes")
                }
                XCTAssertEqual(checked.findings.first?.observed, "cyverse_allocation.plugins.allocation_source.FlexibleAllocationSourcePlugin")
            }
            let sync = try XCTUnwrap(catalog.screen("sync"))
            guard case let .finished(synced) = try await StepExecution.execute(sync, engine: engine, catalog: catalog, consent: true) else { return XCTFail() }
            XCTAssertEqual(synced.findings.first?.observed, old ? "imported 1 size(s), 1 image(s)" : "imported 1 size(s), 1 image(s), 0 instance(s)")

            let final = try XCTUnwrap(catalog.screen("final"))
            guard case let .finished(finished) = try await StepExecution.execute(final, engine: engine, catalog: catalog) else {
                return XCTFail("writing the report needs no yes")
            }
            XCTAssertEqual(finished.outcome, .warned, "no API given: not verified, said so")
            XCTAssertEqual(finished.findings.map(\.checkID), ["atmosphere.api-verify", "report.write"])
            let report = try String(contentsOfFile: tree + "/report.md", encoding: .utf8)
            XCTAssertTrue(report.contains("# atmo-connect report: lab"))
            XCTAssertTrue(report.contains("| Add the provider to Atmosphere | yes | stale |"), "it passed, but upstream steps never did: \(report)")
            XCTAssertTrue(report.contains("`atmosphere.add-provider` lab: exists already (id 4)"), report)
            XCTAssertFalse(report.contains(password) || report.contains(providerSecret))
            XCTAssertTrue(report.contains("(provider): `add_new_provider.py --from-json \(tree)/provider.json: status 0`"), report)
            XCTAssertTrue(report.contains("(staff): `manage.py shell: status 0`"), report)
            XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: tree + "/report.md")[.posixPermissions] as? Int, 0o600)

            let database = TestPaths.bytes(ofDatabase: store.directory.databasePath)
            XCTAssertNil(database.range(of: Data(password.utf8)), "old=\(old)")
            XCTAssertNil(database.range(of: Data(providerSecret.utf8)), "old=\(old)")
            XCTAssertTrue(try store.events(session: engine.session.id).contains { $0.kind == "command-run" && $0.detail.contains("2. Admin Information") })
        }
    }
}
