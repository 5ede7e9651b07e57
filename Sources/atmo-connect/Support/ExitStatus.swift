import ArgumentParser

/// The exit statuses of every command, as `--help` lists them.
enum ExitStatus: Int32 {
    case success = 0
    case stepFailed = 1
    /// The full-screen wizard cannot start here (no terminal, or one it cannot drive); not 2, which is check's.
    case noTerminal = 8
    case stateProblem = 3
    case answersProblem = 4
    case notAvailable = 5
    case needsConsent = 6
    case needsRemoteOutput = 7
    /// A usage error (sysexits' EX_USAGE), as ArgumentParser's own: an unknown step, session or option value.
    case usage = 64

    var code: ExitCode { ExitCode(rawValue) }

    /// One table for every command: `check` keeps the Nagios convention (0 ok, 1 warning, 2 critical, 3 unknown), and
    /// no other command gives 2 a meaning of its own.
    static let helpText = """
        Exit status (every command):
          0   done; for check, every finding ok
          1   a step failed, or the operator declined; for check, warnings but no failure
          2   check only: at least one failure, or Keystone does not answer (the cloud is down)
          3   the state directory or database cannot be used, or another run holds it; for check, the check \
        could not run (bad input, an unreadable openrc, a certificate not trusted here, credentials refused)
          4   the answers file is invalid, or answers are missing
          5   a step's verification is not available in this build
          6   a step would change things and the answers file does not consent (KEY.consent: true)
          7   a step waits for the output of its commands on the Atmosphere server (atmosphere.remote)
          8   the full-screen wizard cannot start here (no terminal, or TERM unknown or unable)
          64  wrong usage: an unknown option, step or session, or a required step given to --skip
        """
}
