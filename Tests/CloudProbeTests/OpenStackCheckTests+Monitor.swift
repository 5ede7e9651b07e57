import CloudProbe
import Foundation
import StepEngine
import TestSupport
import XCTest

/// `check` as a monitor, against the real OpenStack services: the OpenMetrics output read by the Prometheus client
/// library's own parser, and the Nagios line with its status and perfdata.
extension OpenStackCheckTests {
    func monitor(_ format: String, _ peer: OpenStackPeer, extra: [String] = []) -> ChildProcess.Finished {
        let arguments =
            [binary, "check", "--openrc", peer.adminOpenrc(), "--cacert", peer.caBundle, "--format", format]
            + peer.resolve.flatMap { ["--resolve", $0] } + extra
        return ChildProcess.run(arguments, environment: ["OS_PASSWORD": peer.adminPassword])
    }

    func testOpenMetricsAsPrometheusParsesThem() throws {
        let peer = try requirePeer()
        let python = try XCTUnwrap(Peers.tool("python"), Peers.missingVenv)
        let run = monitor("openmetrics", peer)
        XCTAssertTrue([0, 1, 2].contains(run.status), run.output)
        XCTAssertFalse(run.output.contains(peer.adminPassword))
        let path = TestPaths.scratch("metrics") + "/check.prom"
        try run.output.write(toFile: path, atomically: true, encoding: .utf8)
        // Prometheus's own OpenMetrics parser: it refuses anything out of the format (no # EOF, a unit that is no
        // suffix, a bad escape); each sample comes back as name, labels, value.
        let script = """
            import json, sys
            from prometheus_client.openmetrics.parser import text_string_to_metric_families
            out = []
            for family in text_string_to_metric_families(open(sys.argv[1]).read()):
                for sample in family.samples:
                    out.append({"family": family.name, "type": family.type, "unit": family.unit, "name": sample.name, "labels": sample.labels, "value": sample.value})
            print(json.dumps(out))
            """
        let parsed = ChildProcess.run([python, "-c", script, path])
        XCTAssertEqual(parsed.status, 0, "the parser refused it: \(parsed.output)\n\(run.output)")
        let samples = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [[String: Any]], parsed.output)
        func values(_ name: String) -> [(labels: [String: String], value: Double)] {
            samples.filter { $0["name"] as? String == name }.map { ($0["labels"] as? [String: String] ?? [:], $0["value"] as? Double ?? .nan) }
        }
        XCTAssertEqual(values("atmo_connect_check_status").first?.value, Double(run.status))
        XCTAssertEqual(values("atmo_connect_check_status").first?.labels["cloud"], peer.authURL)
        XCTAssertGreaterThan(values("atmo_connect_check_duration_seconds").first?.value ?? 0, 0)
        XCTAssertEqual(samples.first { $0["name"] as? String == "atmo_connect_check_duration_seconds" }?["unit"] as? String, "seconds")
        XCTAssertEqual(Set(values("atmo_connect_check_findings").compactMap { $0.labels["severity"] }), ["ok", "info", "warning", "failure"])
        let tls = values("atmo_connect_endpoint_tls_ok")
        XCTAssertGreaterThanOrEqual(tls.count, 5, "an endpoint of each service: \(tls)")
        XCTAssertTrue(tls.allSatisfy { $0.value == 1 }, "the real services' certificates verify with the test CA: \(tls)")
        let days = values("atmo_connect_endpoint_certificate_days_left")
        XCTAssertEqual(days.count, tls.count)
        XCTAssertTrue(days.allSatisfy { (1...3650).contains($0.value) }, "valid certificates, days ahead: \(days)")
        XCTAssertTrue(values("atmo_connect_endpoint_http_status").allSatisfy { (200..<500).contains(Int($0.value)) })
        XCTAssertTrue(values("atmo_connect_endpoint_latency_seconds").allSatisfy { $0.value > 0 && $0.value < 30 })
        let free = values("atmo_connect_floating_ips_free")
        XCTAssertFalse(free.isEmpty, "the external network's free addresses: \(run.output)")
        XCTAssertTrue(free.allSatisfy { $0.labels["network"] != nil && $0.value >= 0 })
    }

    func testTheNagiosLineCarriesTheStatusAndPerfdata() throws {
        let peer = try requirePeer()
        let run = monitor("nagios", peer)
        let line = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(line.split(separator: "\n").count, 1, line)
        let word = ["OK", "WARNING", "CRITICAL", "UNKNOWN"][Int(run.status)]
        XCTAssertTrue(line.hasPrefix("ATMO-CONNECT \(word) - "), "status \(run.status): \(line)")
        let parts = line.components(separatedBy: " | ")
        XCTAssertEqual(parts.count, 2, line)
        let perfdata = Dictionary(
            parts[1].split(separator: " ").map { item -> (String, String) in
                let pair = item.split(separator: "=", maxSplits: 1)
                return (String(pair[0]), String(pair.count > 1 ? pair[1] : ""))
            }, uniquingKeysWith: { first, _ in first })
        for key in ["failures", "warnings", "ok", "duration", "endpoints", "tls_failures", "certificate_days_left", "floating_ips_free"] {
            XCTAssertNotNil(perfdata[key], "\(key) in \(parts[1])")
        }
        XCTAssertEqual(perfdata["tls_failures"], "0")
        XCTAssertNotNil(perfdata["duration"]?.range(of: #"^[0-9]+\.[0-9]{3}s$"#, options: .regularExpression))

        // Could not check: UNKNOWN, exit 3, still one line on standard output.
        let bad = ChildProcess.run([binary, "check", "--openrc", "/nonexistent/openrc", "--format", "nagios"])
        XCTAssertEqual(bad.status, 3, bad.output)
        XCTAssertTrue(bad.output.contains("ATMO-CONNECT UNKNOWN - the cloud could not be checked"), bad.output)
        let metrics = ChildProcess.run([binary, "check", "--openrc", "/nonexistent/openrc", "--format", "openmetrics"])
        XCTAssertEqual(metrics.status, 3, metrics.output)
        XCTAssertTrue(metrics.output.contains("\natmo_connect_check_status 3\n# EOF"), "the monitor still reads its status: \(metrics.output)")
    }
}

/// One finding per fact, against the real catalog.
extension OpenStackCheckTests {
    /// Two endpoints on one host whose certificate does not name it, and an IP-literal endpoint: the certificate is
    /// one finding naming both URLs, nothing that failed gets an `ok`, and the IP literal has one fix (a host name).
    func testOneFindingPerFactAndNoOkForWhatFailed() async throws {
        let peer = try requirePeer()
        let session = try await peer.adminSession()
        let neutron = try await publicEndpoint("neutron", peer, session)
        let cinder = try await publicEndpoint("cinder", peer, session)
        let glance = try await publicEndpoint("glance", peer, session)
        let neutronPort = peer.ports["neutron"] ?? 0
        let moved = [
            (neutron, "https://network.example.org:\(neutronPort)"),
            (cinder, "https://network.example.org:\(neutronPort)/v3"),
            (glance, "https://127.0.0.1:\(peer.ports["glance"] ?? 0)"),
        ]
        for (endpoint, url) in moved { try await setURL(endpoint.id, url, peer, session) }
        let result = try check(peer, extra: ["--resolve", "network.example.org:\(neutronPort):127.0.0.1", "--api-hostname", "cloud.example.org"])
        for (endpoint, _) in moved { try await setURL(endpoint.id, endpoint.url, peer, session) }

        XCTAssertEqual(result.status, 2, result.output)
        let certificate = findings(result.json, check: "tls.endpoints", severity: "failure").filter { $0["observed"]?.contains("not network.example.org") ?? false }
        XCTAssertEqual(certificate.count, 1, "one finding for the one certificate: \(certificate)")
        XCTAssertTrue(certificate.first?["observed"]?.contains("(affects 2: ") ?? false, "\(certificate)")
        XCTAssertTrue(certificate.first?["observed"]?.contains("https://network.example.org:\(neutronPort)/v3") ?? false, "\(certificate)")
        let oks = findings(result.json, severity: "ok").filter { ($0["target"] ?? "").contains("network.example.org") }
        XCTAssertEqual(oks, [], "no ok for an endpoint whose certificate failed")
        // Its certificate does name 127.0.0.1 (an ok of its own); what fails is the address, with one fix.
        let glanceFindings = findings(result.json).filter { ($0["target"] ?? "").contains("https://127.0.0.1:") && $0["severity"] != "ok" }
        XCTAssertEqual(glanceFindings.count, 1, "the IP literal: one finding, one fix: \(glanceFindings)")
        XCTAssertTrue(glanceFindings.first?["remedy"]?.hasPrefix("openstack endpoint set --url https://cloud.example.org:") ?? false, "\(glanceFindings)")
    }
}
