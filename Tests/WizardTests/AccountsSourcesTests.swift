import DemoCloud
import Foundation
import StepEngine
import TestSupport
import Wizard
import XCTest

/// Where the accounts step takes its users from (typed, a file, an LDAP group) and --rebuild, through upstream's
/// add_new_accounts.py. The stand-in's directory answers as an LDAP server would, and its get_members answers an
/// error or an unknown group with an empty list, as upstream's.
final class AccountsSourcesTests: XCTestCase {
    /// A provider added on `generation`, with `accounts` as the accounts step's answers.
    func makeLab(_ generation: AtmosphereSandbox.Generation, accounts: String) async throws -> AtmosphereLabSession {
        let lab = try AtmosphereLabSession("sources", generation: generation, extra: accounts)
        let provider = try await finished("provider", engine: lab.engine, catalog: lab.catalog)
        XCTAssertEqual(provider.outcome, .passed, "\(provider.findings)")
        return lab
    }

    /// Who has an identity in Atmosphere's database.
    func usersWithIdentities(_ tree: String) throws -> Set<String> {
        let names = Dictionary(
            try AtmosphereTree.rows(tree, model: "AtmosphereUser").compactMap { row in (row["id"] as? Int).map { ($0, row["username"] as? String ?? "") } },
            uniquingKeysWith: { first, _ in first })
        return Set(try AtmosphereTree.rows(tree, model: "Identity").compactMap { ($0["created_by_id"] as? Int).flatMap { names[$0] } })
    }

    func testAGroupsMembersGetIdentitiesAndAnEmptyAnswerIsAWarningNotASuccess() async throws {
        let lab = try await makeLab(.final, accounts: "accounts.group: campus")
        defer { lab.cloud.shutdown() }
        // The stand-in's LDAP directory: the campus group has two members.
        try #"{"campus": ["ann", "bob"]}"#.write(toFile: lab.tree + "/atmosphere/ldap-directory.json", atomically: true, encoding: .utf8)
        let accounts = try XCTUnwrap(lab.catalog.screen("accounts"))
        guard case let .needsConsent(plan) = try await StepExecution.execute(accounts, engine: lab.engine, catalog: lab.catalog) else {
            return XCTFail("running the script needs a yes")
        }
        XCTAssertTrue(plan.commands.first?.hasSuffix("add_new_accounts.py --provider 1 --group campus") ?? false, "\(plan.commands)")
        XCTAssertTrue(plan.summary.joined().contains("LDAP group campus"), "\(plan.summary)")
        let added = try await finished("accounts", engine: lab.engine, catalog: lab.catalog)
        XCTAssertEqual(added.outcome, .passed, "\(added.findings)")
        XCTAssertTrue(added.findings.contains { $0.target == "group campus" && $0.severity == .ok && $0.observed.hasPrefix("2 of its members") }, "\(added.findings)")
        XCTAssertTrue(try usersWithIdentities(lab.tree).isSuperset(of: ["ann", "bob"]))

        // An unknown group, then no LDAP server at all: upstream answers both with no members; never "ok".
        for (group, directory) in [("nobody", true), ("campus", false)] {
            if !directory { try FileManager.default.removeItem(atPath: lab.tree + "/atmosphere/ldap-directory.json") }
            try lab.engine.setAnswers([Answer(key: "accounts.group", value: .text(group), source: .typed)])
            let before = try AtmosphereTree.snapshot(lab.tree)
            let result = try await finished("accounts", engine: lab.engine, catalog: lab.catalog)
            XCTAssertEqual(result.outcome, .warned, "\(group): \(result.findings)")
            let warning = try XCTUnwrap(result.findings.first { $0.severity == .warning }, "\(result.findings)")
            XCTAssertEqual(warning.target, "group \(group)")
            XCTAssertTrue(warning.observed.contains("could not reach its LDAP server"), warning.observed)
            XCTAssertTrue(warning.remedy.contains("logs/atmosphere.log") && warning.remedy.contains("accounts.users_file"), warning.remedy)
            XCTAssertEqual(try AtmosphereTree.snapshot(lab.tree), before, "\(group): nothing changed")
        }
    }

    /// --rebuild makes a user's account again, as upstream's script does (force): the user keeps one identity.
    func testRebuildMakesTheAccountAgainWithoutASecondIdentity() async throws {
        let lab = try await makeLab(.final, accounts: "accounts.users: [ann]")
        defer { lab.cloud.shutdown() }
        let first = try await finished("accounts", engine: lab.engine, catalog: lab.catalog)
        XCTAssertEqual(first.outcome, .passed, "\(first.findings)")
        try lab.engine.setAnswers([Answer(key: "accounts.rebuild", value: .bool(true), source: .typed)])
        let accounts = try XCTUnwrap(lab.catalog.screen("accounts"))
        guard case let .needsConsent(plan) = try await StepExecution.execute(accounts, engine: lab.engine, catalog: lab.catalog) else {
            return XCTFail("a rebuild runs the script again, after a yes")
        }
        XCTAssertTrue(plan.commands.first?.hasSuffix("--provider 1 --users ann --rebuild") ?? false, "\(plan.commands)")
        XCTAssertTrue(plan.summary.first?.hasPrefix("Make the accounts of ann again") ?? false, "\(plan.summary)")
        let rebuilt = try await finished("accounts", engine: lab.engine, catalog: lab.catalog)
        XCTAssertEqual(rebuilt.outcome, .passed, "\(rebuilt.findings)")
        XCTAssertTrue(rebuilt.findings.contains { $0.target == "ann" && $0.severity == .ok }, "\(rebuilt.findings)")
        let owners = try AtmosphereTree.rows(lab.tree, model: "Identity").compactMap { $0["created_by_id"] as? Int }
        XCTAssertEqual(owners.count, Set(owners).count, "no user with two identities")
    }

    /// A users file: one a line, blank and # lines left out, each user once whatever the case, after those typed; a line
    /// that is no user name, or a file that cannot be read, is refused naming it, and nothing runs.
    func testAUsersFileIsReadLineByLineAndABadLineIsRefusedWhereItIs() async throws {
        let file = TestPaths.scratch("users") + "/campus.txt"
        try "# the campus\n\nann\nBob\n  carol  \nANN\n".write(toFile: file, atomically: true, encoding: .utf8)
        let lab = try await makeLab(.final, accounts: "accounts.users: [bob, dave]\naccounts.users_file: \(file)")
        defer { lab.cloud.shutdown() }
        let accounts = try XCTUnwrap(lab.catalog.screen("accounts"))
        guard case let .needsConsent(plan) = try await StepExecution.execute(accounts, engine: lab.engine, catalog: lab.catalog) else {
            return XCTFail("running the script needs a yes")
        }
        XCTAssertTrue(plan.commands.first?.hasSuffix("--provider 1 --users bob,dave,ann,carol") ?? false, "\(plan.commands)")
        XCTAssertTrue(plan.summary.first?.contains("bob, dave, ann, carol") ?? false, "\(plan.summary)")
        XCTAssertTrue(plan.summary.first?.contains("about 8 s") ?? false, "the expected time: \(plan.summary)")

        try "ann\nbob smith\n".write(toFile: file, atomically: true, encoding: .utf8)
        let before = try AtmosphereTree.snapshot(lab.tree)
        for (answer, target, words) in [
            (file, file + ":2", "\"bob smith\" is not an Atmosphere user name"), (file + ".missing", file + ".missing", "cannot be read"),
        ] {
            try lab.engine.setAnswers([Answer(key: "accounts.users_file", value: .text(answer), source: .typed)])
            let result = try await finished("accounts", engine: lab.engine, catalog: lab.catalog)
            XCTAssertEqual(result.outcome, .failed, "\(result.findings)")
            let refusal = try XCTUnwrap(result.findings.first { $0.severity == .failure }, "\(result.findings)")
            XCTAssertEqual(refusal.target, target)
            XCTAssertTrue(refusal.observed.contains(words), refusal.observed)
            XCTAssertEqual(try AtmosphereTree.snapshot(lab.tree), before, "nothing ran")
        }
    }

    /// The guide's script has no --group: refused before it runs, with the way round (a users file).
    func testTheGuidesScriptIsNeverGivenAGroup() async throws {
        let lab = try await makeLab(.guide, accounts: "accounts.group: campus")
        defer { lab.cloud.shutdown() }
        let before = try AtmosphereTree.snapshot(lab.tree)
        let result = try await finished("accounts", engine: lab.engine, catalog: lab.catalog)
        XCTAssertEqual(result.outcome, .failed)
        let refusal = try XCTUnwrap(result.findings.first { $0.severity == .failure }, "\(result.findings)")
        XCTAssertEqual(refusal.target, "accounts.group")
        XCTAssertTrue(refusal.observed.contains("has no --group"), refusal.observed)
        XCTAssertTrue(refusal.remedy.contains("accounts.users_file"), refusal.remedy)
        XCTAssertEqual(try AtmosphereTree.snapshot(lab.tree), before, "the script never ran")
    }
}
