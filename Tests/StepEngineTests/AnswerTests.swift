import Foundation
import StepEngine
import TestSupport
import XCTest

final class AnswerPrecedenceTests: XCTestCase {
    let previous = Answer(key: "k", value: .text("previous"), source: .typed)

    func testEachSourceWinsOverTheOnesBelowIt() {
        let all = AnswerCandidates(
            fromFile: .text("file"), previous: previous, derived: .text("derived"),
            generated: .text("generated"), staticDefault: .text("default"))
        XCTAssertEqual(AnswerResolver.resolve(all)?.value, .text("file"))
        XCTAssertEqual(AnswerResolver.resolve(all)?.source, .answersFile)
        var candidates = all
        candidates.fromFile = nil
        XCTAssertEqual(AnswerResolver.resolve(candidates)?.value, .text("previous"))
        XCTAssertEqual(AnswerResolver.resolve(candidates)?.source, .typed)
        candidates.previous = nil
        XCTAssertEqual(AnswerResolver.resolve(candidates)?.source, .derived)
        candidates.derived = nil
        XCTAssertEqual(AnswerResolver.resolve(candidates)?.source, .generated)
        candidates.generated = nil
        XCTAssertEqual(AnswerResolver.resolve(candidates)?.source, .default)
        candidates.staticDefault = nil
        XCTAssertNil(AnswerResolver.resolve(candidates))
    }

    func testAStoredDefaultIsWorkedOutAgainRatherThanKept() {
        let storedDefault = Answer(key: "k", value: .text("old-derived"), source: .derived)
        let resolved = AnswerResolver.resolve(AnswerCandidates(previous: storedDefault, derived: .text("new-derived")))
        XCTAssertEqual(resolved?.value, .text("new-derived"))
        let fromFileBefore = Answer(key: "k", value: .text("from-old-file"), source: .answersFile)
        XCTAssertEqual(AnswerResolver.resolve(AnswerCandidates(previous: fromFileBefore, derived: .text("d")))?.value, .text("from-old-file"))
    }
}

final class AnswersFileTests: XCTestCase {
    let inputs: [InputSpec] = [
        InputSpec(
            key: "session.name", label: "Session name", kind: .text, help: "name it",
            validation: InputValidation(pattern: "[a-z0-9-]+", patternMessage: "lowercase only")),
        InputSpec(key: "smoke.timeout", label: "Timeout", kind: .number, help: "seconds", validation: InputValidation(minimum: 30)),
        InputSpec(key: "provider.public", label: "Public", kind: .bool, help: "yes or no"),
        InputSpec(key: "provider.dns", label: "DNS", kind: .list, help: "servers"),
        InputSpec(key: "dns.ranges", label: "Ranges", kind: .ipRange, help: "ranges"),
        InputSpec(key: "provider.topology", label: "Topology", kind: .choice, help: "which", choices: ["A B", "C D"]),
        InputSpec(key: "credential.auth_url", label: "auth_url", kind: .url, help: "url"),
        InputSpec(key: "atmoadmin.password", label: "Password", kind: .secret, help: "secret"),
    ]

    func parse(_ text: String, private isPrivate: Bool = false) throws -> AnswersFile {
        try AnswersFile.parse(text, path: "answers.yaml", inputs: inputs, fileIsPrivate: isPrivate)
    }

    func assertProblem(_ text: String, line: Int?, key: String?, contains fragment: String, file: StaticString = #filePath, lineNumber: UInt = #line)
    {
        XCTAssertThrowsError(try parse(text), file: file, line: lineNumber) { error in
            guard let problem = error as? LocatedProblem else { return XCTFail("\(error)", file: file, line: lineNumber) }
            XCTAssertEqual(problem.path, "answers.yaml", file: file, line: lineNumber)
            XCTAssertEqual(problem.line, line, "\(problem)", file: file, line: lineNumber)
            XCTAssertEqual(problem.key, key, "\(problem)", file: file, line: lineNumber)
            XCTAssertTrue(problem.problem.contains(fragment), "\(problem)", file: file, line: lineNumber)
            XCTAssertFalse(problem.remedy.isEmpty, file: file, line: lineNumber)
        }
    }

    func testEveryKindParses() throws {
        let file = try parse(
            """
            session.name: lab
            smoke.timeout: 90
            provider.public: yes
            provider.dns: [8.8.8.8, 1.1.1.1]
            dns.ranges:
              - 192.0.2.0/28
              - 198.51.100.10-20
            provider.topology: C D
            credential.auth_url: https://cloud.example.org:5000
            """)
        XCTAssertEqual(file.values["session.name"], .text("lab"))
        XCTAssertEqual(file.values["smoke.timeout"], .integer(90))
        XCTAssertEqual(file.values["provider.public"], .bool(true))
        XCTAssertEqual(file.values["provider.dns"], .list(["8.8.8.8", "1.1.1.1"]))
        XCTAssertEqual(file.values["dns.ranges"], .list(["192.0.2.0/28", "198.51.100.10-20"]))
        XCTAssertEqual(file.values["provider.topology"], .text("C D"))
        XCTAssertEqual(file.lines["provider.topology"], 8)
    }

    func testMalformedYAMLNamesTheLine() {
        assertProblem("session.name: lab\nprovider.dns: [8.8.8.8\nsmoke.timeout: 5\n", line: 3, key: nil, contains: "not valid YAML")
    }

    func testUnknownKeyIsAnErrorWithASuggestion() throws {
        assertProblem("session.name: lab\nsesion.name: typo\n", line: 2, key: "sesion.name", contains: "unknown key")
        XCTAssertThrowsError(try parse("sesion.name: typo\n")) { error in
            XCTAssertTrue((error as? LocatedProblem)?.remedy.contains("Did you mean session.name?") ?? false)
        }
    }

    func testInvalidValuesNameLineAndKey() {
        assertProblem("session.name: Lab!\n", line: 1, key: "session.name", contains: "lowercase only")
        assertProblem("session.name: ok\nsmoke.timeout: soon\n", line: 2, key: "smoke.timeout", contains: "not a whole number")
        assertProblem("smoke.timeout: 5\n", line: 1, key: "smoke.timeout", contains: "at least 30")
        assertProblem("provider.public: maybe\n", line: 1, key: "provider.public", contains: "yes or no")
        assertProblem("provider.topology: E F\n", line: 1, key: "provider.topology", contains: "must be one of")
        assertProblem("dns.ranges: [192.0.2.300]\n", line: 1, key: "dns.ranges", contains: "not an IPv4 address")
        assertProblem("credential.auth_url: ftp://x\n", line: 1, key: "credential.auth_url", contains: "https://")
        assertProblem("session.name: [a, b]\n", line: 1, key: "session.name", contains: "found a list")
        assertProblem("session.name: a\nsession.name: b\n", line: 2, key: "session.name", contains: "more than once")
        assertProblem("- just\n- a list\n", line: 1, key: nil, contains: "expected a mapping")
    }

    func testSecretsNeedAReferenceUnlessTheFileIsPrivate() throws {
        assertProblem("atmoadmin.password: hunter2hunter2\n", line: 1, key: "atmoadmin.password", contains: "in clear")
        let literal = try parse("atmoadmin.password: hunter2hunter2\n", private: true)
        XCTAssertEqual(try literal.secrets["atmoadmin.password"]?.resolve(key: "atmoadmin.password").reveal(), "hunter2hunter2")
        let env = try parse("atmoadmin.password: {from_env: ATMO_PW}\n")
        XCTAssertEqual(env.secrets["atmoadmin.password"], .environment("ATMO_PW"))
        XCTAssertEqual(try env.secrets["atmoadmin.password"]?.resolve(key: "k", environment: ["ATMO_PW": "s3cr3t-value"]).reveal(), "s3cr3t-value")
        XCTAssertThrowsError(try env.secrets["atmoadmin.password"]?.resolve(key: "k", environment: [:]))
        assertProblem("atmoadmin.password: {from_vault: x}\n", line: 1, key: "atmoadmin.password", contains: "not a way")
    }

    func testSecretFilesMustBePrivate() throws {
        let path = TestPaths.scratch("secret") + "/pw"
        FileManager.default.createFile(atPath: path, contents: Data("file-secret-1\nignored\n".utf8), attributes: [.posixPermissions: 0o644])
        XCTAssertThrowsError(try SecretReference.file(path).resolve(key: "k")) { error in
            XCTAssertTrue((error as? SecretProblem)?.remedy == "chmod 600 \(path)")
        }
        chmod(path, 0o600)
        XCTAssertEqual(try SecretReference.file(path).resolve(key: "k").reveal(), "file-secret-1")
    }

    func testExportThenImportGivesTheSameAnswers() throws {
        let answers: [String: Answer] = [
            "session.name": Answer(key: "session.name", value: .text("lab"), source: .typed),
            "smoke.timeout": Answer(key: "smoke.timeout", value: .integer(600), source: .default),
            "provider.public": Answer(key: "provider.public", value: .bool(false), source: .answersFile),
            "provider.dns": Answer(key: "provider.dns", value: .list(["8.8.8.8", "quote\"d: #x"]), source: .typed),
            "provider.topology": Answer(key: "provider.topology", value: .text("A B"), source: .typed),
            "credential.auth_url": Answer(key: "credential.auth_url", value: .text("https://c.example.org:5000"), source: .derived),
        ]
        let text = AnswersFile.render(sessionName: "lab", sections: [AnswerSection(title: "All", inputs: inputs)], answers: answers)
        XCTAssertTrue(text.contains("# Session name: name it"))
        XCTAssertTrue(text.contains("# atmoadmin.password: {from_env: ATMO_ATMOADMIN_PASSWORD}"))
        let file = try parse(text)
        XCTAssertEqual(file.values, answers.mapValues(\.value))
        XCTAssertTrue(file.secrets.isEmpty)
    }

    /// Names that would look alike on screen and differ in Keystone or Atmosphere are refused, naming the code points:
    /// bidirectional overrides, invisible characters, and Latin mixed with Cyrillic or Greek in one word. One script,
    /// and Latin with its accents, pass.
    func testLookalikeNamesAreRefusedNamingTheCodePoints() {
        let user = InputSpec(key: "atmoadmin.user", label: "User", kind: .text, help: "name")
        let users = InputSpec(key: "accounts.users", label: "Users", kind: .list, help: "names")
        let refused: [(String, String)] = [
            ("adm\u{202E}ni", "U+202E"), ("ad\u{200B}min", "U+200B"), ("\u{2066}admin\u{2069}", "U+2066, U+2069"),
            ("\u{0430}dmin", "U+0430"), ("adm\u{03B9}n", "U+03B9"),
        ]
        for (value, named) in refused {
            let problem = user.problem(with: .text(value))?.message ?? ""
            XCTAssertTrue(problem.contains(named), "\(value.unicodeScalars.map { String($0.value, radix: 16) }): \(problem)")
            XCTAssertNotNil(users.problem(with: .list(["demo", value])), "in a list too")
        }
        for value in ["admin", "Grüße", "админ", "atmo admin", "ops-team_2"] {
            XCTAssertNil(user.problem(with: .text(value)), value)
        }
    }

    func testIPRanges() {
        XCTAssertEqual(IPRange("192.0.2.0/24")?.count, 256)
        XCTAssertEqual(IPRange("192.0.2.10-192.0.2.20")?.count, 11)
        XCTAssertEqual(IPRange("192.0.2.10-20")?.count, 11)
        XCTAssertEqual(IPRange("192.0.2.7")?.count, 1)
        XCTAssertNil(IPRange("192.0.2.20-10"))
        XCTAssertNil(IPRange("192.0.2/24"))
        XCTAssertNil(IPRange("192.0.2.0/33"))
    }
}
