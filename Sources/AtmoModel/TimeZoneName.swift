import Foundation

/// A tz database name (`Etc/UTC`, `America/Phoenix`), as the Atmosphere inventory's timezone takes it.
public enum TimeZoneName {
    /// Whether the text is a zone the tz database knows, spelt as one: letters, digits and `_+-` in `/`-separated parts,
    /// so nothing in it is YAML or a template. The zones come from the time-zone data the binary carries (ICU's
    /// zoneinfo64), not from this machine's /usr/share/zoneinfo.
    public static func isValid(_ text: String) -> Bool {
        text.wholeMatch(of: #/[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*/#) != nil && TimeZone(identifier: text) != nil
    }
}
