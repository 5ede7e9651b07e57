import StepEngine

/// The force-unlock fence for what a run does outside the state database (the database's own writes are fenced by
/// the store): checked before every file write, unlink, script and cloud call, so a run displaced by another that
/// took the state over changes nothing more.
struct Fence: Sendable {
    let store: StateStore
    let owner: any FindingOwner

    /// Throws `owner`'s failure when this run no longer holds the state's lock; `what` is what it was about to do.
    func check(_ what: String) throws(FindingError) {
        guard store.stillHoldsLock() else {
            throw owner.refusal(
                target: "the state lock",
                observed: "another atmo-connect took the state over (a forced unlock): this run did not \(what), and changes nothing more",
                remedy: "Let the run that holds the state finish (atmo-connect status names it); this one made no change after it was displaced.")
        }
    }
}
