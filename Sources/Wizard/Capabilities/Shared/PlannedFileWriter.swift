import AtmosphereKit
import Foundation
import StepEngine

/// Writes an action's planned files (keeping a backup) and records each as an artifact: what every action that only
/// writes files performs.
struct PlannedFileWriter: Sendable {
    let owner: any FindingOwner

    /// One finding per file; a file written but not recorded is a failure (a resume could not recognise it as ours).
    func write(_ plan: ActionPlan, run: StepContext) -> [Finding] {
        let journal = run.journal(owner)
        let fence = run.fence(owner)
        return plan.files.map { file in
            do {
                try fence.check("write \(file.path)")
                let result = try InventoryLayout.write(file.new, to: file.path)
                guard result.changed else { return owner.ok(target: file.path, observed: "already as it should be") }
                try journal.recordArtifact(file.path)
                return owner.ok(target: file.path, observed: "written" + (result.backup.map { "; the previous version is in \($0)" } ?? " (new file)"))
            } catch {
                return owner.failure(
                    error, target: file.path,
                    remedy: "Check that you may write to \((file.path as NSString).deletingLastPathComponent) (run as its owner), or choose another path.")
            }
        }
    }
}
