import Foundation
import StepEngine

/// Runs one screen's step, for either front end: refuses honestly when its checks are not built yet.
public enum StepExecution {
    /// How running a step went.
    public enum Outcome: Sendable, Equatable {
        /// Nothing ran: the screen's checks or actions do not exist yet in this build.
        case notAvailable(capabilities: [Capability], reason: String)
        case finished(StepResult)
    }

    /// Runs `screen`'s step through the engine (attempt recorded), unless its capabilities are missing.
    public static func execute(_ screen: Screen, engine: Engine, catalog: WizardCatalog) async throws -> Outcome {
        let missing = catalog.unavailableCapabilities(of: screen)
        if !missing.isEmpty {
            let reasons = Set(missing.compactMap { capability -> String? in
                if case let .notYetAvailable(reason) = capability.availability { return reason }
                return nil
            }).sorted()
            return .notAvailable(capabilities: missing,
                                 reason: "its verification is not available yet in this build (arrives with \(reasons.joined(separator: "; ")))")
        }
        let result = try await engine.run(screen.id) {
            // A screen with no checks or actions is satisfied by valid answers.
            StepResult(outcome: .passed, message: "answers complete and valid")
        }
        return .finished(result)
    }
}
