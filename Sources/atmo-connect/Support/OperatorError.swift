import Foundation
import StepEngine

/// Prints an error as the operator should see it (what failed, where, what to do) and picks the exit status.
enum OperatorError {
    /// Runs a command's body; an error is reported to the operator, and any status but success ends the process with it.
    static func run(_ body: () async throws -> ExitStatus) async throws {
        let status: ExitStatus
        do {
            status = try await body()
        } catch {
            status = report(error)
        }
        if status != .success { throw status.code }
    }

    static func report(_ error: Error) -> ExitStatus {
        let status: ExitStatus
        switch error {
        // A name the command line gave that does not exist is a usage error, not a problem with the state.
        case EngineError.sessionNotFound, EngineError.unknownStep, EngineError.invalidSessionName, EngineError.requiredStepNotSkippable:
            status = .usage
        case is LocatedProblem, is SecretProblem: status = .answersProblem
        case let problem as CommandProblem: status = problem.status
        default: status = .stateProblem
        }
        let text =
            (error as? any Problem).map { "\($0.message)\n  \($0.remedy)" }
            ?? "\(Redactor.shared.redact(String(describing: error)))\n  If this persists, report it with the log file in the state directory."
        FileHandle.standardError.write(Data("atmo-connect: \(text)\n".utf8))
        return status
    }
}
