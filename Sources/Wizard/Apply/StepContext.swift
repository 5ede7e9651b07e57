import CloudProbe
import Foundation
import StepEngine

/// One run of one step, as its capabilities see it: the session's answers read once as the run starts (a failed read is
/// a failure naming it, never the code's own defaults), the secrets in memory, the journal, and what the operator
/// pasted back from the Atmosphere server.
struct StepContext: Sendable {
    static let checkID = "state.answers"

    let engine: Engine
    let catalog: WizardCatalog
    let screen: Screen
    /// The answers as this run started, over the screens' own defaults.
    let answers: AnswerReader
    /// What the operator pasted back from the Atmosphere server (or `apply` read from the outputs folder).
    let remoteOutput: String?
    /// Observations more than one capability of the step shares (one cloud verification serves all its checks).
    let shared = SharedObservations()

    /// The context for a run of `screen`, reading the answers now.
    init(screen: Screen, engine: Engine, catalog: WizardCatalog, remoteOutput: String? = nil) throws(FindingError) {
        self.screen = screen
        self.engine = engine
        self.catalog = catalog
        self.remoteOutput = remoteOutput
        answers = try Self.answers(engine)
    }

    /// Whether Atmosphere runs on another server in this session.
    var isRemote: Bool { answers.isRemote }

    /// The answers now, over the screens' own defaults (the only place defaults live): for readers outside a run.
    static func answers(_ engine: Engine) throws(FindingError) -> AnswerReader {
        do {
            var values = try engine.answerValues()
            for input in engine.plan.inputs where values[input.key] == nil {
                if let value = input.staticDefault { values[input.key] = value }
            }
            return AnswerReader(answers: values)
        } catch {
            throw FindingError(
                Finding(
                    checkID: checkID, target: "the state database", severity: .failure,
                    observed: "the session's answers cannot be read: \(Redactor.shared.redact(String(describing: error)))",
                    remedy:
                        "Nothing was done. Check the state directory (atmo-connect status names it; the disk, its permissions), then run this step again."
                ))
        }
    }
}

/// What one verification of the cloud found: the findings of all its checks, and each endpoint's TLS as seen.
struct CloudObservation: Sendable {
    var findings: [Finding]
    var tls: [TLSReport]
}

/// What a step's capabilities observe once and share, computed on first use.
actor SharedObservations {
    private var cloud: CloudObservation?

    /// The cloud verification: run once for the step, whichever of its checks asks first.
    func cloud(_ compute: @Sendable () async -> CloudObservation) async -> CloudObservation {
        if let cloud { return cloud }
        let found = await compute()
        cloud = found
        return found
    }
}
