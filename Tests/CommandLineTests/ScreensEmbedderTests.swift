import Foundation
import TestSupport
import XCTest

/// The screens are checked when the binary is built: the embedder the build runs refuses a screen that does not read
/// as one, naming its file and key, and writes nothing.
final class ScreensEmbedderTests: XCTestCase {
    func testABadScreenFailsTheBuildStepThatEmbedsIt() throws {
        let embedder = TestPaths.executable("screens-embedder")
        let screens = TestPaths.repository + "/screens"
        let names = try FileManager.default.contentsOfDirectory(atPath: screens).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertEqual(names.count, 15)
        let work = TestPaths.scratch("embed")
        let good = ChildProcess.run([embedder, work + "/good.swift"] + names.map { screens + "/" + $0 })
        XCTAssertEqual(good.status, 0, good.output)
        let generated = try String(contentsOfFile: work + "/good.swift", encoding: .utf8)
        for name in names { XCTAssertTrue(generated.contains("file: \"screens/\(name)\")"), name) }

        // The TLS screen with an input of a type no screen may have.
        let tls = try String(contentsOfFile: screens + "/05-tls.yaml", encoding: .utf8)
        XCTAssertTrue(tls.contains("type: text"))
        try tls.replacingOccurrences(of: "type: text", with: "type: colour").write(toFile: work + "/05-tls.yaml", atomically: true, encoding: .utf8)
        let bad = ChildProcess.run([embedder, work + "/bad.swift"] + names.map { $0 == "05-tls.yaml" ? work + "/" + $0 : screens + "/" + $0 })
        XCTAssertEqual(bad.status, 1, bad.output)
        XCTAssertTrue(bad.output.contains("screens/05-tls.yaml"), bad.output)
        XCTAssertTrue(bad.output.contains("colour"), bad.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/bad.swift"), "nothing is written for a bad screen")
    }
}
