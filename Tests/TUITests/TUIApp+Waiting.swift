import Foundation
import WizardTUI
import XCTest

extension XCTestCase {
    /// Takes in the app's events until `condition` holds (or `seconds` pass), then what that set off (the statuses read
    /// again after a step), as the loop does before a key.
    func wait(
        _ app: TUIApp, seconds: TimeInterval = 10, until condition: (WizardState) -> Bool, file: StaticString = #filePath, line: UInt = #line
    ) {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition(app.state) && Date() < deadline {
            app.processPendingEvents()
            usleep(5_000)
        }
        app.settle()
        XCTAssertTrue(
            condition(app.state), "timed out: overlay \(String(describing: app.state.overlay)); log \(app.state.log.suffix(5))", file: file, line: line)
    }
}
