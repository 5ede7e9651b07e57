import AtmosphereKit
import Foundation
import StepEngine

/// An action carried out by Python in Atmosphere's `manage.py shell`: here through the shell, or on Atmosphere's own
/// server through a block that feeds it the same Python. Each step says what it will do, its Python and how to read
/// the result line; running and reading are the same for all of them.
protocol DjangoShellStep: StepCapability {
    /// The summary and whether it changes something (then the shell command is shown and asked for), or why it cannot run.
    func intent(_ context: AtmosphereActions.Context) -> Result<(summary: [String], changes: Bool), FindingError>

    /// The Python to run; with `reveal`, a secret it sets itself, else the mask in its place (previews, remote blocks).
    /// Nil when there is nothing to run.
    func code(_ context: AtmosphereActions.Context, run: StepContext, reveal: Bool) -> String?

    /// The findings for the result line the Python printed.
    func findings(_ value: [String: AnyCodableValue], context: AtmosphereActions.Context) -> [Finding]

    /// The finding when there is nothing to run.
    var nothingToRun: Finding { get }
}

extension DjangoShellStep {
    var runsOnAtmosphereServer: Bool { true }

    var nothingToRun: Finding { Finding(checkID: id, target: "manage.py shell", severity: .ok, observed: "nothing to run") }

    func plan(_ run: StepContext) async -> Result<ActionPlan, FindingError>? {
        AtmosphereActions.context(run, checkID: id).flatMap { context in
            intent(context).map { intent in
                let shell =
                    "cd \(context.install.checkout) && \(context.install.virtualenv)/bin/python manage.py shell   "
                    + "# stdin: one line that runs the Python below from a 0600 temporary file (the same on Django 1.10 and 1.11)"
                return ActionPlan(
                    summary: intent.summary, files: [], commands: intent.changes ? [shell] : [],
                    python: code(context, run: run, reveal: false) ?? "")
            }
        }
    }

    func perform(_ run: StepContext, plan: ActionPlan) async -> [Finding] {
        let context: AtmosphereActions.Context
        switch AtmosphereActions.context(run, checkID: id) {
        case let .success(found): context = found
        case let .failure(error): return [error.finding]
        }
        guard let code = code(context, run: run, reveal: true) else { return [nothingToRun] }
        let result: DjangoShell.Result
        do {
            result = try DjangoShell.run(install: context.install, code: code)
        } catch {
            return [
                Finding(
                    checkID: id, target: "manage.py shell", severity: .failure, observed: (error as? ScriptError)?.message ?? "\(error)",
                    remedy: "Check atmosphere.venv and the checkout.")
            ]
        }
        try? run.engine.store.appendEvent(
            session: run.engine.session.id, kind: .commandRun, step: run.screen.id,
            detail: "manage.py shell: status \(result.status)\n\(result.output)")
        guard let value = result.value else {
            let last = result.output.split(separator: "\n").last.map(String.init) ?? "no output"
            return [
                Finding(
                    checkID: id, target: "manage.py shell", severity: .failure, observed: "it stopped before finishing: \(last)",
                    remedy: "Run the step's snippet in manage.py shell by hand to see the whole error (the log has the output).")
            ]
        }
        return findings(value, context: context)
    }

    /// The block carries the Python base64-encoded (nothing in it can end a here-document): shown here as it will run.
    /// It never carries a password (it is shown and saved): the findings say how to set one there.
    func remoteBlock(_ run: StepContext) async -> Result<RemoteInstructions?, FindingError> {
        AtmosphereActions.context(run, checkID: id).flatMap { context in
            intent(context).map { intent in
                code(context, run: run, reveal: false).map { code in
                    RemoteInstructions(
                        step: run.screen.id, summary: intent.summary, script: RemoteScript.djangoShell(context.install, code: code), python: code)
                }
            }
        }
    }

    func readRemote(_ output: RemoteOutput, run: StepContext) -> [Finding] {
        let context: AtmosphereActions.Context
        switch AtmosphereActions.context(run, checkID: id) {
        case let .success(found): context = found
        case let .failure(error): return [error.finding]
        }
        guard let value = DjangoShell.value(in: output.text) else {
            return [
                Finding(
                    checkID: id, target: "output from the Atmosphere server", severity: .failure,
                    observed: "no result line (\(DjangoShell.marker.trimmingCharacters(in: .whitespaces))): the shell stopped before finishing"
                        + (output.status.map { ", status \($0)" } ?? ""),
                    remedy: "Read the error above the last line on the server, fix it, run the block again and paste all of its output.")
            ]
        }
        return findings(value, context: context)
    }

    /// The provider's id the provider step recorded, or why this step cannot run yet.
    func providerID(_ context: AtmosphereActions.Context) -> Result<Int, FindingError> {
        AtmosphereActions.providerID(context.reader, checkID: id)
    }

    /// The strings of a list in the result line.
    func strings(_ key: String, in value: [String: AnyCodableValue]) -> [String] {
        if case let .list(items)? = value[key] { return items.compactMap { if case let .string(text) = $0 { return text } else { return nil } } }
        return []
    }
}
