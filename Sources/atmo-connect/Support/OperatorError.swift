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
        let (text, status): (String, ExitStatus)
        switch error {
        case let engine as EngineError:
            text = "\(engine.message)\n  \(engine.remedy)"
            // A name the command line gave that does not exist is a usage error, not a problem with the state.
            switch engine {
            case .sessionNotFound, .unknownStep, .invalidSessionName, .requiredStepNotSkippable: status = .usage
            default: status = .stateProblem
            }
        case let located as LocatedProblem:
            text =
                "\(located.path)\(located.line.map { ":\($0)" } ?? ""): \(located.key.map { "\($0): " } ?? "")\(located.problem)\n  \(located.remedy)"
            status = .answersProblem
        case let problem as CommandProblem:
            text = "\(problem.message)\n  \(problem.remedy)"
            status = problem.status
        case let secret as SecretProblem:
            text = "\(secret.key): \(secret.problem).\n  \(secret.remedy)"
            status = .answersProblem
        default:
            text = "\(Redactor.shared.redact(String(describing: error)))\n  If this persists, report it with the log file in the state directory."
            status = .stateProblem
        }
        FileHandle.standardError.write(Data("atmo-connect: \(text)\n".utf8))
        return status
    }
}
