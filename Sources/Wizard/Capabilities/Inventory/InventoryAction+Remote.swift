import AtmosphereKit
import Foundation
import StepEngine

extension InventoryAction {
    /// The inventory's diff against the hosts file the probe printed, and a block that writes both files with backups.
    func remoteBlock(_ run: StepContext) async -> Result<RemoteInstructions?, FindingError> {
        remotePlan(run).map { plan, guards in
            let stamp = TimeText.fileStamp(Date())
            return RemoteInstructions(
                step: run.screen.id, summary: plan.summary,
                script: RemoteScript.writeFiles(plan.files.map { ($0.path, RemoteScript.asWritten($0.new)) }, guards: guards, stamp: stamp),
                notes: [
                    "Each file is written only if it changes, after a backup (.atmo-connect-\(stamp).bak); the hosts file is left alone if it changed since the probe."
                ],
                preview: Array(plan.previewLines.drop { !$0.hasPrefix("/") }))
        }
    }

    /// The plan against the hosts file the latest probe printed, and the digest that file must still have.
    private func remotePlan(_ run: StepContext) -> Result<(ActionPlan, [(path: String, sha256: String)]), FindingError> {
        let seen: RemoteProbe?
        let site: AtmosphereSite
        do {
            seen = try DetectCheck.latestProbe(run, owner: self)
            site = try AtmosphereSite.find(Inputs(run.reader(for: self)).site, run: run, owner: self).get()
        } catch {
            return .failure(error)
        }
        let hostsPath = layout(site).hostsPath
        let guards = seen?.hostsSHA256.map { [(path: hostsPath, sha256: $0)] } ?? []
        return plan(run, read: { $0 == hostsPath ? seen?.hosts : nil }).map { ($0, guards) }
    }

    /// The digests the server printed must be those of the files as planned from the same probe.
    func readRemote(_ output: RemoteOutput, run: StepContext) -> [Finding] {
        if output.has("STALE") {
            return [
                failure(
                    target: "hosts", observed: "the inventory changed on the server since the probe read it; nothing was written",
                    remedy: "Run the prerequisites step again (its probe reads the inventory), then this step.")
            ]
        }
        let planned: ActionPlan
        switch remotePlan(run) {
        case let .success((plan, _)): planned = plan
        case let .failure(error): return [error.finding]
        }
        let digests = output.digests
        return planned.files.map { file in
            let expected = SHA256.hex(Array(RemoteScript.asWritten(file.new).utf8))
            switch digests[file.path] {
            case expected?:
                return ok(target: file.path, observed: "as planned on the server (sha256 \(expected.prefix(12))…)")
            case let other?:
                return failure(
                    target: file.path, observed: "sha256 \(other.prefix(12))… on the server, not \(expected.prefix(12))…",
                    remedy: "The file differs from the preview: run the prerequisites probe and this step again.")
            case nil:
                return failure(
                    target: file.path, observed: "no digest for it in the pasted output (ATMO-CONNECT-SHA)",
                    remedy: "Paste everything the block printed; if it stopped with an error, fix that first.")
            }
        }
    }
}
