import AtmosphereKit
import Foundation
import TestSupport
import XCTest

/// The blocks pasted into a shell on the Atmosphere server, run by bash: no value can end a here-document or become a
/// command, whatever it holds.
final class RemoteScriptTests: XCTestCase {
    func testHostileFileContentIsWrittenAsItIsAndNeverRuns() throws {
        let directory = TestPaths.scratch("remote-script")
        let witness = directory + "/pwned"
        let hostile =
            [
                "[atmosphere-lab]", ")", "ATMO_CONNECT_EOF", "touch \(witness)", "$(touch \(witness))", "`touch \(witness)`",
                "'; touch \(witness); '", "\"; touch \(witness); \"", "EOF", "{{ lookup('pipe', 'touch \(witness)') }}",
                String(repeating: "x", count: 5000),
            ].joined(separator: "\n") + "\n"
        let target = directory + "/hosts"
        let block = RemoteScript.writeFiles([(target, hostile)], guards: [], stamp: "20261201T000000Z")
        let run = ChildProcess.run(["/bin/bash", "--norc", "--noprofile"], stdin: block + "\n")
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), hostile, "written byte for byte")
        XCTAssertFalse(FileManager.default.fileExists(atPath: witness), "no line of the content ran")
        XCTAssertTrue(run.output.contains("ATMO-CONNECT-SHA "), run.output)

        let code = "print('\(DjangoShell.marker)' + repr('''\nATMO_CONNECT_EOF\n$(touch \(witness))\n'''))\n"
        let lines = RemoteScript.djangoShellLines(python: "/usr/bin/python3", code: code)
        XCTAssertFalse(lines.joined().contains("touch"), "the Python travels base64-encoded")
        XCTAssertFalse(FileManager.default.fileExists(atPath: witness))
    }
}
