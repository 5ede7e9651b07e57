import ArgumentParser

/// The exit statuses of every command, as `--help` lists them.
enum ExitStatus: Int32 {
    case success = 0
    case stepFailed = 1
    case noTerminal = 2
    case stateProblem = 3
    case answersProblem = 4
    case notAvailable = 5
    case needsConsent = 6
    case needsRemoteOutput = 7
    /// A usage error (sysexits' EX_USAGE), as ArgumentParser's own: an unknown step, session or option value.
    case usage = 64

    var code: ExitCode { ExitCode(rawValue) }

    static let helpText = """
        Exit status: 0 done; 1 a step failed or the operator declined; 2 the full-screen wizard cannot \
        start here; 3 the state directory or database cannot be used, or another run holds it; 4 the \
        answers file is invalid or answers are missing; 5 a step's verification is not available yet \
        in this build; 6 a step would change files and the answers file does not consent (KEY.consent: true); 7 a step waits for \
        the output of its commands on the Atmosphere server (atmosphere.remote); 64 wrong usage.
        """
}
