import Foundation
import StepEngine

/// Writes the Markdown report of the session (0600) where final.report_path says, and records it.
struct ReportAction: StepCapability {
    let descriptor = Capability(id: "report.write", kind: .action, title: "Write the Markdown report of the session", availability: .available)

    /// Where the report goes.
    struct Inputs: CapabilityInputs {
        var path: String

        init(_ answers: InputReader) { path = answers.path("final.report_path") ?? "" }
    }

    /// The wizard's own report changes nothing in the cloud or in Atmosphere: no question.
    func plan(_ run: StepContext) async -> Result<ActionPlan, FindingError>? {
        .success(ActionPlan(summary: ["Write the session's report."], files: []))
    }

    func perform(_ run: StepContext, plan: ActionPlan) async -> [Finding] {
        let path = Inputs(run.reader(for: self)).path
        do {
            try run.fence(self).check("write the report")
            try AnswersFile.writePrivately(try SessionReport.markdown(engine: run.engine, catalog: run.catalog), to: path)
            try run.journal(self).recordArtifact(path)
            return [ok(target: path, observed: "report written (mode 0600)")]
        } catch let error as FindingError {
            return [error.finding]
        } catch {
            return [failure(target: path, observed: "cannot be written: \(error.localizedDescription)", remedy: "Set final.report_path to a place you may write.")]
        }
    }
}
