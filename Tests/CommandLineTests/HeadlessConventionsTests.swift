import Foundation
import StepEngine
import TestSupport
import XCTest

/// What a script or an operator's shell expects of a command-line tool: JSON for machines, a template to start an
/// unattended run from nothing, a man page and completions that install where their tools look.
final class HeadlessConventionsTests: XCTestCase {
    let binary = TestPaths.executable("atmo-connect")

    func run(_ arguments: [String], environment: [String: String] = [:]) -> ChildProcess.Finished {
        ChildProcess.run([binary] + arguments, environment: environment)
    }

    func json(_ output: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(output.utf8))
        return try XCTUnwrap(object as? [String: Any], output)
    }

    func testStatusAndSessionsSpeakJSON() throws {
        let state = TestPaths.scratch("json") + "/state"
        let empty = try json(run(["status", "--json", "--state-dir", state]).stdout)
        XCTAssertEqual((empty["sessions"] as? [Any])?.count, 0)
        XCTAssertNil(empty["steps"], "no session, no steps")

        let answers = TestPaths.scratch("json-answers") + "/answers.yaml"
        try "session.name: json-lab\n".write(toFile: answers, atomically: true, encoding: .utf8)
        let applied = run(["apply", "--answers", answers, "--state-dir", state, "--until", "welcome"])
        XCTAssertEqual(applied.status, 0, applied.output)

        let status = run(["status", "--json", "--state-dir", state])
        XCTAssertEqual(status.status, 0, status.output)
        let document = try json(status.stdout)
        XCTAssertEqual(document["session"] as? String, "json-lab")
        XCTAssertEqual(document["state"] as? String, state + "/state.db")
        let steps = try XCTUnwrap(document["steps"] as? [[String: Any]])
        XCTAssertEqual(steps.count, 15)
        XCTAssertEqual(steps.first?["id"] as? String, "welcome")
        XCTAssertEqual(steps.first?["status"] as? String, "passed")
        XCTAssertEqual((steps.first?["last_attempt"] as? [String: Any])?["outcome"] as? String, "passed")
        XCTAssertNotNil(ISO8601DateFormatter().date(from: (steps.first?["last_attempt"] as? [String: Any])?["started_at"] as? String ?? ""))
        XCTAssertEqual(steps[1]["status"] as? String, "pending")
        XCTAssertEqual(steps[2]["status"] as? String, "blocked")
        XCTAssertEqual(steps[2]["reason"] as? String, "waits for prerequisites (not run yet)")
        XCTAssertEqual(steps[2]["required"] as? Bool, false)

        let sessions = try json(run(["sessions", "--json", "--state-dir", state]).stdout)
        let listed = try XCTUnwrap(sessions["sessions"] as? [[String: Any]])
        XCTAssertEqual(listed.map { $0["name"] as? String }, ["json-lab"])
        XCTAssertEqual(listed.first?["current"] as? Bool, true)
        XCTAssertEqual(listed.first?["open_step"] as? String, "welcome")
        XCTAssertEqual(document["format"] as? String, "atmo-connect-status/2")
        XCTAssertEqual(sessions["format"] as? String, "atmo-connect-sessions/2")
        // One naming style across the commands' documents: snake_case, as check's.
        XCTAssertEqual(JSONKeys.notSnakeCase(document) + JSONKeys.notSnakeCase(sessions), [])
    }

    /// On a fresh machine `export --answers` writes the template of every key; filled in (here: every default
    /// uncommented, and a session name), it is an answers file `apply` takes.
    func testExportWithoutASessionWritesTheWholeTemplate() throws {
        let state = TestPaths.scratch("template") + "/state"
        let path = TestPaths.scratch("template-out") + "/answers.yaml"
        let export = run(["export", "--answers", path, "--state-dir", state])
        XCTAssertEqual(export.status, 0, export.output)
        XCTAssertTrue(export.output.contains("There is no session yet to export."), export.output)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let template = try String(contentsOfFile: path, encoding: .utf8)
        let keys = ["session.name", "cloud.openrc_path", "cloud.password", "atmoadmin.password", "provider.secret", "inventory.consent", "final.report_path"]
        for key in keys { XCTAssertTrue(template.contains("\n#\(key): "), "\(key) is in the template") }
        XCTAssertTrue(template.contains("#cloud.password: {from_env: ATMO_CLOUD_PASSWORD}"), "secrets by reference only")
        XCTAssertTrue(template.contains("(REQUIRED)"))
        XCTAssertFalse(template.split(separator: "\n").contains { !$0.hasPrefix("#") && !$0.isEmpty }, "every key is commented out")

        // Uncomment every default (a key with a value, not a secret), name the session: apply takes it.
        var filled = template.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.hasPrefix("#"), !line.hasPrefix("# "), !line.contains("{from_env:"), !line.hasSuffix(": ") else { return String(line) }
            return String(line.dropFirst())
        }
        filled = filled.map { $0.hasPrefix("#session.name:") ? "session.name: from-template" : $0 }
        let filledPath = TestPaths.scratch("template-filled") + "/answers.yaml"
        try filled.joined(separator: "\n").write(toFile: filledPath, atomically: true, encoding: .utf8)
        XCTAssertGreaterThan(filled.filter { !$0.hasPrefix("#") && !$0.isEmpty }.count, 20, "the defaults are real lines now")
        let applied = run(["apply", "--answers", filledPath, "--state-dir", state, "--until", "welcome"])
        XCTAssertEqual(applied.status, 0, applied.output)
        XCTAssertTrue(applied.output.contains("Done through welcome."), applied.output)

        let standardOutput = run(["export", "--template", "--state-dir", state])
        XCTAssertEqual(standardOutput.status, 0)
        XCTAssertTrue(standardOutput.output.hasPrefix("# atmo-connect answers file template"), "with a session, --template still writes it")
    }

    /// `make install-files` (what `make install` runs after the release build) puts the binaries, the man page and the
    /// completions where man, bash, zsh and fish look; the page renders without a warning and lists every command.
    func testManPageAndCompletionsInstall() throws {
        let prefix = TestPaths.scratch("prefix")
        let binaries = (binary as NSString).deletingLastPathComponent
        let install = ChildProcess.run(["/usr/bin/make", "-C", TestPaths.repository, "install-files", "BINARIES=\(binaries)", "PREFIX=\(prefix)"])
        XCTAssertEqual(install.status, 0, install.output)
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: prefix + "/bin/atmo-connect"))
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: prefix + "/bin/atmo-connect-demo"))
        let page = prefix + "/share/man/man1/atmo-connect.1"
        let rendered = ChildProcess.run(["/usr/bin/groff", "-man", "-Tutf8", "-ww", "-z", page])
        XCTAssertEqual(rendered.status, 0, rendered.output)
        XCTAssertEqual(rendered.output, "", "groff warns about nothing")
        // -P-cbou: plain text, no overstriking for bold and underline.
        let formatted = ChildProcess.run(["/usr/bin/groff", "-man", "-Tascii", "-P-cbou", page])
        XCTAssertEqual(formatted.status, 0, formatted.output)
        // groff justifies: words are compared with single spaces between them.
        let text = formatted.output.split(whereSeparator: { $0 == " " }).joined(separator: " ")
        for word in [
            "NAME", "SYNOPSIS", "EXIT STATUS", "atmo-connect apply", "atmo-connect check", "--skip", "--json", "wrong usage: an unknown option",
            "ENVIRONMENT", "OS_CLOUD", "OS_PASSWORD", "OS_CLIENT_CONFIG_FILE", "NO_COLOR", "XDG_STATE_HOME", "KEYS", "F10 or Ctrl-Q",
            "EXAMPLES", "atmo-connect check --os-cloud prod --format nagios",
        ] {
            XCTAssertTrue(text.contains(word), "\(word) in the man page:\n\(text.prefix(3000))")
        }
        let bash = prefix + "/share/bash-completion/completions/atmo-connect"
        XCTAssertEqual(ChildProcess.run(["/bin/bash", "-n", bash]).status, 0, "the bash completion parses")
        let completion = try String(contentsOfFile: bash, encoding: .utf8)
        for word in ["apply", "status", "--skip", "--state-dir"] { XCTAssertTrue(completion.contains(word), word) }
        XCTAssertTrue(try String(contentsOfFile: prefix + "/share/zsh/site-functions/_atmo-connect", encoding: .utf8).hasPrefix("#compdef atmo-connect"))
        XCTAssertTrue(try String(contentsOfFile: prefix + "/share/fish/vendor_completions.d/atmo-connect.fish", encoding: .utf8).contains("complete -c 'atmo-connect'"))
    }
}
