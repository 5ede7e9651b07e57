import AtmoModel
import Foundation
import TestSupport
import XCTest

/// What a write killed between its create and its rename leaves, found by name; a folder that cannot be read is an
/// error, never "none left".
final class PrivateFileTests: XCTestCase {
    func testLeftoversAreTheWritersOwnNamesForThatPathOnly() throws {
        let folder = TestPaths.scratch("leftovers")
        let path = folder + "/provider-42.json"
        let names = [
            ".provider-42.json.atmo-connect-abcdefghij12", ".provider-42.json.atmo-connect-short", ".provider-42.json.atmo-connect-ABCDEFGHIJ12",
            ".provider-4.json.atmo-connect-abcdefghij12", ".other.json.atmo-connect-abcdefghij12", "provider-42.json",
        ]
        for name in names { try "x".write(toFile: folder + "/" + name, atomically: false, encoding: .utf8) }
        XCTAssertEqual(try PrivateFile.leftovers(of: path), [folder + "/.provider-42.json.atmo-connect-abcdefghij12"])
        XCTAssertEqual(try PrivateFile.leftovers(of: folder + "/gone/provider.json"), [], "a folder that is not there holds none")
        XCTAssertThrowsError(try PrivateFile.leftovers(of: folder + "/provider-42.json/inside.json"), "a folder that cannot be listed") { error in
            XCTAssertTrue((error as? PrivateFile.WriteError)?.reason.contains("cannot be listed") ?? false, "\(error)")
        }
    }
}
