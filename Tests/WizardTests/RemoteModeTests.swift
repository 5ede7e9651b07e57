import AtmosphereKit
import CloudProbe
import DemoCloud
import Foundation
import StepEngine
import TestSupport
import Wizard
import XCTest

/// Atmosphere on another server: each Atmosphere step shows its block, a real bash on a pseudo-terminal runs it in a test
/// tree as an operator pasting it would, and the terminal's text goes back to the step to be checked.
final class RemoteModeTests: XCTestCase {
    struct Lab {
        var tree: String
        var home: String
        var outputs: String
        var engine: Engine
        var catalog: WizardCatalog
        var store: StateStore
        var statePath: String
        var password: String
        var providerSecret: String
        var cloud: DemoCloud
    }

    /// The demo cloud, whose admin is the provider's admin identity here, and an install of `generation` on "another server".
    func makeLab(_ generation: AtmosphereSandbox.Generation, trustsCloud: Bool = true) throws -> Lab {
        let inventoryDirectory = generation == .final
        let password = "remote-" + UUID().uuidString
        let cloud = try DemoCloud(directory: TestPaths.scratch("remote-cloud"), adminPassword: password)
        setenv("REMOTE_LAB_PASSWORD", password, 1)
        // cmart has logged in once: the window's add_new_accounts.py makes no AtmosphereUser (the final one does).
        let tree = try AtmosphereTree.make(generation, cloud: cloud, trustsCloud: trustsCloud, users: ["cmart"])
        let hostsPath = tree + (inventoryDirectory ? "/atmosphere-ansible/ansible/inventory/hosts" : "/atmosphere-ansible/ansible/hosts")
        try FileManager.default.createDirectory(atPath: (hostsPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "# site inventory\n[atmosphere]\natmo.example.org\n\n[other]\nhost1 # keep me\n".write(
            toFile: hostsPath, atomically: true, encoding: .utf8)
        let home = TestPaths.scratch("remote-home"), outputs = TestPaths.scratch("remote-out")
        // The operator's own folder, as atmo-connect makes it (the prerequisites refuse one open to others).
        chmod(outputs, 0o700)
        let catalog = try WizardCatalog.load()
        let statePath = TestPaths.scratch("remote-state") + "/state"
        let store = try StateStore(directory: StateDirectory(path: statePath))
        let engine = Engine(store: store, plan: catalog.plan, session: try store.createSession(named: "lab"))
        let answers = """
            session.name: lab
            atmosphere.remote: true
            atmosphere.remote_host: atmo@atmo.example.org
            atmosphere.remote_outputs: \(outputs)
            \(LabAnswers.atmosphere(tree))\(LabAnswers.cloud(cloud, passwordVariable: "REMOTE_LAB_PASSWORD"))provider.public_routers: [public_router]
            provider.json_path: \(home)/local-provider.json
            accounts.users: [cmart]
            staff.users: [cmart, nobody]
            inventory.hosts: [203.0.113.10-203.0.113.20]

            """
        let file = try AnswersFile.parse(answers, path: "a.yaml", inputs: catalog.plan.inputs, fileIsPrivate: false)
        let resolution = try AnswerResolution.resolve(catalog: catalog, file: file, stored: [:])
        for (key, secret) in resolution.secrets { try engine.setSecret(secret, for: key) }
        try engine.setAnswers(resolution.toStore)
        return Lab(
            tree: tree, home: home, outputs: outputs, engine: engine, catalog: catalog, store: store, statePath: statePath,
            password: try XCTUnwrap(engine.secret(for: "atmoadmin.password")).reveal(),
            providerSecret: try XCTUnwrap(engine.secret(for: "provider.secret")).reveal(), cloud: cloud)
    }

    /// The step's block, which must be asked for first, nothing done yet.
    func instructions(_ step: String, _ lab: Lab, file: StaticString = #filePath, line: UInt = #line) async throws -> RemoteInstructions {
        let screen = try XCTUnwrap(lab.catalog.screen(step))
        guard case let .needsRemoteOutput(instructions) = try await StepExecution.execute(screen, engine: lab.engine, catalog: lab.catalog) else {
            XCTFail(
                "\(step) should ask for the server's output: \(String(describing: try await StepExecution.execute(screen, engine: lab.engine, catalog: lab.catalog)))",
                file: file, line: line)
            throw XCTSkip()
        }
        return instructions
    }

    func check(_ step: String, _ output: String, _ lab: Lab) async throws -> StepResult {
        let screen = try XCTUnwrap(lab.catalog.screen(step))
        guard case let .finished(result) = try await StepExecution.execute(screen, engine: lab.engine, catalog: lab.catalog, remoteOutput: output)
        else {
            XCTFail("\(step) with output runs")
            throw XCTSkip()
        }
        return result
    }

    func testEveryAtmosphereStepOnAnotherServerOnBothGenerations() async throws {
        for generation in AtmosphereSandbox.Generation.allCases {
            let old = generation == .guide
            let lab = try makeLab(generation)
            defer { lab.cloud.shutdown() }
            let prerequisites = try await instructions("prerequisites", lab)
            XCTAssertTrue(prerequisites.script.contains("ATMO-CONNECT\"\"-PROBE"), prerequisites.script)
            XCTAssertEqual(prerequisites.scriptFile, lab.outputs + "/prerequisites.sh")
            XCTAssertEqual(try String(contentsOfFile: lab.outputs + "/prerequisites.sh", encoding: .utf8), prerequisites.script + "\n")
            let probed = try await check("prerequisites", try RemoteShell.paste(prerequisites.script, home: lab.home), lab)
            let detect = probed.findings.filter { $0.checkID == "atmosphere.detect" }
            XCTAssertEqual(detect.filter { $0.severity == .failure }, [], "\(detect)")
            let reached = detect.filter { $0.observed.hasPrefix("reached from the Atmosphere server") }.map(\.target)
            XCTAssertTrue(
                reached.contains { $0.contains("nova.demo.test") } && reached.contains { $0.contains("cinder.demo.test") },
                "every public endpoint is tried from the server: \(reached)")
            XCTAssertTrue(detect.contains { $0.observed.contains(old ? "the guide's generation" : "the later generation") }, "\(detect)")
            let values = try lab.engine.answerValues()
            XCTAssertEqual(values["atmosphere.generation"], .text(old ? "guide" : "current"))
            XCTAssertEqual(values["atmosphere.allocation_strategies"], .bool(generation != .final))
            XCTAssertEqual(values["atmosphere.inventory_directory"], .bool(generation == .final))

            // The provider: the JSON is written here (0600) for scp, never shown unmasked; the block runs add_new_provider.py there.
            let provider = try await instructions("provider", lab)
            let shown = provider.lines.joined(separator: "\n")
            XCTAssertFalse(shown.contains(lab.password) || shown.contains(lab.providerSecret), "the instructions mask the secrets")
            XCTAssertTrue(shown.contains("scp -p '\(lab.home)/local-provider.json' 'atmo@atmo.example.org:atmosphere-provider.json'"), shown)
            let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: lab.home + "/local-provider.json")[.posixPermissions] as? Int)
            XCTAssertEqual(mode, 0o600)
            try FileManager.default.copyItem(atPath: lab.home + "/local-provider.json", toPath: lab.home + "/atmosphere-provider.json")
            let replies: [(prompt: String, reply: String)] =
                old
                ? [("Select a platform type ([1]/2): ", "1"), ("Does everything above look correct? [Yes]/No", "yes")]
                : [("Does everything above look correct? [Yes]/No", "yes")]
            let pasted = try RemoteShell.paste(provider.script, replies: replies, home: lab.home)
            // The server's terminal never shows them: the review is printed masked there.
            XCTAssertFalse(pasted.contains(lab.password) || pasted.contains(lab.providerSecret), pasted)
            XCTAssertTrue(pasted.contains("'secret': '\(ReviewMask.mask)'") && pasted.contains("'password': '\(ReviewMask.mask)'"), pasted)
            XCTAssertTrue(pasted.contains("Does everything above look correct?"), "the script's own review, prompts as they are")
            // Saved for `apply` as the operator would, with a secret in it all the same (typed by hand there): masked once read.
            let kept = pasted + "\natmo$ echo \(lab.password)\n\(lab.password)\n"
            try kept.write(toFile: lab.outputs + "/provider.txt", atomically: true, encoding: .utf8)
            let added = try await check("provider", kept, lab)
            let saved = try String(contentsOfFile: lab.outputs + "/provider.txt", encoding: .utf8)
            XCTAssertFalse(saved.contains(lab.password) || saved.contains(lab.providerSecret), "the saved output is masked once read")
            XCTAssertTrue(saved.contains(Redactor.mask))
            XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: lab.outputs + "/provider.txt")[.posixPermissions] as? Int, 0o600)
            XCTAssertTrue(
                added.findings.contains { $0.checkID == "atmosphere.remote-output" && $0.observed.contains("masked in place") }, "\(added.findings)")
            XCTAssertEqual(added.outcome, .passed, "\(added.findings)\n\(pasted)")
            XCTAssertTrue(added.findings.contains { $0.observed == "provider id 1, admin identity admin" }, "\(added.findings)")
            XCTAssertEqual(try lab.engine.answerValues()["provider.id"], .integer(1))
            XCTAssertFalse(FileManager.default.fileExists(atPath: lab.home + "/local-provider.json"), "the local copy is deleted")
            XCTAssertFalse(FileManager.default.fileExists(atPath: lab.home + "/atmosphere-provider.json"), "the block removes the server's copy")

            // A second run: the block sees the provider and does not run the script again.
            _ = try await instructions("provider", lab)
            try FileManager.default.copyItem(atPath: lab.home + "/local-provider.json", toPath: lab.home + "/atmosphere-provider.json")
            let again = try await check("provider", try RemoteShell.paste(try await instructions("provider", lab).script, home: lab.home), lab)
            XCTAssertEqual(again.outcome, .passed, "\(again.findings)")
            XCTAssertTrue(again.findings.contains { $0.observed.hasPrefix("exists already") }, "\(again.findings)")
            XCTAssertEqual(try AtmosphereTree.rows(lab.tree, model: "Provider").count, 1, "added once")

            let accounts = try await instructions("accounts", lab)
            XCTAssertTrue(accounts.script.contains("'scripts/add_new_accounts.py' '--provider' '1' '--users' 'cmart'"), accounts.script)
            let accountsPaste = try RemoteShell.paste(accounts.script, home: lab.home)
            let granted = try await check("accounts", accountsPaste, lab)
            XCTAssertEqual(granted.findings.map(\.observed), ["has an identity on provider 1"], "\(generation) \(granted.findings)\n\(accountsPaste)")
            let before = try AtmosphereTree.snapshot(lab.tree)
            let twice = try await check("accounts", try RemoteShell.paste(accounts.script, home: lab.home), lab)
            XCTAssertEqual(twice.findings.map(\.observed), ["has an identity on provider 1"], "a second run is success")
            XCTAssertEqual(try AtmosphereTree.snapshot(lab.tree), before, "and changes nothing")

            let staff = try await instructions("staff", lab)
            let staffed = try await check("staff", try RemoteShell.paste(staff.script, home: lab.home), lab)
            XCTAssertEqual(staffed.findings.map(\.severity), [.ok, .failure, .info], "\(staffed.findings)")
            XCTAssertEqual(staffed.findings.dropFirst().first?.target, "nobody")

            let allocation = try await instructions("allocation", lab)
            let allocated = try await check("allocation", try RemoteShell.paste(allocation.script, home: lab.home), lab)
            XCTAssertEqual(allocated.outcome, .passed, "\(allocated.findings)")
            XCTAssertEqual(
                allocated.findings.first?.target, generation == .final ? "ALLOCATION_SOURCE_PLUGINS" : "provider 1", "\(allocated.findings)")

            let sync = try await instructions("sync", lab)
            XCTAssertTrue(
                sync.lines.contains { $0.trimmingCharacters(in: .whitespaces) == "result = monitoring.monitor_resources_for(1) or {}" },
                "the Python is shown as it runs: \(sync.lines)")
            XCTAssertTrue(sync.script.contains("base64 -d") && !sync.script.contains("<<"), "no here-document: \(sync.script)")
            let synced = try await check("sync", try RemoteShell.paste(sync.script, home: lab.home), lab)
            XCTAssertEqual(synced.findings.map(\.observed), ["imported 2 size(s), 1 image(s), 0 volume(s)"], "\(synced.findings)")

            try await checkInventory(lab, inventoryDirectory: generation == .final)
            try assertNoSecretKept(lab)
        }
    }

    func checkInventory(_ lab: Lab, inventoryDirectory: Bool) async throws {
        let hostsPath = lab.tree + (inventoryDirectory ? "/atmosphere-ansible/ansible/inventory/hosts" : "/atmosphere-ansible/ansible/hosts")
        let before = try String(contentsOfFile: hostsPath, encoding: .utf8)
        let inventory = try await instructions("inventory", lab)
        XCTAssertTrue(inventory.preview.contains("+ [atmosphere-lab]"), inventory.preview.joined(separator: "\n"))
        let written = try await check("inventory", try RemoteShell.paste(inventory.script, home: lab.home), lab)
        XCTAssertEqual(written.outcome, .passed, "\(written.findings)")
        let hosts = try String(contentsOfFile: hostsPath, encoding: .utf8)
        XCTAssertTrue(hosts.hasPrefix("# site inventory\n[atmosphere]\natmo.example.org\n"), hosts)
        XCTAssertTrue(hosts.contains("host1 # keep me"), hosts)
        XCTAssertTrue(hosts.contains("[atmosphere:children]\natmosphere-lab") || hosts.contains("atmosphere-lab\n"), hosts)
        XCTAssertTrue(hosts.contains("[atmosphere-lab]\n203.0.113.[10:20] ansible_port=22\n"), "no DNS names given: the IP ranges: \(hosts)")
        let directory = (hostsPath as NSString).deletingLastPathComponent
        let backups = try FileManager.default.contentsOfDirectory(atPath: directory).filter {
            $0.hasPrefix("hosts.atmo-connect-") && $0.hasSuffix(".bak")
        }
        XCTAssertEqual(backups.count, 1)
        XCTAssertEqual(try String(contentsOfFile: directory + "/" + backups[0], encoding: .utf8), before)

        // The probe read the old file: the server's file has changed since, so the block refuses to write.
        let stale = try await check("inventory", try RemoteShell.paste(inventory.script, home: lab.home), lab)
        XCTAssertEqual(stale.outcome, .failed)
        XCTAssertTrue(stale.findings.contains { $0.observed.contains("changed on the server since the probe") }, "\(stale.findings)")

        // After a new probe the same block changes nothing: no new backup.
        let probe = try await instructions("prerequisites", lab)
        _ = try await check("prerequisites", try RemoteShell.paste(probe.script, home: lab.home), lab)
        let rerun = try await check("inventory", try RemoteShell.paste(try await instructions("inventory", lab).script, home: lab.home), lab)
        XCTAssertEqual(rerun.outcome, .passed, "\(rerun.findings)")
        XCTAssertEqual(try String(contentsOfFile: hostsPath, encoding: .utf8), hosts)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".bak") }.count, 1)
    }

    func assertNoSecretKept(_ lab: Lab) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: lab.statePath) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: lab.statePath + "/" + name))
            let text = String(decoding: bytes, as: UTF8.self)
            XCTAssertFalse(text.contains(lab.password), "the atmoadmin password is in \(name)")
            XCTAssertFalse(text.contains(lab.providerSecret), "the provider secret is in \(name)")
        }
        let events = try lab.store.events(session: lab.engine.session.id, limit: 1000).filter { $0.kind == "remote-output" }
        XCTAssertTrue(events.contains { $0.stepID == "provider" && $0.detail.contains(Redactor.mask) }, "the provider's output is kept masked")
    }

    /// The blocks run Python as Atmosphere runs (env -i, the local allow-list): a CA bundle in the pasting shell counts
    /// for nothing. With REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE set to a bundle without the cloud's CA, a server that
    /// trusts the cloud (certifi holds its CA) passes, as in local mode; with them set to the cloud's CA, a server that
    /// does not trust it still fails, naming each URL. Both say which trust store the server's Python used.
    func testTheShellsCABundleCountsForNothing() async throws {
        let hostile = ["REQUESTS_CA_BUNDLE": "/etc/ssl/certs/ca-certificates.crt", "CURL_CA_BUNDLE": "/etc/ssl/certs/ca-certificates.crt"]
        let trusting = try makeLab(.final)
        defer { trusting.cloud.shutdown() }
        let prerequisites = try await instructions("prerequisites", trusting)
        XCTAssertTrue(prerequisites.script.contains("atmo_env() { env -i "), prerequisites.script)
        let passed = try await check("prerequisites", try RemoteShell.paste(prerequisites.script, home: trusting.home, environment: hostile), trusting)
        let detect = passed.findings.filter { $0.checkID == "atmosphere.detect" }
        XCTAssertEqual(detect.filter { $0.severity == .failure }, [], "\(detect)")
        XCTAssertTrue(detect.contains { $0.severity == .ok && $0.observed.hasPrefix("reached from the Atmosphere server") }, "\(detect)")
        XCTAssertTrue(detect.contains { $0.observed.contains("trusts the CAs in") && $0.observed.contains("certifi") }, "\(detect)")

        let distrusting = try makeLab(.final, trustsCloud: false)
        defer { distrusting.cloud.shutdown() }
        let cloudCA = ["REQUESTS_CA_BUNDLE": distrusting.cloud.caBundle, "CURL_CA_BUNDLE": distrusting.cloud.caBundle]
        let probe = try await instructions("prerequisites", distrusting)
        let failed = try await check("prerequisites", try RemoteShell.paste(probe.script, home: distrusting.home, environment: cloudCA), distrusting)
        let unreached = failed.findings.filter { $0.checkID == "atmosphere.detect" && $0.severity == .failure }
        XCTAssertFalse(unreached.isEmpty, "no false pass from the shell's bundle: \(failed.findings)")
        for finding in unreached where finding.observed.contains("does not trust the certificate of") {
            XCTAssertTrue(finding.observed.contains("does not trust the certificate of \(finding.target)."), "names the URL that failed: \(finding.observed)")
        }
    }

    func testFailuresAreRecognisedInPastedOutput() async throws {
        let lab = try makeLab(.window, trustsCloud: false)
        defer { lab.cloud.shutdown() }
        let probed = try await check("prerequisites", try RemoteShell.paste(try await instructions("prerequisites", lab).script, home: lab.home), lab)
        let unreached = probed.findings.filter { $0.checkID == "atmosphere.detect" && $0.severity == .failure }
        XCTAssertTrue(
            unreached.contains { $0.target.contains("glance.demo.test") && $0.remedy.contains("REQUESTS_CA_BUNDLE") },
            "the probe names each endpoint the server does not trust: \(unreached)")
        let provider = try await instructions("provider", lab)
        try FileManager.default.copyItem(atPath: lab.home + "/local-provider.json", toPath: lab.home + "/atmosphere-provider.json")
        let before = try AtmosphereTree.snapshot(lab.tree)
        let pasted = try RemoteShell.paste(
            provider.script,
            replies: [
                ("Does everything above look correct? [Yes]/No", "yes"),
                ("Does everything above look correct? [Yes]/No", "no"),
                ("What section should be removed? 1, 2, 3, exit, [back]", "exit"),
            ],
            home: lab.home)
        let failed = try await check("provider", pasted, lab)
        XCTAssertEqual(failed.outcome, .failed)
        XCTAssertTrue(failed.findings.contains { $0.observed.contains("does not trust the certificate") }, "\(failed.findings)\n\(pasted)")
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: lab.home + "/local-provider.json"), "deleted on failure too; the next block writes it again")
        XCTAssertTrue(
            failed.findings.contains { $0.observed.contains("add_new_provider.py was not run") && $0.remedy.contains("REQUESTS_CA_BUNDLE") },
            "the server's own trust store was asked first: \(failed.findings)")
        XCTAssertEqual(try AtmosphereTree.snapshot(lab.tree), before, "Atmosphere's database is unchanged")
        XCTAssertFalse(FileManager.default.fileExists(atPath: lab.home + "/atmosphere-provider.json"), "the block removed the server's copy")

        let nothing = try await check("provider", "", lab)
        XCTAssertEqual(nothing.findings.first?.observed, "nothing was pasted")
        let partial = try await check("sync", "Python 3.8\n>>> Traceback (most recent call last):\nNameError: name 'x'\n", lab)
        XCTAssertEqual(partial.outcome, .failed)
        let wrong = try await check("prerequisites", "bash: cd: /opt/dev/atmosphere: No such file or directory\n", lab)
        XCTAssertTrue(wrong.findings.contains { $0.observed.contains("no probe lines") }, "\(wrong.findings)")
    }

    /// With Atmosphere elsewhere, the smoke test's floating IP must answer there too: the test keeps its server while the
    /// operator runs a block on the Atmosphere server (a real bash running the virtualenv's Python), then removes it.
    func testTheSmokeTestsFloatingIPIsCheckedFromTheAtmosphereServer() async throws {
        let lab = try makeLab(.final)
        defer { lab.cloud.shutdown() }
        let screen = try XCTUnwrap(lab.catalog.screen("exercise-cloud"))
        let port = lab.cloud.sshPort
        try lab.engine.setAnswers([
            Answer(key: "smoke.ssh_port", value: .integer(port), source: .typed),
            Answer(key: "smoke.timeout_seconds", value: .integer(60), source: .typed),
            Answer(key: "smoke.reach_seconds", value: .integer(2), source: .typed),
        ])
        func run(_ output: String? = nil) async throws -> StepExecution.Outcome {
            try await StepExecution.execute(screen, engine: lab.engine, catalog: lab.catalog, consent: true, remoteOutput: output)
        }
        func held() async throws -> (RemoteInstructions, address: String) {
            let outcome = try await run()
            guard case let .needsRemoteOutput(block) = outcome else {
                XCTFail("the test is kept for the server's check: \(outcome)"); throw XCTSkip()
            }
            let summary = block.summary.joined(separator: " ")
            let address = try XCTUnwrap(summary.firstMatch(of: /answers TCP \d+ at (\S+) from here/)?.1).description
            return (block, address)
        }
        guard case let .needsConsent(plan) = try await StepExecution.execute(screen, engine: lab.engine, catalog: lab.catalog) else {
            return XCTFail("a preview comes first")
        }
        XCTAssertTrue(plan.changes.contains { $0.contains("a check from the Atmosphere server that TCP \(port) answers") }, "\(plan.changes)")
        XCTAssertEqual(lab.cloud.serversCreated, 0)

        let (block, address) = try await held()
        XCTAssertEqual(lab.cloud.resourceCounts.servers, 1)
        XCTAssertEqual(lab.cloud.resourceCounts.floatingIPs, 1)
        XCTAssertEqual(lab.cloud.resourceCounts.volumes, 1, "kept while the server checks")
        XCTAssertEqual(block.scriptFile, lab.outputs + "/exercise-cloud.sh")
        XCTAssertTrue(
            block.script.contains(RemoteScript.quote(address)) && block.script.contains(RemoteScript.quote(lab.tree + "/env/atmo/bin/python")),
            block.script)
        let (again, _) = try await held()
        XCTAssertEqual(again.script, block.script, "asked again: the same block")
        XCTAssertEqual(lab.cloud.serversCreated, 1, "and no second server")

        let pasted = try RemoteShell.paste(block.script, home: lab.home)
        guard case let .finished(passed) = try await run(pasted) else { return XCTFail("the pasted output is checked") }
        XCTAssertEqual(passed.outcome, .passed, "\(passed.findings)\n\(pasted)")
        XCTAssertTrue(
            passed.findings.contains { $0.target == "\(address):\(port) from the Atmosphere server" && $0.severity == .ok }, "\(passed.findings)")
        XCTAssertTrue(passed.findings.contains { $0.observed.contains("ACTIVE after") }, "the first half's findings are kept: \(passed.findings)")
        XCTAssertEqual(passed.findings.filter { $0.observed == "removed" }.count, 4, "attachment, volume, floating IP, server: \(passed.findings)")
        XCTAssertEqual(lab.cloud.resourceCounts.servers + lab.cloud.resourceCounts.floatingIPs + lab.cloud.resourceCounts.volumes, 0)

        // A firewall between the Atmosphere server and the floating range: it answers here, not there.
        let (second, secondAddress) = try await held()
        XCTAssertTrue(SSHProbe.greet(address: secondAddress, port: port, timeout: 1).isSSH, "answers before")
        lab.cloud.stopAnswering(at: secondAddress)
        XCTAssertFalse(SSHProbe.greet(address: secondAddress, port: port, timeout: 1).isSSH, "and not after")
        let started = Date()
        let refused = try RemoteShell.paste(second.script, home: lab.home)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 2, "the server kept trying for smoke.reach_seconds")
        XCTAssertTrue(second.summary.joined().contains("it tries for up to 2 s (smoke.reach_seconds)"), "\(second.summary)")
        guard case let .finished(failed) = try await run(refused) else { return XCTFail("checked") }
        XCTAssertEqual(failed.outcome, .failed)
        let unreached = try XCTUnwrap(failed.findings.first { $0.target == "\(secondAddress):\(port) from the Atmosphere server" })
        XCTAssertTrue(
            unreached.observed.contains("does not answer there") && unreached.observed.contains("ConnectionRefusedError"), unreached.observed)
        XCTAssertTrue(unreached.remedy.contains("route to the floating range"), unreached.remedy)
        XCTAssertEqual(
            lab.cloud.resourceCounts.servers + lab.cloud.resourceCounts.floatingIPs + lab.cloud.resourceCounts.volumes, 0, "removed all the same")

        // An earlier test's output is no answer to this one: pasted, it fails (and the test goes); saved for apply, it is not read.
        _ = try await held()
        guard case let .finished(stale) = try await run(pasted) else { return XCTFail("checked") }
        XCTAssertTrue(stale.findings.contains { $0.observed.contains("from another test") }, "\(stale.findings)")
        XCTAssertEqual(lab.cloud.resourceCounts.servers, 0)

        try lab.engine.setAnswers([Answer(key: "smoke.consent", value: .bool(true), source: .typed)])
        // The probe's output saved as the operator would: apply runs the steps before it, then keeps a test for the server.
        try RemoteShell.paste(try await instructions("prerequisites", lab).script, home: lab.home)
            .write(toFile: lab.outputs + "/prerequisites.txt", atomically: true, encoding: .utf8)
        let apply = UnattendedApply(engine: lab.engine, catalog: lab.catalog)
        guard case let .needsRemoteOutput("exercise-cloud", _, outputFile?) = try await apply.run(until: "exercise-cloud", progress: { _ in }) else {
            return XCTFail("apply stops for the server's output: \(try lab.engine.states().map { "\($0.stepID) \($0.status)" })")
        }
        try pasted.write(toFile: outputFile, atomically: true, encoding: .utf8)
        var lines: [String] = []
        let rerun = try await apply.run(until: "exercise-cloud", progress: { lines.append("\($0.step) \($0.status) \($0.message)") })
        guard case .needsRemoteOutput("exercise-cloud", _, _) = rerun else {
            return XCTFail("a stale output is not read: \(rerun)\n\(lines.filter { !$0.contains(" ok ") }.joined(separator: "\n"))")
        }
        XCTAssertEqual(lab.cloud.resourceCounts.servers, 1, "still kept")
        let (current, _) = try await held()
        try RemoteShell.paste(current.script, home: lab.home).write(toFile: outputFile, atomically: true, encoding: .utf8)
        let stop = try await apply.run(until: "exercise-cloud", progress: { _ in })
        XCTAssertEqual(stop, .completed)
        XCTAssertEqual(lab.cloud.resourceCounts.servers, 0)
    }
}
