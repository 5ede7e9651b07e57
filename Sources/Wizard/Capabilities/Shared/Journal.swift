import Foundation
import StepEngine

/// A step's journal in the state database, as its capabilities write and read it: every write that precedes or
/// records a side effect throws its owner's failure (the step stops before acting), and every read that decides what
/// exists throws too (an unread journal is no proof that nothing was made).
struct Journal: Sendable {
    let engine: Engine
    /// The step the events belong to.
    let step: String
    let owner: any FindingOwner

    /// Appends an event of this step.
    func record(_ kind: EventKind, _ detail: String) throws(FindingError) {
        do { try engine.store.appendEvent(session: engine.session.id, kind: kind, step: step, detail: detail) } catch {
            throw unwritten("\(kind.rawValue) (\(detail.split(separator: "\n").first.map(String.init) ?? ""))", error)
        }
    }

    /// Records a file we wrote, with its digest (the report lists it; a crash recovery finds it).
    func recordArtifact(_ path: String) throws(FindingError) {
        do { try engine.store.recordArtifact(session: engine.session.id ?? 0, path: path) } catch {
            throw unwritten("the file \(path)", error)
        }
    }

    /// Every event of `kind` of this step (of `step` when given), oldest first.
    func events(_ kind: EventKind, step: String? = nil) throws(FindingError) -> [EventRecord] {
        do { return try engine.store.events(session: engine.session.id, kind: kind, step: step ?? self.step) } catch {
            throw unread("\(kind.rawValue) events", error)
        }
    }

    /// The newest event of `kind` of `step` (this step when nil).
    func latest(_ kind: EventKind, step: String? = nil) throws(FindingError) -> EventRecord? {
        do { return try engine.store.latestEvent(session: engine.session.id, kind: kind, step: step ?? self.step) } catch {
            throw unread("the latest \(kind.rawValue) event", error)
        }
    }

    /// The files this session wrote.
    func artifacts() throws(FindingError) -> [ArtifactRecord] {
        do { return try engine.store.artifacts(session: engine.session.id ?? 0) } catch { throw unread("the files written", error) }
    }

    /// Stores answers the step derived (the provider's id) for the steps after it.
    func setDerived(_ answers: [Answer]) throws(FindingError) {
        do { try engine.setAnswers(answers) } catch {
            throw unwritten(answers.map(\.key).joined(separator: ", "), error)
        }
    }

    private func unwritten(_ what: String, _ error: any Error) -> FindingError {
        owner.refusal(
            target: "the state database",
            observed: "\(what) could not be recorded: \(Redactor.shared.redact(String(describing: error))); nothing more was done",
            remedy: "Check the state directory (atmo-connect status names it; the disk, its permissions), then run this step again: "
                + "what was recorded before is found and finished.")
    }

    private func unread(_ what: String, _ error: any Error) -> FindingError {
        owner.refusal(
            target: "the state database",
            observed: "\(what) cannot be read: \(Redactor.shared.redact(String(describing: error))); nothing was done",
            remedy: "Check the state directory (atmo-connect status names it; the disk, its permissions), then run this step again.")
    }
}
