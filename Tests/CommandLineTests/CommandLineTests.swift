import Foundation
import StepEngine
import TestSupport
import XCTest

/// The real atmo-connect binary, run as an operator would.
final class CommandLineTests: XCTestCase {
    let binary = TestPaths.executable("atmo-connect")
    var state: String!

    override func setUp() { state = TestPaths.scratch("cli") + "/state" }

    func run(_ arguments: [String], environment: [String: String] = [:]) -> ChildProcess.Finished {
        ChildProcess.run([binary] + arguments, environment: environment)
    }

    func writeAnswers(_ text: String, mode: Int = 0o644) -> String {
        let path = TestPaths.scratch("answers") + "/answers.yaml"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: mode])
        return path
    }

    /// An answer for a field its `when` leaves unused is kept and said, not dropped; `export` never writes a file
    /// `apply` would refuse (over 1 MiB).
    func testInactiveAnswersAreKeptAndExportStaysReadable() throws {
        let answers = writeAnswers(
            "session.name: lab\ncloud.openrc_path: /root/openrc\ndns.write_zone_files: false\ndns.zone_dir: /srv/zones\n")
        let applied = run(["apply", "--answers", answers, "--state-dir", state])
        XCTAssertTrue(
            applied.stdout.contains("Note: dns.zone_dir is kept, but not used while dns.write_zone_files is no"), applied.output)
        let exported = TestPaths.scratch("export") + "/answers.yaml"
        let export = run(["export", "--answers", exported, "--state-dir", state])
        XCTAssertEqual(export.status, 0, export.output)
        XCTAssertTrue(try String(contentsOfFile: exported, encoding: .utf8).contains("dns.zone_dir: \"/srv/zones\""), "kept in the export")

        // Answers just under apply's limit: their export, with its comments, would be over it.
        let users = (0..<112_000).map { String(format: "u%06d", $0) }.joined(separator: ", ")
        let big = writeAnswers("session.name: big\ncloud.openrc_path: /root/openrc\nstaff.users: [\(users)]\n")
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: big)[.size] as? Int)
        XCTAssertLessThan(size, 1 << 20, "apply reads it")
        let bigState = TestPaths.scratch("big-state")
        _ = run(["apply", "--answers", big, "--state-dir", bigState])
        let tooBig = TestPaths.scratch("big-export") + "/answers.yaml"
        let refused = run(["export", "--answers", tooBig, "--state-dir", bigState, "--session", "big"])
        XCTAssertEqual(refused.status, 4, refused.output)
        XCTAssertTrue(refused.stderr.contains("over the 1048576 (1 MiB) that apply reads; nothing was written (the largest is staff.users)"), refused.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: tooBig))
    }

    func testHelpVersionAndTheRefusalWithoutATerminal() {
        let help = run(["--help"])
        XCTAssertEqual(help.status, 0)
        for word in ["apply", "status", "sessions", "export", "reset", "Exit status (each command's --help lists its own):", "8   the full-screen wizard cannot start here", "check follows Nagios"] { XCTAssertTrue(help.output.contains(word), word) }
        XCTAssertEqual(run(["--version"]).output.trimmingCharacters(in: .whitespacesAndNewlines), "0.1.0")
        let bare = run([])
        XCTAssertEqual(bare.status, 8, "no terminal: 8 (2 is check's failures)")
        XCTAssertTrue(bare.output.contains("not a terminal") && bare.output.contains("atmo-connect apply --answers FILE"), bare.output)
    }

    /// libcurl and its ~30 libraries are loaded on the first request only: start-up of everything else stays short.
    func testLibcurlIsLoadedOnlyByCommandsThatSendARequest() throws {
        // The dynamic loader lists every library it maps (file=...) with LD_DEBUG=files.
        for arguments in [["--version"], ["status", "--state-dir", state!]] {
            let quiet = run(arguments, environment: ["LD_DEBUG": "files"])
            XCTAssertTrue(quiet.output.contains("file=libsqlite3.so.0"), "the loader's list is there: \(quiet.output.prefix(500))")
            XCTAssertFalse(quiet.output.contains("libcurl"), "\(arguments) maps libcurl")
        }
        let openrc = TestPaths.scratch("lazy-curl") + "/openrc"
        let port = TestPaths.unusedPort()
        try """
        export OS_AUTH_URL=https://127.0.0.1:\(port)/v3
        export OS_USERNAME=admin
        export OS_USER_DOMAIN_NAME=Default
        export OS_PROJECT_NAME=admin
        export OS_PROJECT_DOMAIN_NAME=Default

        """.write(toFile: openrc, atomically: true, encoding: .utf8)
        let check = run(["check", "--openrc", openrc, "--json"], environment: ["LD_DEBUG": "files", "OS_PASSWORD": "unused"])
        XCTAssertTrue(check.output.contains("file=libcurl.so.4"), "check loads libcurl when it sends its first request")
        XCTAssertTrue(check.output.contains("nothing answers on 127.0.0.1 port \(port)"), "and uses it: \(check.output.suffix(1500))")
    }

    /// `demo --serve-only` (for measuring the wizard apart from the demo cloud): the password only from the environment,
    /// answers a wizard can load, a clean stop on SIGTERM.
    func testTheDemoCloudServesAloneUntilSIGTERM() throws {
        let refused = run(["demo", "--serve-only"], environment: ["ATMO_CONNECT_DEMO_PASSWORD": ""])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.output.contains("needs ATMO_CONNECT_DEMO_PASSWORD"), refused.output)
        let password = "serve-" + UUID().uuidString
        let server = ChildProcess.start([binary, "demo", "--serve-only"], environment: ["ATMO_CONNECT_DEMO_PASSWORD": password])
        XCTAssertTrue(server.waitForOutput("the wizard's answers: ", timeout: 20), server.output)
        let answers = try XCTUnwrap(
            server.output.components(separatedBy: "the wizard's answers: ").last?
                .trimmingCharacters(in: .whitespacesAndNewlines))
        let text = try String(contentsOfFile: answers, encoding: .utf8)
        XCTAssertTrue(text.contains("cloud.password: {from_env: ATMO_CONNECT_DEMO_PASSWORD}"), text)
        XCTAssertFalse(text.contains(password), "the password stays in the environment")
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: answers)[.posixPermissions] as? Int), 0o600)
        // The served cloud takes the password: `check` with the answers' openrc and CA passes authentication.
        let openrc = try XCTUnwrap(text.components(separatedBy: "cloud.openrc_path: ").last?.components(separatedBy: "\n").first)
        let cacert = try XCTUnwrap(text.components(separatedBy: "cloud.cacert: ").last?.components(separatedBy: "\n").first)
        let resolve = try XCTUnwrap(text.components(separatedBy: "cloud.resolve: [").last?.components(separatedBy: "]").first)
            .components(separatedBy: ", ")
        let check = run(
            ["check", "--openrc", openrc, "--cacert", cacert, "--json"] + resolve.flatMap { ["--resolve", $0] },
            environment: ["OS_PASSWORD": password])
        XCTAssertTrue(check.output.contains("\"check\" : \"keystone.authenticate\"") && check.output.contains("token for admin"), check.output)
        kill(server.pid, SIGTERM)
        let stopped = server.wait()
        XCTAssertEqual(stopped.status, 0, "a clean stop: \(stopped.output)")
        XCTAssertNil(stopped.signal)
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: (answers as NSString).deletingLastPathComponent),
            "its folder (CA, openrc, sandbox) goes with it")
    }

    /// `demo --serve-only` stopped by SIGTERM, SIGINT or SIGHUP, even while it is still starting: its folder (the CA,
    /// the Atmosphere sandbox, the answers) is removed and TMPDIR is as empty as it was.
    func testTheDemoCloudLeavesNothingInTMPDIROnEveryStopSignal() throws {
        for (signal, early) in [(SIGTERM, false), (SIGINT, false), (SIGHUP, false), (SIGTERM, true)] {
            let temporary = TestPaths.scratch("serve-signal")
            let server = ChildProcess.start(
                [binary, "demo", "--serve-only"],
                environment: ["ATMO_CONNECT_DEMO_PASSWORD": "serve-" + UUID().uuidString, "TMPDIR": temporary + "/"])
            if early {
                // Before the ready line: while it makes the cloud and the sandbox.
                let deadline = Date().addingTimeInterval(10)
                while Date() < deadline, ((try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []).isEmpty { usleep(5_000) }
            } else {
                XCTAssertTrue(server.waitForOutput("the wizard's answers: ", timeout: 20), server.output)
            }
            XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty, "it works in TMPDIR")
            kill(server.pid, signal)
            let finished = server.wait()
            XCTAssertEqual(finished.status, 0, "signal \(signal), early \(early): \(finished.output)")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temporary), [], "signal \(signal), early \(early)")
        }
    }

    /// The operator's binary carries no server code: the demo cloud is the program beside it.
    /// Read in the files' bytes, not their symbol tables: a stripped binary (what `make install` ships, and what
    /// ATMO_TEST_BINARIES may name) has none, while Swift's type metadata still names every module linked in.
    func testTheOperatorsBinaryLinksNoServerCode() throws {
        let operatorBinary = try Data(contentsOf: URL(fileURLWithPath: binary))
        let demo = try Data(contentsOf: URL(fileURLWithPath: TestPaths.executable("atmo-connect-demo")))
        for marker in ["NIOPosix", "NIOSSL", "BoringSSL", "CNIOBoringSSL", "DemoCloud"] {
            XCTAssertNil(operatorBinary.range(of: Data(marker.utf8)), "\(marker) is linked into atmo-connect")
            XCTAssertNotNil(demo.range(of: Data(marker.utf8)), "and \(marker) is in atmo-connect-demo: the search sees it")
        }
    }

    func testApplyWithAtmosphereOnAnotherServerWaitsForTheSavedOutput() throws {
        let tree = try AtmosphereTree.make(old: true)
        let outputs = TestPaths.scratch("remote-out")
        chmod(outputs, 0o700)
        let answers = writeAnswers(
            """
            session.name: lab
            cloud.openrc_path: /root/openrc
            atmosphere.remote: true
            atmosphere.remote_outputs: \(outputs)
            atmosphere.checkout: \(tree)/atmosphere
            atmosphere.venv: \(tree)/env/atmo
            atmosphere.ansible_checkout: \(tree)/atmosphere-ansible

            """)
        let waiting = run(["apply", "--answers", answers, "--state-dir", state])
        XCTAssertEqual(waiting.status, 7, waiting.output)
        XCTAssertTrue(waiting.output.contains("Stopped at prerequisites: Atmosphere runs on another server"), waiting.output)
        XCTAssertTrue(waiting.output.contains("cd '\(tree)/atmosphere' || exit 1"), waiting.output)
        XCTAssertTrue(waiting.output.contains("save everything it printed as \(outputs)/prerequisites.txt"), waiting.output)
        let block = try String(contentsOfFile: outputs + "/prerequisites.sh", encoding: .utf8)

        // The operator runs the block there and saves the terminal's text; apply reads it and checks it.
        let printed = try RemoteShell.paste(block, home: TestPaths.scratch("home"))
        try printed.write(toFile: outputs + "/prerequisites.txt", atomically: true, encoding: .utf8)
        let checked = run(["apply", "--answers", answers, "--state-dir", state])
        XCTAssertEqual(checked.status, 1, "the cloud checks still fail here (no openrc): \(checked.output)")
        XCTAssertTrue(
            checked.output.contains("atmosphere.detect: \(tree)/atmosphere: Atmosphere at \(tree)/atmosphere: the guide's generation"), checked.output
        )
        XCTAssertFalse(checked.output.contains("no Atmosphere checkout"), checked.output)
        let exported = run(["export", "--state-dir", state])
        XCTAssertTrue(exported.output.contains("atmosphere.generation: \"guide\""), exported.output)
    }

    func testCommandsOnAnEmptyState() {
        let status = run(["status", "--state-dir", state])
        XCTAssertEqual(status.status, 0, status.output)
        XCTAssertTrue(status.output.contains("No sessions yet"))
        XCTAssertTrue(run(["sessions", "--state-dir", state]).output.contains("No sessions yet"))
        // Nothing to export yet: the template of every key, to start an unattended run from.
        let export = run(["export", "--state-dir", state])
        XCTAssertEqual(export.status, 0, export.output)
        XCTAssertTrue(export.output.hasPrefix("# atmo-connect answers file template"), export.output)
        let report = run(["export", "--report", state + "/../report.md", "--state-dir", state])
        XCTAssertEqual(report.status, 3, "a report needs a session")
        XCTAssertTrue(report.output.contains("There is no current session.") && report.output.contains("apply --answers"), report.output)
        XCTAssertEqual(run(["reset", "--yes", "--state-dir", state]).status, 3)
    }

    func testApplyStatusExportResetOnAPopulatedState() throws {
        let answers = writeAnswers("session.name: lab\ncloud.credentials_source: openrc\ncloud.openrc_path: /root/openrc\n")
        let apply = run(["apply", "--answers", answers, "--state-dir", state])
        XCTAssertEqual(apply.status, 1, apply.output)
        XCTAssertTrue(apply.output.contains("welcome            passed"), apply.output)
        XCTAssertTrue(apply.output.contains("cloud.credentials: /root/openrc: the openrc file cannot be read"), apply.output)
        XCTAssertTrue(apply.output.contains("atmosphere.detect: /opt/dev/atmosphere: no Atmosphere checkout on this server"), apply.output)
        XCTAssertTrue(apply.output.contains("Stopped: step prerequisites failed"), apply.output)

        let status = run(["status", "--state-dir", state])
        XCTAssertEqual(status.status, 0, status.output)
        XCTAssertTrue(status.output.contains("Sessions: lab (current)"), status.output)
        XCTAssertTrue(status.output.contains("Session lab, open at prerequisites"), status.output)
        XCTAssertNotNil(status.output.range(of: #"welcome\s+\*\s+passed"#, options: .regularExpression), status.output)
        XCTAssertNotNil(
            status.output.range(of: #"prerequisites\s+\*\s+failed\s+\S+ \S+ failed\s+failure"#, options: .regularExpression), status.output)
        XCTAssertNotNil(status.output.range(of: #"atmoadmin\s+\*\s+blocked"#, options: .regularExpression), status.output)

        let exported = TestPaths.scratch("export") + "/lab.yaml"
        let export = run(["export", "--answers", exported, "--state-dir", state])
        XCTAssertEqual(export.status, 0, export.output)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: exported)[.posixPermissions] as? Int, 0o600)
        let text = try String(contentsOfFile: exported, encoding: .utf8)
        XCTAssertTrue(text.contains("cloud.openrc_path: \"/root/openrc\""))
        XCTAssertTrue(text.contains("# cloud.password: {from_env: ATMO_CLOUD_PASSWORD}"))

        // The exported file is a valid answers file: a second state built from it holds the same answers.
        let other = TestPaths.scratch("cli2") + "/state"
        XCTAssertEqual(run(["apply", "--answers", exported, "--state-dir", other]).status, 1)
        let first = try StateStore(directory: StateDirectory(path: state))
        let second = try StateStore(directory: StateDirectory(path: other))
        let answersA = try first.answers(session: try XCTUnwrap(first.currentSession()?.id)).mapValues(\.value)
        let answersB = try second.answers(session: try XCTUnwrap(second.currentSession()?.id)).mapValues(\.value)
        XCTAssertEqual(answersA, answersB)

        let reset = run(["reset", "--step", "welcome", "--yes", "--state-dir", state])
        XCTAssertEqual(reset.status, 0, reset.output)
        XCTAssertNotNil(run(["status", "--state-dir", state]).output.range(of: #"welcome\s+\*\s+pending"#, options: .regularExpression))
        let declined = run(["reset", "--state-dir", state])
        XCTAssertEqual(declined.status, 1)
        XCTAssertTrue(declined.output.contains("rerun with --yes"), declined.output)
    }

    func testSessionsAreListedAndSwitched() {
        XCTAssertEqual(run(["apply", "--answers", writeAnswers("session.name: one\n"), "--state-dir", state]).status, 1)
        XCTAssertEqual(run(["apply", "--answers", writeAnswers("session.name: two\n"), "--state-dir", state]).status, 1)
        XCTAssertTrue(run(["sessions", "--state-dir", state]).output.contains("* two"))
        XCTAssertEqual(run(["sessions", "--switch", "one", "--state-dir", state]).status, 0)
        XCTAssertTrue(run(["sessions", "--state-dir", state]).output.contains("* one"))
        let missing = run(["sessions", "--switch", "three", "--state-dir", state])
        XCTAssertEqual(missing.status, 64, "a name the command line gave that does not exist is a usage error")
        XCTAssertTrue(missing.output.contains("known sessions: one, two"), missing.output)
        let noSession = run(["status", "--session", "NoSuch", "--state-dir", state])
        XCTAssertEqual(noSession.status, 64, noSession.output)
        let noStep = run(["apply", "--until", "no-such-step", "--answers", writeAnswers("session.name: one\n"), "--state-dir", state])
        XCTAssertEqual(noStep.status, 64, noStep.output)
        XCTAssertTrue(noStep.output.contains("no-such-step"), noStep.output)
    }

    func testBadStateDirectoryAndCorruptFiles() throws {
        let file = TestPaths.scratch("bad") + "/plain-file"
        FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        let notDir = run(["status", "--state-dir", file])
        XCTAssertEqual(notDir.status, 3)
        XCTAssertTrue(notDir.output.contains("is not a directory") && notDir.output.contains("--state-dir"), notDir.output)

        let corruptState = TestPaths.scratch("corrupt")
        FileManager.default.createFile(atPath: corruptState + "/state.db", contents: Data(repeating: 0x42, count: 4096))
        let corrupt = run(["status", "--state-dir", corruptState])
        XCTAssertEqual(corrupt.status, 3)
        XCTAssertTrue(corrupt.output.contains("not a valid atmo-connect state database") && corrupt.output.contains("mv "), corrupt.output)

        let badYAML = run(["apply", "--answers", writeAnswers("session.name: lab\nprovider.public: [yes\n"), "--state-dir", state])
        XCTAssertEqual(badYAML.status, 4)
        XCTAssertTrue(badYAML.output.contains("answers.yaml:3: not valid YAML"), badYAML.output)
        let unknown = run(["apply", "--answers", writeAnswers("session.name: lab\nprovider.publik: true\n"), "--state-dir", state])
        XCTAssertEqual(unknown.status, 4)
        XCTAssertTrue(
            unknown.output.contains("answers.yaml:2: provider.publik: unknown key") && unknown.output.contains("Did you mean provider.public?"),
            unknown.output)
        let missing = run(["apply", "--answers", "/nonexistent/answers.yaml", "--state-dir", state])
        XCTAssertEqual(missing.status, 4)
        XCTAssertTrue(missing.output.contains("/nonexistent/answers.yaml: the answers file cannot be read"), missing.output)
        XCTAssertTrue(run(["status", "--answers", writeAnswers("nope: 1\n"), "--state-dir", state]).output.contains("unknown key"))
    }

    func testASecondWriterIsRefusedWhileTheFirstHoldsTheLock() {
        let holder = ChildProcess.start([TestPaths.executable("engine-harness"), "hold-lock", state])
        defer { kill(holder.pid, SIGKILL); _ = holder.wait() }
        XCTAssertTrue(holder.waitForOutput("LOCKED"), holder.output)
        let refused = run(["apply", "--answers", writeAnswers("session.name: lab\n"), "--state-dir", state])
        XCTAssertEqual(refused.status, 3)
        XCTAssertTrue(refused.output.contains("Another atmo-connect (pid \(holder.pid)") && refused.output.contains("--force-unlock"), refused.output)
        let forced = run(["apply", "--force-unlock", "--yes", "--answers", writeAnswers("session.name: lab\n"), "--state-dir", state])
        XCTAssertEqual(forced.status, 1, forced.output)
        XCTAssertTrue(forced.output.contains("took over the state"), forced.output)
    }

    func testASecretFromTheEnvironmentIsInNoFile() throws {
        let secret = "canary-Secret-7f3e9a"
        let answers = writeAnswers("session.name: lab\ncloud.password: {from_env: OS_PASSWORD_TEST}\n")
        let apply = run(["apply", "--answers", answers, "--state-dir", state], environment: ["OS_PASSWORD_TEST": secret])
        XCTAssertEqual(apply.status, 1, apply.output)
        let exported = TestPaths.scratch("export") + "/out.yaml"
        XCTAssertEqual(run(["export", "--answers", exported, "--state-dir", state]).status, 0)
        let needle = Data(secret.utf8)
        XCTAssertNil(TestPaths.bytes(ofDatabase: state + "/state.db").range(of: needle))
        XCTAssertNil(try XCTUnwrap(FileManager.default.contents(atPath: state + "/atmo-connect.log")).range(of: needle))
        XCTAssertNil(try XCTUnwrap(FileManager.default.contents(atPath: exported)).range(of: needle))
        XCTAssertFalse(apply.output.contains(secret))
        let report = TestPaths.scratch("report") + "/report.md"
        let reported = run(["export", "--report", report, "--state-dir", state])
        XCTAssertEqual(reported.status, 0, reported.output)
        let markdown = try String(contentsOfFile: report, encoding: .utf8)
        XCTAssertTrue(markdown.contains("# atmo-connect report: lab"))
        XCTAssertTrue(markdown.contains("| Welcome and session | yes | passed |"), markdown)
        XCTAssertTrue(markdown.contains("| Prerequisites | yes | failed |"), markdown)
        XCTAssertTrue(markdown.contains("- **failure** `cloud.credentials`"), markdown)
        XCTAssertTrue(markdown.contains("- `cloud.password`: secret, never recorded"))
        XCTAssertFalse(markdown.contains(secret))
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: report)[.posixPermissions] as? Int, 0o600)
        let plain = run(["apply", "--answers", writeAnswers("session.name: lab\ncloud.password: \(secret)\n"), "--state-dir", state])
        XCTAssertEqual(plain.status, 4)
        XCTAssertTrue(plain.output.contains("in clear") && plain.output.contains("chmod 600"), plain.output)
        XCTAssertFalse(plain.output.contains(secret))
    }

    func testAnAnswersFileOverOneMebibyteIsRefusedUnread() throws {
        let path = writeAnswers("session.name: big\n# " + String(repeating: "x", count: 1 << 20) + "\n")
        let refused = run(["apply", "--answers", path, "--state-dir", state])
        XCTAssertEqual(refused.status, 4, refused.output)
        XCTAssertTrue(refused.output.contains("over the limit of 1048576 (1 MiB)"), refused.output)
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: state + "/state.db") && run(["sessions", "--state-dir", state]).output.contains("big"),
            "nothing of it was stored")
    }
}
