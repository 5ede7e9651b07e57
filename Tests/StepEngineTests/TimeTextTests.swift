import Foundation
import StepEngine
import XCTest

/// TimeText formats and parses through the C library; Foundation's ICU formatters (full data in this test process)
/// are the reference it must agree with, since the operator's binary carries no ICU locale data.
final class TimeTextTests: XCTestCase {
    /// Moments from 1970 to 2100, a leap day and the second before midnight among them.
    private var moments: [Date] {
        var dates = [0, 951_825_600, 1_709_251_199, 1_798_761_600, 4_102_444_799].map { Date(timeIntervalSince1970: $0) }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 { dates.append(Date(timeIntervalSince1970: TimeInterval(Int.random(in: 0...4_102_444_799, using: &generator)))) }
        return dates
    }

    func testISO8601AndTheUTCDayAgreeWithFoundation() {
        let iso = ISO8601DateFormatter()
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = TimeZone(identifier: "UTC")
        day.dateFormat = "yyyy-MM-dd"
        for date in moments {
            XCTAssertEqual(TimeText.iso8601(date), iso.string(from: date))
            XCTAssertEqual(TimeText.fileStamp(date), iso.string(from: date).replacingOccurrences(of: ":", with: ""))
            XCTAssertEqual(TimeText.utcDay(date), day.string(from: date))
        }
    }

    func testLocalTimeAgreesWithFoundationsClock() {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        for date in moments {
            XCTAssertEqual(TimeText.local(date, "%Y-%m-%d %H:%M:%S"), formatter.string(from: date))
        }
    }

    func testCertificateDatesAsOpenSSLPrintsThem() throws {
        let openssl = DateFormatter()
        openssl.locale = Locale(identifier: "en_US_POSIX")
        openssl.timeZone = TimeZone(identifier: "GMT")
        openssl.dateFormat = "MMM d HH:mm:ss yyyy"
        for date in moments {
            // OpenSSL pads the day with a space: "Jan  1 00:00:00 2027 GMT".
            var text = openssl.string(from: date) + " GMT"
            if text.split(separator: " ")[1].count == 1 { text = text.replacingOccurrences(of: " ", with: "  ", options: [], range: text.range(of: " ")) }
            XCTAssertEqual(TimeText.certificateDate(text), date, text)
        }
        XCTAssertEqual(TimeText.certificateDate("Jan  1 00:00:00 2027 GMT"), Date(timeIntervalSince1970: 1_798_761_600))
        for bad in ["Feb 30 00:00:00 2027 GMT", "Jan 1 24:00:00 2027 GMT", "Foo 1 00:00:00 2027 GMT", "Jan 1 00:00 2027 GMT", "Jan 1 00:00:00 2027 PST", ""] {
            XCTAssertNil(TimeText.certificateDate(bad), bad)
        }
    }

    func testTimeZoneNamesComeFromTheTzDatabase() {
        for name in ["Etc/UTC", "America/Phoenix", "America/Argentina/Buenos_Aires", "Etc/GMT+7"] { XCTAssertTrue(TimeZoneName.isValid(name), name) }
        for name in ["Mars/Olympus", "America/Phoenix\n- x", "{{ tz }}", "../etc", "", "America//Phoenix"] { XCTAssertFalse(TimeZoneName.isValid(name), name) }
    }
}
