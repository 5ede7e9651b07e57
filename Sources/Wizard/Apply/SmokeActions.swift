import CloudProbe
import Foundation
import StepEngine

/// The exercise-cloud step: the smoke test, with each resource in the state database from the moment it exists.
enum SmokeActions {
    static let step = "exercise-cloud"

    /// The test's settings from the answers, where the screen's defaults already are: a number missing there is
    /// a failure that names it, never a value written again here.
    static func options(_ reader: AnswerReader) -> Result<SmokeTest.Options, FindingError> {
        // With Atmosphere on another server, its check of the floating IP has a patience of its own.
        let keys = ["smoke.timeout_seconds", "smoke.ssh_port"] + (reader.isRemote ? ["smoke.reach_seconds"] : [])
        guard let timeout = reader.integer(keys[0]), let port = reader.integer(keys[1]), keys.allSatisfy({ reader.integer($0) != nil }) else {
            let missing = keys.filter { reader.integer($0) == nil }
            return .failure(
                FindingError(
                    Finding(
                        checkID: "cloud.smoke-test", target: missing.joined(separator: ", "), severity: .failure,
                        observed: "has no number among the answers, so nothing was created",
                        remedy: "Give it on this step's screen or in the answers file (atmo-connect export --template shows its default).")))
        }
        return .success(
            SmokeTest.Options(
                image: reader.optionalText("smoke.image"), flavor: reader.optionalText("smoke.flavor"),
                network: reader.optionalText("smoke.network"), timeout: TimeInterval(timeout), sshPort: port))
    }

    /// Why nothing is made when the journal of earlier runs cannot be read.
    static func journalUnreadable(_ error: Error) -> Finding {
        Finding(
            checkID: "cloud.smoke-test", target: "the state database", severity: .failure,
            observed: "what earlier runs left on the cloud cannot be read: \(Redactor.shared.redact(String(describing: error)))",
            remedy: "Nothing was created. Check the state directory (atmo-connect status names it), then run this step again.")
    }

    /// The tags of earlier runs that did not finish their clean-up.
    /// A failed read throws: an unread journal is no proof that nothing was left on the cloud.
    static func unfinishedTags(_ engine: Engine) throws -> [String] {
        let store = engine.store, session = engine.session.id
        let started = try store.events(session: session, kind: .cloudIntent, step: step).map(\.detail)
        let finished = Set(try store.events(session: session, kind: .cloudFinished, step: step).map(\.detail))
        return started.filter { !finished.contains($0) }
    }

    /// What an earlier, interrupted run created and did not remove.
    /// A failed read throws: an unread journal is no proof that nothing was left on the cloud.
    static func leftovers(_ engine: Engine) throws -> [SmokeTest.Resource] {
        let store = engine.store, session = engine.session.id
        let created = try store.events(session: session, kind: .cloudCreated, step: step).compactMap { SmokeTest.Resource($0.detail) }
        let deleted = Set(try store.events(session: session, kind: .cloudDeleted, step: step).compactMap { SmokeTest.Resource($0.detail) })
        return created.filter { !deleted.contains($0) }
    }

    static func plan(_ run: StepContext) -> Result<ActionPlan, FindingError> {
        let engine = run.engine
        let reader = run.answers
        let options: SmokeTest.Options
        switch Self.options(reader) {
        case let .success(found): options = found
        case let .failure(error): return .failure(error)
        }
        let left: [SmokeTest.Resource]
        do { left = try leftovers(engine) } catch {
            return .failure(FindingError(journalUnreadable(error)))
        }
        var changes = left.reversed().map { "remove \($0.kind) \($0.id), left by an interrupted run" }
        changes += [
            "a server from image \(options.image ?? "(the smallest active)"), flavor \(options.flavor ?? "(the smallest)"), network \(options.network ?? "(the first tenant network)")",
            "a floating IP on the external network, attached to it; then a check that TCP \(options.sshPort) answers there",
            "a 1 GiB volume, attached to the server",
            "then the removal of all of them, also after a failure",
        ]
        if reader.isRemote { changes.insert(SmokeTestAction.planned(port: options.sshPort), at: changes.count - 1) }
        return .success(
            ActionPlan(
                summary: ["Exercise the cloud: each stage may take up to \(Int(options.timeout)) s (smoke.timeout_seconds)."],
                files: [], changes: changes,
                equivalents: [
                    "openstack server create --image IMAGE --flavor FLAVOR --network NETWORK --wait atmo-connect-smoke",
                    "openstack floating ip create EXTERNAL; openstack server add floating ip atmo-connect-smoke ADDRESS",
                    "openstack volume create --size 1 atmo-connect-smoke; openstack server add volume atmo-connect-smoke atmo-connect-smoke",
                ]))
    }

    /// Cleans up after an interrupted run, then runs the test; every id is recorded as the API returns it.
    static func run(_ run: StepContext) async -> [Finding] {
        await Self.run(run, holding: false).findings
    }

    /// The same; with `holding`, a test that passed keeps its server, floating IP and volume for the Atmosphere server's
    /// check, recorded as held (an event naming them) until `release` removes them.
    static func run(_ run: StepContext, holding: Bool) async -> (findings: [Finding], held: SmokeTest.Held?) {
        let engine = run.engine
        let reader = run.answers
        let api: OpenStackAPI
        do { api = try await cloud(run) } catch {
            return ([CloudActions.failure(error, checkID: "cloud.smoke-test", target: "your admin credentials")], nil)
        }
        let test = SmokeTest(api: api, region: reader.optionalText("credential.region"))
        let store = engine.store, session = engine.session.id
        let created: @Sendable (SmokeTest.Resource) -> Void = {
            try? store.appendEvent(session: session, kind: .cloudCreated, step: step, detail: $0.text)
        }
        let deleted: @Sendable (SmokeTest.Resource) -> Void = {
            try? store.appendEvent(session: session, kind: .cloudDeleted, step: step, detail: $0.text)
        }
        let options: SmokeTest.Options
        switch Self.options(reader) {
        case let .success(found): options = found
        case let .failure(error): return ([error.finding], nil)
        }
        // Recorded ids, and what the earlier runs' tags still name (made, but killed before the id came back).
        var earlier: [SmokeTest.Resource]
        let tags: [String]
        let heldBefore: Bool
        do {
            earlier = try leftovers(engine)
            tags = try unfinishedTags(engine)
            heldBefore = try held(engine) != nil
        } catch {
            return ([journalUnreadable(error)], nil)
        }
        for tag in tags {
            do {
                let found = try await test.orphans(tag: tag).filter { !earlier.contains($0) }
                earlier = found + earlier
            } catch {
                // Unlisted is not "nothing left": the tag stays open and nothing new is made until it can be listed.
                return (
                    [
                        Finding(
                            checkID: "cloud.smoke-test", target: "resources tagged \(tag)", severity: .failure,
                            observed:
                                "what an interrupted run may have left cannot be listed: \(Redactor.shared.redact((error as? APIError)?.description ?? String(describing: error)))",
                            remedy:
                                "Nothing was created. Check that Nova, Neutron and Cinder answer (openstack server list), then run this step again.")
                    ], nil
                )
            }
        }
        let cleaned = await test.cleanUp(earlier, options: options, deleted: deleted)
        if !cleaned.contains(where: { $0.severity == .failure }) {
            for tag in tags { try? store.appendEvent(session: session, kind: .cloudFinished, step: step, detail: tag) }
        }
        var findings = cleaned.map { finding in
            var earlier = finding
            earlier.observed += heldBefore ? " (kept for the Atmosphere server's check, which never came)" : " (left by an interrupted run)"
            return earlier
        }
        try? store.appendEvent(session: session, kind: .cloudIntent, step: step, detail: options.tag)
        let (ran, kept) = await test.run(options, holding: holding, created: created, deleted: deleted)
        if let kept {
            // The resources stay: the tag is finished only when `release` has removed them.
            do {
                try store.appendEvent(
                    session: session, kind: .smokeHeld, step: step,
                    detail: String(decoding: try JSONEncoder().encode(kept), as: UTF8.self))
            } catch {
                return (findings + ran + (await release(run, kept, api: api)), nil)
            }
            return (findings + ran, kept)
        }
        if !ran.contains(where: { $0.severity == .failure && $0.observed.hasPrefix("not removed") }) {
            try? store.appendEvent(session: session, kind: .cloudFinished, step: step, detail: options.tag)
        }
        findings += ran
        return (findings, nil)
    }

    /// The cloud with the operator's credentials, making no call once another run has taken the state over.
    private static func cloud(_ run: StepContext) async throws -> OpenStackAPI {
        let engine = run.engine
        let (credentials, client) = try CloudCheckRunner.operatorCredentials(run)
        let store = engine.store
        return OpenStackAPI(
            client: client, session: try await KeystoneClient(client: client).authenticate(credentials),
            proceed: { store.stillHoldsLock() })
    }

    /// The test held for the Atmosphere server's check, if one is (its tag not finished yet).
    /// A failed read throws (never "none held": a new test would boot beside the kept one).
    static func held(_ engine: Engine) throws -> SmokeTest.Held? {
        let open = Set(try unfinishedTags(engine))
        let events = try engine.store.events(session: engine.session.id, kind: .smokeHeld, step: step)
        return events.reversed().lazy.compactMap { try? JSONDecoder().decode(SmokeTest.Held.self, from: Data($0.detail.utf8)) }
            .first { open.contains($0.tag) }
    }

    /// Removes what a held test made (whatever is still recorded as existing), and finishes its tag when all went.
    static func release(_ run: StepContext, _ held: SmokeTest.Held) async -> [Finding] {
        let api: OpenStackAPI
        do { api = try await cloud(run) } catch {
            return [CloudActions.failure(error, checkID: "cloud.smoke-test", target: "your admin credentials (to remove the test's server)")]
        }
        return await release(run, held, api: api)
    }

    private static func release(_ run: StepContext, _ held: SmokeTest.Held, api: OpenStackAPI) async -> [Finding] {
        let engine = run.engine
        let store = engine.store, session = engine.session.id
        let reader = run.answers
        let deleted: @Sendable (SmokeTest.Resource) -> Void = {
            try? store.appendEvent(session: session, kind: .cloudDeleted, step: step, detail: $0.text)
        }
        // What the held record names: each removal accepts "already gone" (404). Without the settings nothing is
        // removed and the record stays, so the next run removes them.
        let options: SmokeTest.Options
        switch Self.options(reader) {
        case let .success(found): options = found
        case let .failure(error): return [error.finding]
        }
        let removed = await SmokeTest(api: api, region: reader.optionalText("credential.region")).cleanUp(
            held.made, options: options, deleted: deleted)
        if !removed.contains(where: { $0.severity == .failure }) {
            try? store.appendEvent(session: session, kind: .cloudFinished, step: step, detail: held.tag)
        }
        return removed
    }
}
