import Foundation
import TestSupport
import XCTest

/// Each subcommand's `--help` lists only the exit statuses it can end with, each on lines of its own (indented, none
/// wrapped to column 0), and only the options that mean something to it.
extension HeadlessConventionsTests {
    /// The "Exit status" section of a help text: its lines up to the next blank one.
    func exitSection(_ help: String) -> [String] {
        let lines = help.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("Exit status") }) else { return [] }
        return Array(lines[(start + 1)...].prefix { !$0.trimmingCharacters(in: .whitespaces).isEmpty })
    }

    /// The statuses a section lists, by number.
    func statuses(_ section: [String]) -> [Int] {
        section.compactMap { line in line.firstMatch(of: /^  (\d+)\s/).flatMap { Int($0.1) } }
    }

    func testEachSubcommandsHelpListsItsOwnExitStatuses() {
        let expected: [String: [Int]] = [
            "apply": [0, 1, 3, 4, 5, 6, 7, 64], "check": [0, 1, 2, 3, 64], "wizard": [0, 3, 4, 8, 64], "status": [0, 3, 4, 64],
            "sessions": [0, 3, 64], "reset": [0, 1, 3, 64], "export": [0, 3, 4, 64], "demo": [0, 3, 5, 8, 64],
        ]
        for (command, codes) in expected.sorted(by: { $0.key < $1.key }) {
            let help = run([command, "--help"], environment: ["COLUMNS": "80"])
            XCTAssertEqual(help.status, 0, help.output)
            let section = exitSection(help.stdout)
            XCTAssertEqual(statuses(section), codes, "\(command):\n\(section.joined(separator: "\n"))")
            XCTAssertEqual(section.filter { !$0.hasPrefix("  ") }, [], "\(command): a line of the exit statuses at column 0")
            XCTAssertEqual(section.filter { $0.count > 80 }, [], "\(command): a line wider than 80 columns")
        }
        let check = run(["check", "--help"]).stdout
        XCTAssertTrue(exitSection(check).contains { $0.contains("2   CRITICAL") }, check)
        XCTAssertFalse(exitSection(run(["apply", "--help"]).stdout).contains { $0.contains("CRITICAL") || $0.contains("wizard") })
        // The top level lists the statuses once, check's Nagios ones in a sentence, and says each command lists its own.
        let top = run(["--help"]).stdout
        XCTAssertEqual(statuses(exitSection(top)), [0, 1, 3, 4, 5, 6, 7, 8, 64], top)
        XCTAssertTrue(top.contains("check follows Nagios: 0 OK, 1 WARNING, 2 CRITICAL"), top)
    }

    func testStatusAndSessionsOfferNoLockOrScreensOptions() {
        for command in ["status", "sessions"] {
            let help = run([command, "--help"]).stdout
            for option in ["--force-unlock", "--yes", "--screens-dir"] {
                XCTAssertFalse(help.contains(option), "\(command) offers \(option):\n\(help)")
            }
            XCTAssertTrue(help.contains("--state-dir"), help)
            let refused = run([command, "--yes"])
            XCTAssertEqual(refused.status, 64, refused.output)
        }
        for command in ["apply", "wizard"] {
            let help = run([command, "--help"]).stdout
            XCTAssertTrue(help.contains("--force-unlock") && help.contains("--screens-dir"), "\(command):\n\(help)")
        }
    }
}
