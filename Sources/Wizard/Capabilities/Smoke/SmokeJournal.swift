import CloudProbe
import Foundation
import StepEngine

/// What the smoke test's runs recorded: each run's tag before it makes anything, each resource as its id comes back,
/// each removal, the test held for the Atmosphere server's check. Every read throws: an unread journal is no proof
/// that nothing was left on the cloud.
struct SmokeJournal: Sendable {
    let journal: Journal

    /// The tags of earlier runs that did not finish their clean-up.
    func unfinishedTags() throws(FindingError) -> [String] {
        let started = try journal.events(.cloudIntent).map(\.detail)
        let finished = Set(try journal.events(.cloudFinished).map(\.detail))
        return started.filter { !finished.contains($0) }
    }

    /// What an earlier, interrupted run created and did not remove.
    func leftovers() throws(FindingError) -> [SmokeTest.Resource] {
        let created = try journal.events(.cloudCreated).compactMap { SmokeTest.Resource($0.detail) }
        let deleted = Set(try journal.events(.cloudDeleted).compactMap { SmokeTest.Resource($0.detail) })
        return created.filter { !deleted.contains($0) }
    }

    /// The test held for the Atmosphere server's check, if one is (its tag not finished yet); never "none held" on a
    /// failed read (a new test would boot beside the kept one).
    func held() throws(FindingError) -> SmokeTest.Held? {
        let open = Set(try unfinishedTags())
        return try journal.events(.smokeHeld).reversed().lazy
            .compactMap { try? JSONDecoder().decode(SmokeTest.Held.self, from: Data($0.detail.utf8)) }
            .first { open.contains($0.tag) }
    }

    /// The run's tag, recorded before anything is made (what a crash hid can then be found by it).
    func started(_ tag: String) throws(FindingError) { try journal.record(.cloudIntent, tag) }

    /// A tag whose resources are all gone.
    func finished(_ tag: String) throws(FindingError) { try journal.record(.cloudFinished, tag) }

    /// A resource that now exists.
    func created(_ resource: SmokeTest.Resource) throws(FindingError) { try journal.record(.cloudCreated, resource.text) }

    /// A resource removed.
    func deleted(_ resource: SmokeTest.Resource) throws(FindingError) { try journal.record(.cloudDeleted, resource.text) }

    /// The test kept for the Atmosphere server's check.
    func hold(_ held: SmokeTest.Held) throws(FindingError) {
        let encoded: Data
        do { encoded = try JSONEncoder().encode(held) } catch {
            throw journal.owner.refusal(target: "the held test", observed: "cannot be encoded: \(error)", remedy: "Report this.")
        }
        try journal.record(.smokeHeld, String(decoding: encoded, as: UTF8.self))
    }
}
