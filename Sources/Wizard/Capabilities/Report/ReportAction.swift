import Foundation
import StepEngine

/// Writes the Markdown report of the session (0600) where final.report_path says, and records it.
struct ReportAction: StepCapability {
    let descriptor = Capability(id: "report.write", kind: .action, title: "Write the Markdown report of the session", availability: .available)

    /// The wizard's own report changes nothing in the cloud or in Atmosphere: no question.
    func plan(_ run: StepContext) async -> Result<ActionPlan, FindingError>? {
        .success(ActionPlan(summary: ["Write the session's report."], files: []))
    }

    func perform(_ run: StepContext, plan: ActionPlan) async -> [Finding] {
        let path = (run.answers.text("final.report_path") as NSString).expandingTildeInPath
        do {
            try AnswersFile.writePrivately(try SessionReport.markdown(engine: run.engine, catalog: run.catalog), to: path)
            try run.engine.store.recordArtifact(session: run.engine.session.id ?? 0, path: path)
            return [Finding(checkID: id, target: path, severity: .ok, observed: "report written (mode 0600)")]
        } catch {
            return [
                Finding(
                    checkID: id, target: path, severity: .failure, observed: "cannot be written: \(error.localizedDescription)",
                    remedy: "Set final.report_path to a place you may write.")
            ]
        }
    }
}
