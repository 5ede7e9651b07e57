import AtmosphereKit
import DemoCloud
import Foundation
import StepEngine
import TestSupport
import XCTest

/// The accounts step for a campus: users from a file, a progress line per user from `apply` as the script reports on
/// them, and a kill at a random instant followed by a resume that neither redoes nor doubles anyone.
final class AccountsAtScaleTests: XCTestCase {
    let binary = TestPaths.executable("atmo-connect")

    /// How many users: ATMO_ACCOUNTS_AT_SCALE, else 1,000.
    var scale: Int { ProcessInfo.processInfo.environment["ATMO_ACCOUNTS_AT_SCALE"].flatMap(Int.init) ?? 1000 }

    func testAThousandUsersFromAFileShowProgressAndSurviveAKill() throws {
        let lab = try DemoApplyTests.makeLab()
        defer { lab.demo.shutdown() }
        let users = (1...scale).map { String(format: "user%04d", $0) }
        let file = lab.work + "/users.txt"
        try (["# the campus, one a line", ""] + users).joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        var answers = try String(contentsOfFile: lab.answers, encoding: .utf8)
        answers = answers.replacingOccurrences(of: "accounts.users: [demo]", with: "accounts.users: [demo]\naccounts.users_file: \(file)")
        try answers.write(toFile: lab.answers, atomically: true, encoding: .utf8)
        let arguments = [
            binary, "apply", "--answers", lab.answers, "--state-dir", lab.state, "--until", "accounts", "--skip", "exercise-cloud", "--skip", "dns",
            "--skip", "tls",
        ]
        // Up to the provider, then the accounts step alone, killed once some users (a random number of them) are reported.
        let before = ChildProcess.run(arguments.map { $0 == "accounts" ? "provider" : $0 }, environment: lab.environment)
        XCTAssertEqual(before.status, 0, before.output)
        let killAfter = Int.random(in: 1...max(1, scale / 2))
        let first = ChildProcess.start(arguments, environment: lab.environment)
        let deadline = Date().addingTimeInterval(Double(scale) * 3 + 60)
        var progressLines: [Substring] = []
        while Date() < deadline {
            progressLines = first.stdout.split(separator: "\n").filter { $0.contains("working") && $0.contains(" of \(scale + 1): ") }
            if progressLines.count >= killAfter { break }
            usleep(50_000)
        }
        kill(first.pid, SIGKILL)
        let killed = first.wait()
        XCTAssertEqual(killed.signal, SIGKILL, "the run ended before the kill: \(killed.output.suffix(2000))")
        XCTAssertGreaterThanOrEqual(progressLines.count, killAfter, "a progress line per user, as it goes: \(first.stdout.suffix(2000))")
        XCTAssertNotNil(
            progressLines.first?.range(of: #"accounts\s+working\s+user \d+ of \d+: (\S+): 1 new identities identity_total for \1\."#, options: .regularExpression),
            "\(progressLines.prefix(3))")

        let resumed = ChildProcess.run(arguments, environment: lab.environment)
        XCTAssertEqual(resumed.status, 0, String(resumed.output.suffix(3000)))
        XCTAssertTrue(resumed.stdout.contains("started: "), "the resume counts on from those done: \(resumed.stdout.prefix(3000))")
        let redone = resumed.stdout.split(separator: "\n").filter { $0.contains("working") && $0.contains("1 new identities") }.count
        XCTAssertLessThanOrEqual(redone, scale + 1 - killAfter, "users done before the kill are not done again")

        // Each user once, none missing: the identities Atmosphere's database holds.
        let names = Dictionary(
            try AtmosphereTree.rows(lab.tree, model: "AtmosphereUser").compactMap { row in (row["id"] as? Int).map { ($0, row["username"] as? String ?? "") } },
            uniquingKeysWith: { first, _ in first })
        let owners = try AtmosphereTree.rows(lab.tree, model: "Identity").compactMap { ($0["created_by_id"] as? Int).flatMap { names[$0] } }
        let counted = Dictionary(owners.map { ($0.lowercased(), 1) }, uniquingKeysWith: +)
        XCTAssertEqual(counted.filter { $0.value > 1 }.keys.sorted(), [], "a user with two identities")
        XCTAssertEqual(Set(users + ["demo"]).subtracting(counted.keys).sorted(), [], "a user with none")
    }
}
