import Foundation
import Logging
import StepEngine
import TestSupport
import XCTest

/// A secret typed in a test must appear nowhere in the database's bytes, the log file or an export.
final class SecretLeakTests: EngineTestCase {
    func testATypedSecretReachesNoFile() async throws {
        let secret = "Tr0ub4dor-&-3-leak-canary"
        try engine.setAnswers(SyntheticPlan.answers())
        try engine.setSecret(SecretValue(secret), for: "s2.password")
        XCTAssertThrowsError(try engine.setAnswers([Answer(key: "s2.password", value: .text(secret), source: .typed)]))
        try await complete("s1")
        // A step whose error message quotes the secret: the stored message and events are redacted.
        struct Leaky: Error, CustomStringConvertible { let text: String; var description: String { "login failed for password \(text)" } }
        let result = try await engine.run("s2") { throw Leaky(text: secret) }
        XCTAssertFalse(result.message.contains(secret))
        try store.appendEvent(session: engine.session.id, kind: EventKind(rawValue: "note"), detail: "operator typed \(secret)")

        let logPath = directory.logPath
        let makeHandler = try FileLogHandler.opening(path: logPath)
        var logger = Logger(label: "leak-test", factory: { label in makeHandler(label) })
        logger.logLevel = .debug
        logger.info("authenticating with \(secret) and \(SecretValue(secret))")

        let exportPath = directory.path + "/export.yaml"
        try AnswersFile.writePrivately(
            AnswersFile.render(
                sessionName: "test", sections: [AnswerSection(title: "All", inputs: engine.plan.inputs)],
                answers: try engine.storedAnswers()), to: exportPath)
        let needle = Data(secret.utf8)
        XCTAssertNil(TestPaths.bytes(ofDatabase: directory.databasePath).range(of: needle), "the database holds the secret")
        let log = try XCTUnwrap(FileManager.default.contents(atPath: logPath))
        XCTAssertNil(log.range(of: needle), "the log holds the secret")
        XCTAssertNotNil(log.range(of: Data(Redactor.mask.utf8)), "the log line was written, masked")
        XCTAssertNil(try XCTUnwrap(FileManager.default.contents(atPath: exportPath)).range(of: needle))
        XCTAssertEqual("\(SecretValue(secret))", Redactor.mask)
        XCTAssertFalse(String(reflecting: SecretValue(secret)).contains(secret))
    }
}
