import Foundation
import TestSupport
import XCTest

/// The ICU data the static binary links (Sources/CICUData) is the toolchain's own, item for item, under the symbol
/// the toolchain's udata looks for: a toolchain with another ICU, or an edited file, fails here rather than in an
/// operator's time zone.
final class ICUDataTests: XCTestCase {
    private let subset = TestPaths.repository + "/Sources/CICUData/data/icudt-subset.dat"

    func testTheSubsetIsTheToolchainsOwnItemsUnderItsSymbol() throws {
        let run = ChildProcess.run(["/usr/bin/python3", TestPaths.repository + "/scripts/icu-data-subset.py", "check", subset])
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("the toolchain's icudt"), run.output)
    }

    func testAnEditedSubsetIsRefused() throws {
        let scratch = TestPaths.scratch("icu")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try FileManager.default.createDirectory(atPath: scratch + "/data", withIntermediateDirectories: true)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: subset))
        bytes[bytes.count - 1] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: scratch + "/data/icudt-subset.dat"))
        try FileManager.default.copyItem(atPath: TestPaths.repository + "/Sources/CICUData/icu_data.S", toPath: scratch + "/icu_data.S")
        try FileManager.default.copyItem(
            atPath: TestPaths.repository + "/Sources/CICUData/data/icudt-subset.h", toPath: scratch + "/data/icudt-subset.h")
        let run = ChildProcess.run(["/usr/bin/python3", TestPaths.repository + "/scripts/icu-data-subset.py", "check", scratch + "/data/icudt-subset.dat"])
        XCTAssertEqual(run.status, 1, run.output)
        XCTAssertTrue(run.output.contains("run scripts/icu-data-subset.py write"), run.output)
    }
}
