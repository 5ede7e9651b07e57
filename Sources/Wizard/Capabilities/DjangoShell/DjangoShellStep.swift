import AtmosphereKit
import Foundation
import StepEngine

/// What every step run in Atmosphere's `manage.py shell` reads: where Atmosphere is, besides its own answers.
protocol DjangoShellInputs: CapabilityInputs {
    /// Where Atmosphere is.
    var site: AtmosphereSite.Inputs { get }
}

/// An action carried out by Python in Atmosphere's `manage.py shell`: here through the shell, or on Atmosphere's own
/// server through a block that feeds it the same Python. Each step says what it will do, its Python and how to read
/// the result line; running and reading are the same for all of them.
protocol DjangoShellStep: AtmosphereServerCapability where Inputs: DjangoShellInputs {
    /// The summary and whether it changes something (then the shell command is shown and asked for), or why it cannot run.
    func intent(_ inputs: Inputs, site: AtmosphereSite) -> Result<(summary: [String], changes: Bool), FindingError>

    /// The Python to run; with `reveal`, a secret it sets itself, else the mask in its place (previews, remote blocks).
    /// Nil when there is nothing to run.
    func code(_ inputs: Inputs, site: AtmosphereSite, reveal: Bool) -> String?

    /// The findings for the result line the Python printed.
    func findings(_ value: [String: AnyCodableValue], inputs: Inputs, site: AtmosphereSite) -> [Finding]

    /// The finding when there is nothing to run.
    var nothingToRun: Finding { get }
}

extension DjangoShellStep {
    var nothingToRun: Finding { ok(target: "manage.py shell", observed: "nothing to run") }

    /// The inputs and the installation they point at, or why there is none.
    private func prepared(_ run: StepContext) -> Result<(Inputs, AtmosphereSite), FindingError> {
        let inputs: Inputs
        do { inputs = try self.inputs(run) } catch { return .failure(error) }
        return AtmosphereSite.find(inputs.site, run: run, owner: self).map { (inputs, $0) }
    }

    func plan(_ run: StepContext) async -> Result<ActionPlan, FindingError>? {
        prepared(run).flatMap { inputs, site in
            intent(inputs, site: site).map { intent in
                let shell =
                    site.pythonCommand("manage.py shell") + "   "
                    + "# stdin: one line that runs the Python below from a 0600 temporary file (the same on Django 1.10 and 1.11)"
                return ActionPlan(
                    summary: intent.summary, files: [], commands: intent.changes ? [shell] : [],
                    python: code(inputs, site: site, reveal: false) ?? "")
            }
        }
    }

    func perform(_ run: StepContext, plan: ActionPlan) async -> [Finding] {
        let inputs: Inputs, site: AtmosphereSite
        switch prepared(run) {
        case let .success(found): (inputs, site) = found
        case let .failure(error): return [error.finding]
        }
        guard let code = code(inputs, site: site, reveal: true) else { return [nothingToRun] }
        let result: DjangoShell.Result
        do {
            try run.fence(self).check("run manage.py shell")
            result = try DjangoShell.run(install: site.install, code: code)
        } catch {
            return [failure(error, target: "manage.py shell", remedy: "Check atmosphere.venv and the checkout.")]
        }
        var recorded: [Finding] = []
        do { try run.journal(self).record(.commandRun, "manage.py shell: status \(result.status)\n\(result.output)") } catch {
            recorded.append(error.finding)
        }
        guard let value = result.value else {
            let last = result.output.split(separator: "\n").last.map(String.init) ?? "no output"
            return recorded + [
                failure(
                    target: "manage.py shell", observed: "it stopped before finishing: \(last)",
                    remedy: "Run the step's snippet in manage.py shell by hand to see the whole error (the log has the output).")
            ]
        }
        return recorded + findings(value, inputs: inputs, site: site)
    }

    /// The block carries the Python base64-encoded (nothing in it can end a here-document): shown here as it will run.
    /// It never carries a password (it is shown and saved): the findings say how to set one there.
    func remoteBlock(_ run: StepContext) async -> Result<RemoteInstructions?, FindingError> {
        prepared(run).flatMap { inputs, site in
            intent(inputs, site: site).map { intent in
                code(inputs, site: site, reveal: false).map { code in
                    RemoteInstructions(step: run.screen.id, summary: intent.summary, script: RemoteScript.djangoShell(site.install, code: code), python: code)
                }
            }
        }
    }

    func readRemote(_ output: RemoteOutput, run: StepContext) -> [Finding] {
        let inputs: Inputs, site: AtmosphereSite
        switch prepared(run) {
        case let .success(found): (inputs, site) = found
        case let .failure(error): return [error.finding]
        }
        guard let value = DjangoShell.value(in: output.text) else {
            return [
                failure(
                    target: "output from the Atmosphere server",
                    observed: "no result line (\(DjangoShell.marker.trimmingCharacters(in: .whitespaces))): the shell stopped before finishing"
                        + (output.status.map { ", status \($0)" } ?? ""),
                    remedy: "Read the error above the last line on the server, fix it, run the block again and paste all of its output.")
            ]
        }
        return findings(value, inputs: inputs, site: site)
    }

    /// The strings of a list in the result line.
    func strings(_ key: String, in value: [String: AnyCodableValue]) -> [String] {
        if case let .list(items)? = value[key] { return items.compactMap { if case let .string(text) = $0 { return text } else { return nil } } }
        return []
    }
}
