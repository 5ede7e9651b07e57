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

extension Finding {
    /// One finding per fact: findings that say the same thing (severity, what was seen, the fix) about several targets
    /// become one, in the place of the first, naming every target it affects. An `ok` is never merged (each says what
    /// answered).
    public static func merged(_ findings: [Finding]) -> [Finding] {
        var result: [Finding] = []
        var targets: [Int: [String]] = [:]
        var index: [[String]: Int] = [:]
        for finding in findings {
            let fact = [finding.severity.rawValue, finding.observed, finding.remedy]
            if finding.severity != .ok, let first = index[fact] {
                if !(targets[first] ?? []).contains(finding.target) { targets[first, default: []].append(finding.target) }
                continue
            }
            if finding.severity != .ok { index[fact] = result.count }
            targets[result.count] = [finding.target]
            result.append(finding)
        }
        for (position, affected) in targets where affected.count > 1 {
            result[position].observed += " (affects \(affected.count): \(affected.joined(separator: ", ")))"
        }
        return result
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
