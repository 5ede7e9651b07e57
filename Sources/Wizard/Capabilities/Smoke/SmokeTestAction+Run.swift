import CloudProbe
import Foundation
import StepEngine

extension SmokeTestAction {
    /// Cleans up after an interrupted run, then runs the test; every id is recorded as the API returns it. With
    /// `holding`, a test that passed keeps its server, floating IP and volume for the Atmosphere server's check,
    /// recorded as held until `release` removes them. A journal write that fails stops the test before it makes more.
    func test(_ run: StepContext, holding: Bool) async -> (findings: [Finding], held: SmokeTest.Held?) {
        let inputs = Inputs(run.reader(for: self))
        let record = record(run)
        let options: SmokeTest.Options
        // Recorded ids, and what the earlier runs' tags still name (made, but killed before the id came back).
        var earlier: [SmokeTest.Resource]
        let tags: [String]
        let heldBefore: Bool
        do {
            options = try inputs.options()
            earlier = try record.leftovers()
            tags = try record.unfinishedTags()
            heldBefore = try record.held() != nil
        } catch {
            return ([error.finding], nil)
        }
        let api: OpenStackAPI
        do { api = try await CloudAccess(inputs: inputs.cloud).api(run) } catch {
            return ([failure(error, target: "your admin credentials", remedy: "Check the prerequisites screen's answers.")], nil)
        }
        let test = SmokeTest(api: api, region: inputs.cloud.region)
        for tag in tags {
            do {
                let found = try await test.orphans(tag: tag).filter { !earlier.contains($0) }
                earlier = found + earlier
            } catch {
                // Unlisted is not "nothing left": the tag stays open and nothing new is made until it can be listed.
                let cause = failure(error, target: "resources tagged \(tag)").observed
                return (
                    [
                        failure(
                            target: "resources tagged \(tag)", observed: "what an interrupted run may have left cannot be listed: \(cause)",
                            remedy: "Nothing was created. Check that Nova, Neutron and Cinder answer (openstack server list), then run this step again.")
                    ], nil
                )
            }
        }
        let cleaned = await test.cleanUp(earlier, options: options, deleted: { try record.deleted($0) })
        var findings = cleaned.map { finding in
            var earlier = finding
            earlier.observed += heldBefore ? " (kept for the Atmosphere server's check, which never came)" : " (left by an interrupted run)"
            return earlier
        }
        do {
            if !cleaned.contains(where: { $0.severity == .failure }) {
                for tag in tags { try record.finished(tag) }
            }
            // The tag goes in before anything is made: what a crash hides can be found by it.
            try record.started(options.tag)
        } catch {
            return (findings + [error.finding], nil)
        }
        let (ran, kept) = await test.run(options, holding: holding, created: { try record.created($0) }, deleted: { try record.deleted($0) })
        if let kept {
            // The resources stay: the tag is finished only when `release` has removed them.
            do { try record.hold(kept) } catch {
                return (findings + ran + [error.finding] + (await release(run, kept, api: api)), nil)
            }
            return (findings + ran, kept)
        }
        findings += ran
        if !ran.contains(where: { $0.severity == .failure && $0.observed.hasPrefix("not removed") }) {
            do { try record.finished(options.tag) } catch { findings.append(error.finding) }
        }
        return (findings, nil)
    }

    /// Removes what a held test made (whatever is still recorded as existing), and finishes its tag when all went.
    func release(_ run: StepContext, _ held: SmokeTest.Held) async -> [Finding] {
        let inputs = Inputs(run.reader(for: self))
        let api: OpenStackAPI
        do { api = try await CloudAccess(inputs: inputs.cloud).api(run) } catch {
            return [failure(error, target: "your admin credentials (to remove the test's server)", remedy: "Check the prerequisites screen's answers.")]
        }
        return await release(run, held, api: api)
    }

    private func release(_ run: StepContext, _ held: SmokeTest.Held, api: OpenStackAPI) async -> [Finding] {
        let inputs = Inputs(run.reader(for: self))
        let record = record(run)
        // What the held record names: each removal accepts "already gone" (404). Without the settings nothing is
        // removed and the record stays, so the next run removes them.
        let options: SmokeTest.Options
        do { options = try inputs.options() } catch { return [error.finding] }
        var removed = await SmokeTest(api: api, region: inputs.cloud.region).cleanUp(held.made, options: options, deleted: { try record.deleted($0) })
        if !removed.contains(where: { $0.severity == .failure }) {
            do { try record.finished(held.tag) } catch { removed.append(error.finding) }
        }
        return removed
    }
}
