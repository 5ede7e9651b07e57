import CloudProbe
import DemoCloud
import Foundation
import StepEngine
import TestSupport
import XCTest

/// `atmo-connect apply` runs the whole plan unattended against the demo cloud, a loopback DNS server and an Atmosphere
/// sandbox, and leaves a state, files and exported answers that hold no secret.
final class DemoApplyTests: XCTestCase {
    let binary = TestPaths.executable("atmo-connect")

    struct Lab {
        var demo: DemoCloud, dns: DNSPeer, tree: String, work: String, state: String, answers: String
        var password: String, atmoadmin: String, providerSecret: String
        var environment: [String: String] {
            ["DEMO_PASSWORD": password, "ATMOADMIN_PASSWORD": atmoadmin, "PROVIDER_SECRET": providerSecret]
        }
    }

    /// The demo cloud, a DNS server with its names, an Atmosphere sandbox, and an answers file for the whole plan.
    static func makeLab(_ scenario: DemoScenario = .clean, generation: AtmosphereSandbox.Generation = .final) throws -> Lab {
        let password = "demo-" + UUID().uuidString
        let demo = try DemoCloud(directory: TestPaths.scratch("e2e-demo"), adminPassword: password, scenario: scenario)
        let hosts = (10...50).map { ("127.0.113.\($0)", "vm113-\($0).demo.test") }
        let dns = try XCTUnwrap(DNSPeer(hosts: hosts, zones: ["demo.test", "113.0.127.in-addr.arpa"]), DNSPeer.lastError)
        // The final code, trusting the demo's CA and resolving its names; "demo" has logged in once.
        let tree = try AtmosphereTree.make(generation, cloud: demo, users: ["demo"])
        let work = TestPaths.scratch("e2e")
        let state = work + "/state"
        let atmoadmin = "atmoadmin-" + UUID().uuidString
        let providerSecret = "secret-" + UUID().uuidString + UUID().uuidString
        let answers = work + "/answers.yaml"
        try """
        session.name: e2e
        cloud.openrc_path: \(demo.directory)/admin-openrc
        cloud.password: {from_env: DEMO_PASSWORD}
        cloud.cacert: \(demo.caBundle)
        cloud.resolve: [\(demo.resolve.joined(separator: ", "))]
        \(LabAnswers.atmosphere(tree))smoke.ssh_port: \(demo.sshPort)
        smoke.timeout_seconds: 60
        smoke.consent: true
        dns.hostname_format: "vm%(three)s-%(four)s.demo.test"
        dns.server: \(dns.server)
        tls.api_hostname: keystone.demo.test
        osa.output_path: \(work)/user_variables.atmosphere.yml
        osa.consent: true
        atmoadmin.password: {from_env: ATMOADMIN_PASSWORD}
        atmoadmin.consent: true
        provider.name: demo
        provider.secret: {from_env: PROVIDER_SECRET}
        provider.json_path: \(work)/provider.json
        provider.hostname_format: "vm%(three)s-%(four)s.demo.test"
        provider.consent: true
        accounts.users: [demo]
        accounts.consent: true
        staff.users: [demo]
        staff.consent: true
        allocation.consent: true
        sync.consent: true
        inventory.consent: true
        final.report_path: \(work)/report.md

        """.write(toFile: answers, atomically: true, encoding: .utf8)
        return Lab(
            demo: demo, dns: dns, tree: tree, work: work, state: state, answers: answers, password: password, atmoadmin: atmoadmin,
            providerSecret: providerSecret)
    }

    /// What every scenario leaves must hold: the exported answers load again, and no secret is in any file of the run.
    func assertSound(_ lab: Lab, output: String, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        let exported = lab.work + "/exported-\(UUID().uuidString.prefix(6)).yaml"
        let export = ChildProcess.run([binary, "export", "--answers", exported, "--state-dir", lab.state])
        XCTAssertEqual(export.status, 0, "\(label): \(export.output)", file: file, line: line)
        let again = ChildProcess.run(
            [
                binary, "apply", "--answers", exported, "--state-dir", lab.work + "/state-\(UUID().uuidString.prefix(6))",
                "--until", "welcome",
            ], environment: lab.environment)
        XCTAssertEqual(again.status, 0, "\(label): the exported answers load again: \(again.output)", file: file, line: line)
        for secret in [lab.password, lab.atmoadmin, lab.providerSecret] {
            XCTAssertFalse(output.contains(secret), "\(label): a secret in apply's output", file: file, line: line)
            for directory in [lab.work, lab.tree] {
                // Atmosphere's own database keeps the admin password and the provider secret, as upstream designs it.
                for name in FileManager.default.enumerator(atPath: directory)?.compactMap({ $0 as? String }) ?? []
                where !(directory == lab.tree && name.hasPrefix("atmosphere.sqlite3")) {
                    let data = (try? Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))) ?? Data()
                    XCTAssertNil(data.range(of: Data(secret.utf8)), "\(label): a secret in \(directory)/\(name)", file: file, line: line)
                }
            }
        }
    }

    func testTheCleanScenarioRunsUnattendedToTheReport() throws {
        let lab = try Self.makeLab()
        defer { lab.demo.shutdown() }
        let (demo, tree, work, state, answers, environment) = (lab.demo, lab.tree, lab.work, lab.state, lab.answers, lab.environment)
        let run = ChildProcess.run([binary, "apply", "--answers", answers, "--state-dir", state], environment: environment)
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("All steps done."), run.output)
        XCTAssertTrue(demo.resourceCounts == (0, 0, 0), "the smoke test removed all it made: \(demo.resourceCounts)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: work + "/report.md"))
        XCTAssertTrue(try String(contentsOfFile: tree + "/atmosphere-ansible/ansible/inventory/hosts", encoding: .utf8).contains("[atmosphere-demo]"))

        assertSound(lab, output: run.output, "clean")
    }

    func testEveryGenerationFromWelcomeToTheReportAndASecondSessionChangesNothing() throws {
        for generation in AtmosphereSandbox.Generation.allCases {
            let lab = try Self.makeLab(generation: generation)
            defer { lab.demo.shutdown() }
            let run = ChildProcess.run([binary, "apply", "--answers", lab.answers, "--state-dir", lab.state], environment: lab.environment)
            XCTAssertEqual(run.status, 0, "\(generation): \(run.output)")
            XCTAssertTrue(run.output.contains("All steps done."), "\(generation): \(run.output)")
            let providers = try AtmosphereTree.rows(lab.tree, model: "Provider")
            XCTAssertEqual(providers.compactMap { $0["location"] as? String }, ["demo"], "\(generation)")
            XCTAssertEqual(try AtmosphereTree.rows(lab.tree, model: "AccountProvider").count, 1, "\(generation): the admin identity")
            let users = try AtmosphereTree.rows(lab.tree, model: "AtmosphereUser")
            XCTAssertEqual(users.first { $0["username"] as? String == "demo" }?["is_staff"] as? Bool, true, "\(generation): staff")
            XCTAssertGreaterThan(try AtmosphereTree.rows(lab.tree, model: "Size").count, 0, "\(generation): the sync imported sizes")
            if generation != .final {
                XCTAssertEqual(try AtmosphereTree.rows(lab.tree, model: "AllocationStrategy").count, 1, "\(generation)")
            }
            // What the prerequisites found on disk is kept as answers, so the screens ask only what this generation has.
            let store = try StateStore(directory: StateDirectory(path: lab.state))
            let stored = try store.answers(session: try XCTUnwrap(try store.sessions().first?.id))
            XCTAssertEqual(stored["atmosphere.allocation_strategies"]?.value, .bool(generation != .final), "\(generation)")
            XCTAssertEqual(stored["atmosphere.allocation_strategies"]?.source, .derived, "\(generation)")
            XCTAssertEqual(stored["atmosphere.generation"]?.value, .text(generation == .guide ? "guide" : "current"), "\(generation)")
            let hosts = lab.tree + (generation == .final ? "/atmosphere-ansible/ansible/inventory/hosts" : "/atmosphere-ansible/ansible/hosts")
            XCTAssertTrue(try String(contentsOfFile: hosts, encoding: .utf8).contains("[atmosphere-demo]"), "\(generation)")
            XCTAssertEqual(providerJSONs(near: lab.work + "/provider.json"), [], "\(generation): the JSON is gone")
            assertSound(lab, output: run.output, "\(generation)")

            // A second session from scratch against the same install: every step passes and Atmosphere's database is unchanged.
            let before = try AtmosphereTree.snapshot(lab.tree)
            let again = ChildProcess.run(
                [binary, "apply", "--answers", lab.answers, "--state-dir", lab.work + "/second-state"], environment: lab.environment)
            XCTAssertEqual(again.status, 0, "\(generation), second session: \(again.output)")
            XCTAssertTrue(again.output.contains("exists already (id 1) and is this cloud's"), "\(generation): \(again.output)")
            XCTAssertEqual(try AtmosphereTree.snapshot(lab.tree), before, "\(generation): the second session changed Atmosphere's database")

            // A third session that no longer knows the atmoadmin password (a new one is generated): never a wrong password and
            // "All steps done", but a stop with the choice to type the old one or reset it.
            guard generation == .final else { continue }
            let forgetful = lab.work + "/forgetful.yaml"
            try (try String(contentsOfFile: lab.answers, encoding: .utf8)).split(separator: "\n").filter { !$0.hasPrefix("atmoadmin.password:") }
                .joined(separator: "\n").write(toFile: forgetful, atomically: true, encoding: .utf8)
            let third = ChildProcess.run(
                [binary, "apply", "--answers", forgetful, "--state-dir", lab.work + "/third-state"], environment: lab.environment)
            XCTAssertNotEqual(third.status, 0, third.output)
            XCTAssertFalse(third.output.contains("All steps done."), third.output)
            XCTAssertTrue(third.output.contains("Stopped: step atmoadmin failed"), third.output)
            XCTAssertTrue(third.output.contains("atmoadmin.reset_password"), third.output)
            XCTAssertEqual(try AtmosphereTree.snapshot(lab.tree), before, "nothing reached Atmosphere")
        }
    }

    func testEachFaultScenarioStopsTheRightStepAndNothingAfterItRuns() throws {
        let expected: [(String, String, String)] = [
            ("plain-http-glance", "prerequisites", "cloud.inventory: http://glance.demo.test"),
            ("expired-neutron", "prerequisites", "TLS: certificate expired"),
            ("no-image", "prerequisites", "cloud.inventory: active images: no active image"),
            ("no-external-network", "prerequisites", "neutron.external-network: external networks: no external network"),
            ("server-error", "exercise-cloud", "went to ERROR: No valid host was found"),
            ("volume-error", "exercise-cloud", "went to error"),
        ]
        for (name, step, words) in expected {
            let lab = try Self.makeLab(try DemoScenario.named(name))
            defer { lab.demo.shutdown() }
            let run = ChildProcess.run([binary, "apply", "--answers", lab.answers, "--state-dir", lab.state], environment: lab.environment)
            XCTAssertEqual(run.status, 1, "\(name): \(run.output)")
            XCTAssertTrue(run.output.contains("Stopped: step \(step) failed"), "\(name): \(run.output)")
            XCTAssertNotNil(
                run.output.range(
                    of: "\\s\(step)\\s+failure\\s+[^\\n]*\(NSRegularExpression.escapedPattern(for: words))", options: .regularExpression),
                "\(name): the finding \(words) at \(step): \(run.output)")
            // Nothing after the failed step ran.
            let later = ChildProcess.run([binary, "status", "--state-dir", lab.state])
            XCTAssertNil(later.output.range(of: #"provider\s+\*\s+(passed|failed)"#, options: .regularExpression), "\(name): \(later.output)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: lab.work + "/report.md"), name)
            if step == "prerequisites" {
                // The steps that fix what the prerequisites find can run now; the others wait for a pass.
                let document = try JSONSerialization.jsonObject(
                    with: Data(ChildProcess.run([binary, "status", "--json", "--state-dir", lab.state]).stdout.utf8)) as? [String: Any]
                let steps = Dictionary(
                    uniqueKeysWithValues: (document?["steps"] as? [[String: Any]] ?? []).map { ($0["id"] as? String ?? "", $0["status"] as? String ?? "") })
                XCTAssertEqual(steps["tls"], "pending", "\(name): \(steps)")
                XCTAssertEqual(steps["openstack-config"], "pending", "\(name): \(steps)")
                XCTAssertEqual(steps["dns"], "blocked", "\(name): \(steps)")
            }
            XCTAssertTrue(lab.demo.resourceCounts == (0, 0, 0), "\(name): \(lab.demo.resourceCounts)")
            XCTAssertFalse(run.output.contains(lab.password))
            XCTAssertEqual(lab.demo.tokensOverPlainHTTP, 0, "\(name): no token crossed plain http")
            assertSound(lab, output: run.output, name)
        }
    }

    /// An optional step the operator will not run is skipped with `apply --skip STEP`: without it, apply stops there for
    /// a yes; with it, the step is recorded as skipped (status and the report say so) and the run goes on. A required
    /// step cannot be skipped.
    func testApplySkipsTheOptionalStepsItIsToldToAndNoRequiredOne() throws {
        let lab = try Self.makeLab()
        defer { lab.demo.shutdown() }
        let answers = try String(contentsOfFile: lab.answers, encoding: .utf8).replacingOccurrences(of: "smoke.consent: true", with: "smoke.consent: false")
        try answers.write(toFile: lab.answers, atomically: true, encoding: .utf8)
        let stopped = ChildProcess.run(
            [binary, "apply", "--answers", lab.answers, "--state-dir", lab.state, "--until", "dns"], environment: lab.environment)
        XCTAssertEqual(stopped.status, 6, "without --skip it waits for a yes: \(stopped.output)")
        XCTAssertTrue(stopped.output.contains("Stopped at exercise-cloud"), stopped.output)

        let refused = ChildProcess.run(
            [binary, "apply", "--answers", lab.answers, "--state-dir", lab.state, "--skip", "prerequisites"], environment: lab.environment)
        XCTAssertEqual(refused.status, 64, refused.output)
        XCTAssertTrue(refused.output.contains("The step prerequisites (Prerequisites) is required: it cannot be skipped."), refused.output)

        let skipped = ChildProcess.run(
            [binary, "apply", "--answers", lab.answers, "--state-dir", lab.state, "--until", "tls", "--skip", "exercise-cloud", "--skip", "dns"],
            environment: lab.environment)
        XCTAssertEqual(skipped.status, 0, skipped.output)
        XCTAssertNotNil(skipped.output.range(of: #"exercise-cloud\s+skipped\s+skipped by the operator"#, options: .regularExpression), skipped.output)
        XCTAssertNotNil(skipped.output.range(of: #"\sdns\s+skipped"#, options: .regularExpression), skipped.output)
        XCTAssertNotNil(skipped.output.range(of: #"\stls\s+(passed|warned)"#, options: .regularExpression), "the run goes on: \(skipped.output)")
        XCTAssertTrue(lab.demo.resourceCounts == (0, 0, 0), "the smoke test made nothing: \(lab.demo.resourceCounts)")
        let status = ChildProcess.run([binary, "status", "--state-dir", lab.state])
        XCTAssertNotNil(status.output.range(of: #"exercise-cloud\s+skipped"#, options: .regularExpression), status.output)
        XCTAssertNotNil(status.output.range(of: #"\sdns\s+skipped"#, options: .regularExpression), status.output)
        // The log: a line per run, per finding (with its fix) and per command, with times; no secret.
        let log = try String(contentsOfFile: lab.state + "/atmo-connect.log", encoding: .utf8)
        for line in ["step prerequisites: run started", "step prerequisites: passed after", "step prerequisites: ok cloud.", "step exercise-cloud: skipped by the operator"] {
            XCTAssertTrue(log.contains(line), "\(line) in the log:\n\(log.suffix(3000))")
        }
        XCTAssertNotNil(log.range(of: #"(?m)^20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d"#, options: .regularExpression), "lines carry times")
        for secret in [lab.password, lab.atmoadmin, lab.providerSecret] { XCTAssertFalse(log.contains(secret)) }
    }

    /// Test mode against the demo's plain-http scenario: naming glance's exact http URL lets apply pass, with the
    /// warning in apply's output, status and the report; a token goes to no other http URL (naming another port refuses).
    func testTestModeSendsCredentialsOnlyToTheNamedHTTPEndpoints() throws {
        let lab = try Self.makeLab(try DemoScenario.named("plain-http-glance"))
        defer { lab.demo.shutdown() }
        let glance = "http://glance.demo.test:\(lab.demo.ports["image"] ?? 0)"
        let base = try String(contentsOfFile: lab.answers, encoding: .utf8)

        // Another port of the same host is not the endpoint the operator accepted: nothing goes there in clear.
        try (base + "cloud.allow_http: [http://glance.demo.test:1]\n").write(toFile: lab.answers, atomically: true, encoding: .utf8)
        let refused = ChildProcess.run(
            [binary, "apply", "--answers", lab.answers, "--state-dir", lab.work + "/refused-state", "--until", "prerequisites"],
            environment: lab.environment)
        XCTAssertEqual(refused.status, 1, refused.output)
        XCTAssertTrue(refused.output.contains("plain http: atmo-connect does not send the token over it"), refused.output)
        XCTAssertEqual(lab.demo.tokensOverPlainHTTP, 0, "no token to an http URL the operator did not name")

        try (base + "cloud.allow_http: [\(glance)]\n").write(toFile: lab.answers, atomically: true, encoding: .utf8)
        let run = ChildProcess.run(
            [binary, "apply", "--answers", lab.answers, "--state-dir", lab.state, "--until", "tls", "--skip", "exercise-cloud", "--skip", "dns"],
            environment: lab.environment)
        XCTAssertEqual(run.status, 0, run.output)
        let notice = "test mode: credentials sent in clear to \(glance)"
        XCTAssertTrue(run.output.contains("Warning: \(notice). Not for production."), run.output)
        XCTAssertFalse(run.output.contains("does not send the token over it"), "glance's images were checked over the named URL: \(run.output)")
        XCTAssertGreaterThan(lab.demo.tokensOverPlainHTTP, 0, "the named endpoint got its token (that is what test mode allows)")
        let status = ChildProcess.run([binary, "status", "--state-dir", lab.state])
        XCTAssertTrue(status.output.contains("Warning: \(notice)."), status.output)
        let json = ChildProcess.run([binary, "status", "--json", "--state-dir", lab.state])
        XCTAssertTrue(json.output.contains("\"test_mode_plain_http\" : [\n    \"\(glance)\"\n  ]"), json.output)
        let report = lab.work + "/test-mode-report.md"
        XCTAssertEqual(ChildProcess.run([binary, "export", "--report", report, "--state-dir", lab.state]).status, 0)
        XCTAssertTrue(try String(contentsOfFile: report, encoding: .utf8).contains("**Test mode: credentials sent in clear to \(glance).**"))
    }

    func testKillNineAtSeveralPointsThenResumeCompletes() throws {
        // Where to kill: while the smoke test's server boots, while its volume exists, and in a later step.
        let points: [(String, (DemoCloud) -> Bool, useconds_t)] = [
            ("the server booting", { $0.resourceCounts.servers == 1 }, 0),
            ("the volume existing", { $0.resourceCounts.volumes == 1 }, 0),
            ("a step after the smoke test", { $0.serversCreated == 1 && $0.resourceCounts == (0, 0, 0) }, 300_000),
        ]
        for (point, reached, extra) in points {
            let lab = try Self.makeLab()
            defer { lab.demo.shutdown() }
            let arguments = [binary, "apply", "--answers", lab.answers, "--state-dir", lab.state]
            let first = ChildProcess.start(arguments, environment: lab.environment)
            let deadline = Date().addingTimeInterval(60)
            while !reached(lab.demo), Date() < deadline { usleep(10_000) }
            usleep(extra)
            kill(first.pid, SIGKILL)
            let killed = first.wait()
            XCTAssertEqual(killed.signal, SIGKILL, "killed at \(point): \(first.output)")
            let status = ChildProcess.run([binary, "status", "--state-dir", lab.state]).output
            print("kill -9 at \(point):\n\(status)")
            let resumed = ChildProcess.run(arguments, environment: lab.environment)
            XCTAssertEqual(resumed.status, 0, "killed at \(point):\n\(resumed.output)")
            XCTAssertTrue(resumed.output.contains("All steps done."), resumed.output)
            XCTAssertTrue(lab.demo.resourceCounts == (0, 0, 0), "after a kill at \(point): \(lab.demo.resourceCounts)")
            let providers = (try? AtmosphereTree.rows(lab.tree, model: "Provider"))?.compactMap { $0["location"] as? String } ?? []
            XCTAssertEqual(providers, ["demo"], "the provider is added once")
            XCTAssertTrue(FileManager.default.fileExists(atPath: lab.work + "/report.md"))
            assertSound(lab, output: resumed.output, "kill at \(point)")
        }
    }
}

extension DemoApplyTests {
    /// --force-unlock of a live apply: the displaced run makes no further call to the cloud and no further write; the
    /// run that took over removes what the displaced one made and completes, nothing of its own deleted.
    func testForceUnlockFencesTheDisplacedRun() throws {
        let lab = try Self.makeLab()
        defer { lab.demo.shutdown() }
        lab.demo.set(buildSeconds: 8)
        let arguments = [binary, "apply", "--answers", lab.answers, "--state-dir", lab.state]
        let displaced = ChildProcess.start(arguments, environment: lab.environment)
        let deadline = Date().addingTimeInterval(60)
        while lab.demo.resourceCounts.0 < 1, Date() < deadline { usleep(20_000) }
        XCTAssertEqual(lab.demo.resourceCounts.0, 1, "the first run's server is booting: \(displaced.output)")
        let taker = ChildProcess.run(arguments + ["--force-unlock", "--yes"], environment: lab.environment)
        let first = displaced.wait()
        XCTAssertEqual(taker.status, 0, taker.output)
        XCTAssertTrue(taker.output.contains("All steps done."), taker.output)
        XCTAssertNotEqual(first.status, 0, first.output)
        XCTAssertTrue(first.output.contains("took over the state") || first.output.contains("took the state over"), first.output)
        XCTAssertFalse(first.output.contains("All steps done."), first.output)
        XCTAssertTrue(lab.demo.resourceCounts == (0, 0, 0), "everything made by either run is gone: \(lab.demo.resourceCounts)")
        let status = ChildProcess.run([binary, "status", "--state-dir", lab.state])
        XCTAssertEqual(status.status, 0, status.output)
        assertSound(lab, output: taker.output + first.output, "force-unlock")
    }
}

extension DemoApplyTests {
    /// Every child of a full apply (Atmosphere's scripts, their Python), watched through /proc while it runs: no secret in
    /// its environment or its command line, though the wizard's own environment holds three.
    func testNoChildOfAFullApplySeesASecret() throws {
        let lab = try Self.makeLab()
        defer { lab.demo.shutdown() }
        let apply = ChildProcess.start([binary, "apply", "--answers", lab.answers, "--state-dir", lab.state], environment: lab.environment)
        let secrets = [lab.password, lab.atmoadmin, lab.providerSecret].map { Data($0.utf8) }
        var seen: Set<Int32> = [], leaks: [String] = [], read = 0
        let wizard = URL(fileURLWithPath: binary).resolvingSymlinksInPath().path
        func parent(of pid: Int32) -> Int32? {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else {
                return nil
            }
            return stat[stat.index(close, offsetBy: 2)...].split(separator: " ").dropFirst().first.flatMap { Int32($0) }
        }
        func descends(_ pid: Int32) -> Bool {
            var current = pid
            for _ in 0..<8 {
                guard let up = parent(of: current), up > 1 else { return false }
                if up == apply.pid { return true }
                current = up
            }
            return false
        }
        var status: Int32 = 0
        while waitpid(apply.pid, &status, WNOHANG) == 0 {
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
                guard let pid = Int32(entry), pid != apply.pid, descends(pid) else { continue }
                // Between fork and exec a child is still the wizard (its memory, so its environment): that is no child's own.
                if (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")) == wizard { continue }
                seen.insert(pid)
                for file in ["environ", "cmdline"] {
                    // /proc files report size 0: read to the end, not by size.
                    let handle = FileHandle(forReadingAtPath: "/proc/\(pid)/\(file)")
                    let data = (try? handle?.readToEnd()) ?? Data()
                    try? handle?.close()
                    if data.count > 0 { read += 1 }
                    if secrets.contains(where: { data.range(of: $0) != nil }) { leaks.append("\(pid) \(file)") }
                }
            }
            usleep(5_000)
        }
        XCTAssertEqual((status >> 8) & 0xff, 0, apply.output)
        XCTAssertTrue(apply.output.contains("All steps done."), apply.output)
        XCTAssertGreaterThan(seen.count, 3, "the watch saw Atmosphere's scripts run")
        XCTAssertGreaterThan(read, 3, "and read their environments and command lines")
        XCTAssertEqual(leaks, [], "a secret in a child's environment or command line")
    }
}
