import Foundation
import TestSupport
import XCTest

/// Hostile values for every answer whose meaning excludes them: the real binary refuses each at its line of the
/// answers file (exit 4) and stores nothing. What such answers accept comes out inert: see HostileValuesTests.
final class HostileAnswersTests: XCTestCase {
    let binary = TestPaths.executable("atmo-connect")

    /// What an attacker appends to a valid value: a new YAML line, Jinja, quotes, comments, shell, the remote block's
    /// markers and a here-document's end, NUL, a line separator, and sheer length.
    static let fragments: [(name: String, text: String)] = [
        ("yaml line", "\nansible_ssh_common_args: \"-o ProxyCommand=touch /tmp/atmo-pwned\""),
        ("jinja", "{{ lookup('pipe', 'touch /tmp/atmo-pwned') }}"), ("jinja block", "{% raw %}"), ("jinja comment", "{# x #}"),
        ("double quote", "\""), ("single quote", "'"), ("comment", " #x"), ("space", " x"), ("semicolon", ";id"),
        ("command substitution", "$(id)"), ("backticks", "`id`"), ("marker", "\nATMO-CONNECT-RESULT {\"ok\": true}"),
        ("heredoc end", ")\nATMO_CONNECT_EOF\nid\n"), ("NUL", "\u{0}x"), ("line separator", "\u{2028}x"), ("tab", "\tx"),
        ("very long", String(repeating: "a", count: 5000)),
    ]

    /// Each key with a valid value to start from, and the fragments its meaning allows (so they are no refusal).
    static let table: [(key: String, valid: String, list: Bool, allows: Set<String>)] = [
        ("session.name", "lab", false, []),
        ("cloud.resolve", "keystone.example.org:443:127.0.0.1", true, []),
        ("atmosphere.remote_host", "atmo@atmo.example.org", false, []),
        (
            "atmosphere.checkout", "/opt/dev/atmosphere", false,
            ["double quote", "single quote", "comment", "space", "semicolon", "command substitution", "backticks", "very long"]
        ),
        ("dns.floating_ranges", "203.0.113.0/24", true, []),
        ("dns.hostname_format", "vm%(three)s-%(four)s.example.org", false, []),
        ("dns.domain", "example.org", false, []),
        ("dns.server", "127.0.0.1:53", false, []),
        ("tls.api_hostname", "cloud.example.org", false, []),
        ("osa.atmosphere_network", "192.0.2.0/24", true, []),
        (
            "osa.cert_path", "/etc/ssl/cloud.pem", false,
            ["double quote", "single quote", "comment", "space", "semicolon", "command substitution", "backticks", "very long"]
        ),
        (
            "atmoadmin.user", "atmoadmin", false,
            [
                "double quote", "single quote", "comment", "space", "semicolon", "command substitution", "backticks", "very long", "jinja",
                "jinja block", "jinja comment",
            ]
        ),
        ("provider.name", "lab cloud", false, ["space"]),
        ("provider.dns_nameservers", "8.8.8.8", true, []),
        ("provider.hostname_format", "vm%(three)s-%(four)s.example.org", false, []),
        (
            "provider.public_routers", "public_router", true,
            [
                "double quote", "single quote", "comment", "space", "semicolon", "command substitution", "backticks", "very long", "jinja block",
                "jinja comment",
            ]
        ),
        (
            "provider.network_name", "ext-net", false,
            [
                "double quote", "single quote", "comment", "space", "semicolon", "command substitution", "backticks", "very long", "jinja",
                "jinja block", "jinja comment",
            ]
        ),
        ("accounts.users", "alice", true, ["very long"]),
        ("staff.users", "alice", true, ["very long"]),
        ("inventory.group", "atmosphere-lab", false, ["very long"]),
        ("inventory.hosts", "203.0.113.10-203.0.113.20", true, []),
        ("inventory.timezone", "America/Phoenix", false, []),
        ("inventory.guacamole_host", "192.0.2.5", false, []),
    ]

    /// A YAML scalar for `text`: JSON's string form is YAML's double-quoted scalar, so every character arrives as typed.
    static func scalar(_ text: String) throws -> String {
        String(decoding: try JSONEncoder().encode(text), as: UTF8.self)
    }

    func testEveryHostileValueIsRefusedAtItsLineAndNothingIsStored() throws {
        let state = TestPaths.scratch("hostile") + "/state"
        let answers = TestPaths.scratch("hostile-answers") + "/answers.yaml"
        var refused = 0
        for row in Self.table {
            for fragment in Self.fragments where !row.allows.contains(fragment.name) {
                let value = try Self.scalar(row.valid + fragment.text)
                let line = row.list ? "\(row.key): [\(value)]" : "\(row.key): \(value)"
                try (row.key == "session.name" ? line + "\n" : "session.name: lab\n\(line)\n").write(
                    toFile: answers, atomically: true, encoding: .utf8)
                let run = ChildProcess.run([binary, "apply", "--answers", answers, "--state-dir", state])
                XCTAssertEqual(run.status, 4, "\(row.key) with \(fragment.name): \(run.output)")
                XCTAssertTrue(
                    run.output.contains("answers.yaml:\(row.key == "session.name" ? 1 : 2): \(row.key)"),
                    "\(row.key) with \(fragment.name) names its line: \(run.output)")
                XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/atmo-pwned"))
                refused += 1
            }
            // The valid value itself is taken: the refusals above are the fragments', not the key's.
            let line = row.list ? "\(row.key): [\(try Self.scalar(row.valid))]" : "\(row.key): \(try Self.scalar(row.valid))"
            try (row.key == "session.name" ? line + "\n" : "session.name: lab\n\(line)\n").write(toFile: answers, atomically: true, encoding: .utf8)
            let check = ChildProcess.run([
                binary, "apply", "--answers", answers, "--state-dir", TestPaths.scratch("hostile-valid") + "/state", "--until", "welcome",
            ])
            XCTAssertEqual(check.status, 0, "\(row.key): \(row.valid) is valid: \(check.output)")
        }
        XCTAssertGreaterThan(refused, 250)
        let sessions = ChildProcess.run([binary, "sessions", "--state-dir", state])
        XCTAssertTrue(sessions.output.contains("No sessions yet"), "nothing was stored: \(sessions.output)")
    }
}
