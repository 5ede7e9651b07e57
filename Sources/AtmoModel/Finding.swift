/// One thing a check saw: what, where, how bad, what was expected and how to fix it.
public struct Finding: Sendable, Hashable, Codable {
    public var checkID: String
    public var target: String
    public var severity: Severity
    public var observed: String
    public var expected: String
    public var remedy: String

    /// Creates a finding.
    public init(checkID: String, target: String, severity: Severity, observed: String, expected: String = "", remedy: String = "") {
        self.checkID = checkID
        self.target = target
        self.severity = severity
        self.observed = observed
        self.expected = expected
        self.remedy = remedy
    }
}

/// What running a step produced.
public struct StepResult: Sendable, Hashable {
    public var outcome: AttemptOutcome
    public var message: String
    public var findings: [Finding]

    /// Creates a result.
    public init(outcome: AttemptOutcome, message: String, findings: [Finding] = []) {
        self.outcome = outcome
        self.message = message
        self.findings = findings
    }

    /// The outcome the findings call for: failed on any failure, warned on any warning, else passed.
    public static func from(findings: [Finding], message: String) -> StepResult {
        let worst = findings.map(\.severity).max() ?? .ok
        let outcome: AttemptOutcome = worst == .failure ? .failed : (worst == .warning ? .warned : .passed)
        return StepResult(outcome: outcome, message: message, findings: findings)
    }
}
