import AtmosphereKit
import StepEngine

/// Runs add_new_accounts.py for the named users who have no identity on the provider yet, judged by Atmosphere's database.
struct AddAccountsAction: StepCapability {
    let descriptor = Capability(
        id: "atmosphere.add-accounts", kind: .action, title: "Run add_new_accounts.py for the named users", availability: .available)

    var runsOnAtmosphereServer: Bool { true }

    func plan(_ run: StepContext) async -> Result<ActionPlan, FindingError>? { AtmosphereActions.accountsPlan(run) }

    func perform(_ run: StepContext, plan: ActionPlan) async -> [Finding] { AtmosphereActions.addAccounts(run) }

    /// The script, then the providers as the database has them: what it made is read there, as its words differ by generation.
    func remoteBlock(_ run: StepContext) async -> Result<RemoteInstructions?, FindingError> {
        AtmosphereActions.accountsPlan(run).flatMap { plan in
            guard let command = AtmosphereActions.accountsArguments(run.answers) else { return .success(nil) }
            return AtmosphereActions.context(run, checkID: id).map { context in
                let python = RemoteScript.quote(context.install.virtualenv + "/bin/python")
                return RemoteInstructions(
                    step: run.screen.id, summary: plan.summary,
                    script: RemoteScript.subshell(
                        RemoteScript.python(context.install, command) + [RemoteScript.echo("PROVIDERS")]
                            + RemoteScript.djangoShellLines(python: python, code: AtmosphereProviders.snippet)))
            }
        }
    }

    func readRemote(_ output: RemoteOutput, run: StepContext) -> [Finding] { RemoteProcedure.checkAccounts(output, run: run) }
}
