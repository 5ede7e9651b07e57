import StepEngine

/// Test mode: the operator named http endpoints of a test cloud that may receive credentials in clear
/// (`cloud.allow_http`); every screen, `status`, `apply` and the report say so.
public enum TestMode {
    /// The answer that names them.
    public static let key = "cloud.allow_http"

    /// The http endpoints the answers allow credentials to (empty outside test mode).
    public static func allowed(_ answers: [String: AnswerValue]) -> [String] {
        guard case let .list(urls)? = answers[key] else { return [] }
        return urls
    }

    /// The words shown in test mode; nil outside it.
    public static func notice(_ answers: [String: AnswerValue]) -> String? {
        let urls = allowed(answers)
        return urls.isEmpty ? nil : "test mode: credentials sent in clear to \(urls.joined(separator: ", "))"
    }
}
