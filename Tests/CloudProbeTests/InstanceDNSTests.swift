import CloudProbe
import Foundation
import StepEngine
import TestSupport
import Wizard
import XCTest

/// Forward and reverse records of floating IPs against a real DNS server (dnsmasq) on loopback.
final class InstanceDNSTests: XCTestCase {
    let format = "vm%(three)s-%(four)s.%(domain)s"

    func testHostnamesFollowAtmospheresFormatting() {
        let address = IPRange.address("203.0.113.10") ?? 0
        XCTAssertEqual(InstanceDNS.hostname(for: address, format: format, domain: "cloud.test"), "vm113-10.cloud.test")
        XCTAssertEqual(InstanceDNS.hostname(for: address, format: "%(one)s.%(two)s.%(three)s.%(four)s", domain: nil), "203.0.113.10")
        XCTAssertEqual(InstanceDNS.hostname(for: address, format: "vm%(four)s-100%%.example.org", domain: nil), "vm10-100%.example.org")
        XCTAssertNil(InstanceDNS.hostname(for: address, format: "atmo.%(domain)s", domain: "cloud.test"), "no octet: Atmosphere falls back to the IP")
        XCTAssertNil(InstanceDNS.hostname(for: address, format: format, domain: nil), "%(domain)s needs a domain")
        XCTAssertNil(InstanceDNS.hostname(for: address, format: "vm%(five)s", domain: nil))
        XCTAssertNil(InstanceDNS.hostname(for: address, format: "vm%(four)d", domain: nil))
    }

    func testCorrectMissingAndMismatchedRecords() throws {
        let peer = try XCTUnwrap(
            DNSPeer(
                hosts: [("203.0.113.10", "vm113-10.cloud.test")],
                addresses: [("vm113-11.cloud.test", "203.0.113.11"), ("vm113-12.cloud.test", "203.0.113.99")],
                pointers: [("11.113.0.203.in-addr.arpa", "wrong.cloud.test")]), DNSPeer.lastError)
        let findings = try InstanceDNS.check(
            ranges: [try XCTUnwrap(IPRange("203.0.113.10-203.0.113.13"))], format: format, domain: "cloud.test",
            client: try DNSClient(server: peer.server))
        XCTAssertTrue(findings[0].observed.hasPrefix("1 of 4 addresses have matching A and PTR records (8 lookups"), findings[0].observed)
        XCTAssertEqual(
            findings[1].observed, "203.0.113.10 → vm113-10.cloud.test, 203.0.113.11 → vm113-11.cloud.test, …, 203.0.113.13 → vm113-13.cloud.test")
        let problems = findings.dropFirst(2).map { "\($0.severity.rawValue) \($0.target): \($0.observed)" }
        XCTAssertEqual(
            Set(problems),
            [
                "failure 203.0.113.11: PTR is wrong.cloud.test, not vm113-11.cloud.test",
                "failure 203.0.113.12: vm113-12.cloud.test has A 203.0.113.99, not 203.0.113.12",
                "warning 203.0.113.12: no PTR record (12.113.0.203.in-addr.arpa)",
                "warning 203.0.113.13: no A record for vm113-13.cloud.test",
                "warning 203.0.113.13: no PTR record (13.113.0.203.in-addr.arpa)",
            ])
        XCTAssertEqual(findings.dropFirst(2).map(\.severity), [.failure, .failure, .warning, .warning, .warning], "worst first")
    }

    func testASlash24SweepTakesUnderTwoSeconds() throws {
        let hosts = (0...255).map { ("203.0.113.\($0)", "vm113-\($0).cloud.test") }
        let peer = try XCTUnwrap(DNSPeer(hosts: hosts), DNSPeer.lastError)
        let started = Date()
        let findings = try InstanceDNS.check(
            ranges: [try XCTUnwrap(IPRange("203.0.113.0/24"))], format: format, domain: "cloud.test",
            client: try DNSClient(server: peer.server))
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(findings.first?.severity, .ok, "\(findings.prefix(5))")
        XCTAssertTrue(findings.first?.observed.hasPrefix("256 of 256 addresses have matching A and PTR records (512 lookups") ?? false)
        XCTAssertLessThan(elapsed, 2, "a /24 is 512 lookups")
    }

    func testAServerThatDoesNotAnswerIsNamed() throws {
        let start = Date()
        let findings = try InstanceDNS.check(
            ranges: [try XCTUnwrap(IPRange("203.0.113.10"))], format: format, domain: "cloud.test",
            client: try DNSClient(server: "127.0.0.1:9"))
        XCTAssertLessThan(Date().timeIntervalSince(start), 3)
        XCTAssertTrue(findings.contains { $0.observed == "A vm113-10.cloud.test: no answer from 127.0.0.1:9 after 3 tries" }, "\(findings)")
        XCTAssertThrowsError(try DNSClient(server: "dns.example.org:53"))
    }

    func testTheDNSStepChecksAndWritesZoneFragmentsThatTheServerThenServes() async throws {
        let empty = try XCTUnwrap(DNSPeer(), DNSPeer.lastError)
        let catalog = try WizardCatalog.load()
        let store = try StateStore(directory: StateDirectory(path: TestPaths.scratch("dns-step") + "/state"))
        let engine = Engine(store: store, plan: catalog.plan, session: try store.createSession(named: "dns"))
        let zones = TestPaths.scratch("zones")
        try engine.setAnswers([
            Answer(key: "dns.floating_ranges", value: .list(["203.0.113.10-203.0.113.12"]), source: .typed),
            Answer(key: "dns.hostname_format", value: .text(format), source: .typed),
            Answer(key: "dns.domain", value: .text("cloud.test"), source: .typed),
            Answer(key: "dns.server", value: .text(empty.server), source: .typed),
            Answer(key: "dns.write_zone_files", value: .bool(true), source: .typed),
            Answer(key: "dns.zone_dir", value: .text(zones), source: .typed),
        ])
        let screen = try XCTUnwrap(catalog.screen("dns"))
        guard case let .needsConsent(plan) = try await StepExecution.execute(screen, engine: engine, catalog: catalog) else {
            return XCTFail("writing files needs a yes")
        }
        XCTAssertTrue(plan.previewLines.contains("+ vm113-10.cloud.test.\tIN\tA\t203.0.113.10"), "\(plan.previewLines)")
        guard case let .finished(result) = try await StepExecution.execute(screen, engine: engine, catalog: catalog, consent: true) else {
            return XCTFail()
        }
        XCTAssertEqual(result.outcome, .warned, "records are missing, and DNS is optional: \(result.findings)")
        let forward = try String(contentsOfFile: zones + "/atmosphere-a.zone", encoding: .utf8)
        let reverse = try String(contentsOfFile: zones + "/atmosphere-ptr.zone", encoding: .utf8)
        XCTAssertTrue(reverse.contains("12.113.0.203.in-addr.arpa.\tIN\tPTR\tvm113-12.cloud.test."), reverse)

        // The fragments as a server would load them: every record then matches.
        let records = forward.split(separator: "\n").filter { !$0.hasPrefix(";") }.map { $0.split(separator: "\t") }
        let served = try XCTUnwrap(DNSPeer(hosts: records.map { (String($0[3]), String($0[0].dropLast())) }), DNSPeer.lastError)
        try engine.setAnswers([Answer(key: "dns.server", value: .text(served.server), source: .typed)])
        guard case let .finished(again) = try await StepExecution.execute(screen, engine: engine, catalog: catalog) else { return XCTFail() }
        XCTAssertEqual(again.outcome, .passed, "\(again.findings)")
    }
}
