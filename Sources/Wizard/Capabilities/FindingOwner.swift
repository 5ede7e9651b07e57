import CloudProbe
import StepEngine

/// What makes findings under one check id: a capability, or a part of the wizard that reports on its own (the state
/// database, the outputs folder). Findings are made through their owner, so an id is spelled once, in its descriptor.
protocol FindingOwner: Sendable {
    /// The check id its findings carry.
    var id: String { get }
}

extension FindingOwner {
    /// A finding of this owner.
    func finding(_ severity: Severity, target: String, observed: String, expected: String = "", remedy: String = "") -> Finding {
        Finding(checkID: id, target: target, severity: severity, observed: observed, expected: expected, remedy: remedy)
    }

    /// A failure: what was seen, where, and what to do.
    func failure(target: String, observed: String, expected: String = "", remedy: String) -> Finding {
        finding(.failure, target: target, observed: observed, expected: expected, remedy: remedy)
    }

    /// A failure carried as an error, for a plan or a read that cannot go on.
    func refusal(target: String, observed: String, expected: String = "", remedy: String) -> FindingError {
        FindingError(failure(target: target, observed: observed, expected: expected, remedy: remedy))
    }

    /// What answered as it should.
    func ok(target: String, observed: String) -> Finding { finding(.ok, target: target, observed: observed) }

    /// What works but needs the operator's eye.
    func warning(target: String, observed: String, remedy: String) -> Finding {
        finding(.warning, target: target, observed: observed, remedy: remedy)
    }

    /// What the operator should know; nothing wrong.
    func info(target: String, observed: String, remedy: String = "") -> Finding {
        finding(.info, target: target, observed: observed, remedy: remedy)
    }

    /// The one place an error becomes a finding: a finding carried as an error keeps its own owner; a ``Problem`` says
    /// what failed and what to do; anything else is named as it is (redacted), with `remedy`.
    func failure(_ error: any Error, target: String, remedy: String = "Fix what it names, then run this step again.") -> Finding {
        if let found = error as? FindingError { return found.finding }
        if let located = error as? LocatedProblem { return Finding(located, checkID: id, target: located.path) }
        if let problem = error as? any Problem { return Finding(problem, checkID: id, target: target) }
        if let api = error as? APIError { return failure(target: target, observed: Redactor.shared.redact(api.description), remedy: remedy) }
        return failure(target: target, observed: Redactor.shared.redact(String(describing: error)), remedy: remedy)
    }
}

/// A finding carried as an error: a plan or a read that cannot go on says why, as its owner's finding.
struct FindingError: Problem {
    let finding: Finding
    init(_ finding: Finding) { self.finding = finding }

    var message: String { finding.observed }
    var remedy: String { finding.remedy }
}

/// An owner that is not a capability: a part of the wizard that reports under an id of its own.
struct FindingSource: FindingOwner {
    let id: String

    /// The session's answers and journal, as the state database holds them.
    static let state = FindingSource(id: "state.answers")
    /// What the Atmosphere server printed, as saved for `apply`.
    static let remoteOutput = FindingSource(id: "atmosphere.remote-output")
}
