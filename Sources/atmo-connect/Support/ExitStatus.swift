import ArgumentParser

/// The exit statuses of the commands; each command's `--help` lists the ones it can end with.
enum ExitStatus: Int32, CaseIterable {
    case success = 0
    case stepFailed = 1
    /// check only (Nagios' CRITICAL); no other command gives 2 a meaning.
    case checkFailed = 2
    case stateProblem = 3
    case answersProblem = 4
    case notAvailable = 5
    case needsConsent = 6
    case needsRemoteOutput = 7
    /// The full-screen wizard cannot start here (no terminal, or one it cannot drive); not 2, which is check's.
    case noTerminal = 8
    /// A usage error (sysexits' EX_USAGE), as ArgumentParser's own: an unknown step, session or option value.
    case usage = 64

    var code: ExitCode { ExitCode(rawValue) }

    /// What the status means, in a line that fits 80 columns under its number (ArgumentParser wraps a longer one to
    /// column 0). `check` keeps the Nagios convention: 0 ok, 1 warning, 2 critical, 3 unknown.
    func meaning(forCheck check: Bool) -> String {
        switch (self, check) {
        case (.success, false): "done"
        case (.success, true): "OK: every finding ok"
        case (.stepFailed, false): "a step failed, or the operator declined"
        case (.stepFailed, true): "WARNING: warnings, no failure"
        case (.checkFailed, _): "CRITICAL: a failure, or Keystone does not answer (the cloud is down)"
        case (.stateProblem, false): "the state directory or database cannot be used, or another run holds it"
        case (.stateProblem, true): "UNKNOWN: the check could not run (bad input, an unreadable openrc,\n      a certificate not trusted here, credentials refused)"
        case (.answersProblem, _): "the answers file is invalid, or answers are missing"
        case (.notAvailable, _): "a step's verification is not available in this build"
        case (.needsConsent, _): "a step would change things and the answers do not consent (KEY.consent)"
        case (.needsRemoteOutput, _): "a step waits for its commands' output from the Atmosphere server"
        case (.noTerminal, _): "the full-screen wizard cannot start here (no terminal, or TERM unusable)"
        case (.usage, _): "wrong usage: an unknown option, step or session"
        }
    }

    /// The "Exit status" section of a command's help: only the statuses it can end with.
    static func help(_ statuses: [ExitStatus], check: Bool = false) -> String {
        "Exit status:\n" + statuses.map { "  " + String($0.rawValue).padding(toLength: 4, withPad: " ", startingAt: 0) + $0.meaning(forCheck: check) }
            .joined(separator: "\n")
    }

    /// The top-level help: the statuses of the commands that run steps, then check's, which follow Nagios.
    static var helpText: String {
        help(allCases.filter { $0 != .checkFailed }).replacingOccurrences(of: "Exit status:", with: "Exit status (each command's --help lists its own):")
            + "\ncheck follows Nagios: 0 OK, 1 WARNING, 2 CRITICAL (a failure, or the cloud does"
            + "\nnot answer), 3 UNKNOWN (the check could not run)."
    }
}
