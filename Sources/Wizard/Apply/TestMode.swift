/// Test mode: the operator named http endpoints of a test cloud that may receive credentials in clear
/// (`cloud.allow_http`); every screen, `status`, `apply` and the report say so.
public enum TestMode {
    /// The words shown in test mode; nil outside it.
    public static func notice(_ allowed: [String]) -> String? {
        allowed.isEmpty ? nil : "test mode: credentials sent in clear to \(allowed.joined(separator: ", "))"
    }
}
