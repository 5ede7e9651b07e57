import DemoCloud
import Foundation
import TestSupport
import XCTest

/// `check --format nagios` as a Nagios server reads it: thresholds in the plugin guidelines' range syntax (an alert
/// when the value is outside the range: "30:" alerts below 30), CRITICAL for a cloud whose Keystone does not answer,
/// UNKNOWN for a check that cannot run, and a --resolve that is not HOST:PORT:ADDRESS refused as a usage error.
final class NagiosTests: XCTestCase {
    let binary = TestPaths.executable("atmo-connect")

    /// The Nagios plugin guidelines' range: `10` is 0..10, `10:` is 10..∞, `~:10` is -∞..10, `10:20`, and `@` inverts.
    /// Whether `value` raises an alert against `range`.
    static func alerts(_ value: Double, _ range: String) -> Bool {
        var text = Substring(range)
        let inside = text.hasPrefix("@")
        if inside { text = text.dropFirst() }
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let low: Double, high: Double
        if parts.count == 1 {
            (low, high) = (0, Double(parts[0]) ?? 0)
        } else {
            low = parts[0] == "~" ? -.infinity : (parts[0].isEmpty ? 0 : Double(parts[0]) ?? 0)
            high = parts[1].isEmpty ? .infinity : Double(parts[1]) ?? 0
        }
        let within = value >= low && value <= high
        return inside ? within : !within
    }

    func testTheRangeParserReadsTheGuidelines() {
        XCTAssertTrue(Self.alerts(11, "10"))
        XCTAssertFalse(Self.alerts(5, "10"))
        XCTAssertTrue(Self.alerts(29, "30:"))
        XCTAssertFalse(Self.alerts(824, "30:"))
        XCTAssertTrue(Self.alerts(11, "~:10"))
        XCTAssertTrue(Self.alerts(15, "@10:20"))
    }

    func check(_ demo: DemoCloud, _ password: String, _ extra: [String] = []) -> ChildProcess.Finished {
        ChildProcess.run(
            [binary, "check", "--openrc", demo.directory + "/admin-openrc", "--cacert", demo.caBundle, "--format", "nagios"]
                + demo.resolve.flatMap { ["--resolve", $0] } + extra,
            environment: ["OS_PASSWORD": password])
    }

    func testThresholdsAlertOnTheRightSideAndADeadKeystoneIsCritical() throws {
        let password = "nagios-" + UUID().uuidString
        let demo = try DemoCloud(directory: TestPaths.scratch("nagios-demo"), adminPassword: password)
        let run = check(demo, password)
        let line = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let perfdata = line.components(separatedBy: " | ").last ?? ""
        var thresholds: [String: (value: Double, warning: String, critical: String)] = [:]
        for item in perfdata.split(separator: " ") {
            let pair = item.split(separator: "=", maxSplits: 1)
            let fields = pair.count > 1 ? pair[1].split(separator: ";", omittingEmptySubsequences: false).map(String.init) : []
            guard fields.count >= 3, let value = Double(fields[0].filter { $0.isNumber || $0 == "." || $0 == "-" }) else { continue }
            thresholds[String(pair[0])] = (value, fields[1], fields[2])
        }
        let days = try XCTUnwrap(thresholds["certificate_days_left"], line)
        XCTAssertEqual([days.warning, days.critical], ["30:", "14:"])
        XCTAssertFalse(Self.alerts(days.value, days.warning), "a certificate with \(days.value) days left raises no alert")
        XCTAssertTrue(Self.alerts(10, days.warning) && Self.alerts(10, days.critical), "10 days left is critical")
        let free = try XCTUnwrap(thresholds["floating_ips_free"], line)
        XCTAssertEqual([free.warning, free.critical], ["5:", "1:"])
        XCTAssertFalse(Self.alerts(free.value, free.warning), "\(free.value) free addresses: no alert")
        XCTAssertTrue(Self.alerts(0, free.critical))

        // Keystone gone: the cloud is down, CRITICAL (2), not "could not check".
        demo.shutdown()
        let down = check(demo, password)
        XCTAssertEqual(down.status, 2, down.output)
        XCTAssertTrue(down.stdout.hasPrefix("ATMO-CONNECT CRITICAL - "), down.output)

        // A check that cannot run: UNKNOWN (3), its reason in one line with its sentences apart.
        let unreadable = ChildProcess.run([binary, "check", "--openrc", "/nonexistent/openrc", "--format", "nagios"])
        XCTAssertEqual(unreadable.status, 3, unreadable.output)
        XCTAssertTrue(unreadable.stdout.contains("; "), "the reason and its remedy are kept apart: \(unreadable.stdout)")
    }

    func testAResolveThatIsNotHostPortAddressIsAUsageError() {
        let run = ChildProcess.run([binary, "check", "--resolve", "a.example.org:1:127.0.0.1,b.example.org:2:127.0.0.1"])
        XCTAssertEqual(run.status, 64, run.output)
        XCTAssertTrue(run.stderr.contains("is not HOST:PORT:ADDRESS"), run.output)
    }

    /// Under LANG=C (no UTF-8), check's text shows its marks in ASCII, not bytes the terminal cannot show.
    func testUnderTheCLocaleTheMarksAreASCII() throws {
        let password = "ascii-" + UUID().uuidString
        let demo = try DemoCloud(directory: TestPaths.scratch("ascii-demo"), adminPassword: password)
        defer { demo.shutdown() }
        let arguments = [binary, "check", "--openrc", demo.directory + "/admin-openrc", "--cacert", demo.caBundle] + demo.resolve.flatMap { ["--resolve", $0] }
        let plain = ChildProcess.run(arguments, environment: ["OS_PASSWORD": password, "LANG": "C", "LC_ALL": "", "LC_CTYPE": ""])
        XCTAssertTrue(plain.stdout.contains("+ ok"), plain.stdout)
        XCTAssertTrue(plain.stdout.allSatisfy(\.isASCII), "only ASCII under LANG=C")
        let unicode = ChildProcess.run(arguments, environment: ["OS_PASSWORD": password, "LANG": "C.UTF-8", "LC_ALL": "", "LC_CTYPE": ""])
        XCTAssertTrue(unicode.stdout.contains("✔ ok"), unicode.stdout)
    }
}
