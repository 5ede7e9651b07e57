import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Times as atmo-connect writes and reads them, through the C library's calendar (tz database, `strftime`).
///
/// Foundation's `DateFormatter` and `ISO8601DateFormatter` take their month names and calendars from ICU's locale
/// data, which the tool does not depend on (see docs/ARCHITECTURE.md, "ICU data"): every time the tool
/// shows, stamps or parses goes through here, so the tests and the shipped binary format alike.
public enum TimeText {
    /// ISO 8601 in UTC to the second, as logs and reports give it: `2026-12-01T19:11:52Z`.
    public static func iso8601(_ date: Date) -> String {
        render(date, "%Y-%m-%dT%H:%M:%SZ", utc: true)
    }

    /// A stamp for a file name: ISO 8601 in UTC without colons, `2026-12-01T191152Z`.
    public static func fileStamp(_ date: Date) -> String {
        render(date, "%Y-%m-%dT%H%M%SZ", utc: true)
    }

    /// The UTC day, `2026-12-01`, as certificates' dates are talked about.
    public static func utcDay(_ date: Date) -> String {
        render(date, "%Y-%m-%d", utc: true)
    }

    /// The time on this machine's clock (TZ, else /etc/localtime), in a `strftime` pattern.
    /// - Parameters:
    ///   - date: the moment.
    ///   - pattern: a `strftime` pattern of numbers only (`%Y-%m-%d %H:%M:%S`), so no locale decides the text.
    public static func local(_ date: Date, _ pattern: String) -> String {
        render(date, pattern, utc: false)
    }

    /// A date as OpenSSL prints a certificate's validity (`Jan  1 00:00:00 2027 GMT`, runs of spaces allowed); nil
    /// when the text is not one.
    public static func certificateDate(_ text: String) -> Date? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 5, parts[4] == "GMT" || parts[4] == "UTC",
            let month = months.firstIndex(of: String(parts[0])),
            let day = Int(parts[1]), let year = Int(parts[3])
        else { return nil }
        let clock = parts[2].split(separator: ":", omittingEmptySubsequences: false).compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        return utcDate(year: year, month: month + 1, day: day, hour: clock[0], minute: clock[1], second: clock[2])
    }

    /// The moment of a UTC calendar date and time; nil when a field is out of its range.
    public static func utcDate(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute),
            (0...60).contains(second), (1...9999).contains(year)
        else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        // timegm normalises 31 February into March: such a date is not one.
        guard parts.tm_mday == Int32(day), parts.tm_mon == Int32(month - 1) else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static let zoneRead: Void = tzset()

    private static func render(_ date: Date, _ pattern: String, utc: Bool) -> String {
        _ = zoneRead
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        if utc { gmtime_r(&seconds, &parts) } else { localtime_r(&seconds, &parts) }
        var buffer = [CChar](repeating: 0, count: 128)
        let count = strftime(&buffer, buffer.count, pattern, &parts)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
