import AtmosphereKit
import StepEngine

/// Runs add_new_accounts.py for the named users who have no identity on the provider yet, judged by Atmosphere's
/// database: here, or on the Atmosphere server through a block that runs it and lists the providers after.
struct AddAccountsAction: AtmosphereServerCapability {
    let descriptor = Capability(
        id: "atmosphere.add-accounts", kind: .action, title: "Run add_new_accounts.py for the named users", availability: .available)

    /// The users, whether they are admins, the provider they join, and where Atmosphere is.
    struct Inputs: CapabilityInputs {
        var site: AtmosphereSite.Inputs
        var provider: ProviderRecord
        var users: [String]
        var admin: Bool

        init(_ answers: InputReader) {
            site = AtmosphereSite.Inputs(answers)
            provider = ProviderRecord(answers)
            users = answers.userNames("accounts.users")
            admin = answers.flag("accounts.admin")
        }

        /// The add_new_accounts.py arguments for `users`.
        func arguments(id: Int, users: [String]) -> [String] {
            ["scripts/add_new_accounts.py", "--provider", String(id), "--users", users.joined(separator: ",")] + (admin ? ["--admin"] : [])
        }
    }

    /// What there is to do: the site, the provider's id and the users still without an identity there (read from
    /// Atmosphere's database here; all of them on another server, where the script skips those it knows).
    private struct Work {
        var inputs: Inputs
        var site: AtmosphereSite
        var id: Int
        var missing: [String]
    }

    private func work(_ run: StepContext) -> Result<Work, FindingError> {
        let inputs = Inputs(run.reader(for: self))
        do {
            let site = try AtmosphereSite.find(inputs.site, run: run, owner: self).get()
            let id = try inputs.provider.required()
            if inputs.site.isRemote { return .success(Work(inputs: inputs, site: site, id: id, missing: inputs.users)) }
            guard let provider = try site.providers(owner: self).get().first(where: { $0.id == id }) else {
                return .failure(
                    refusal(target: "provider \(id)", observed: "Atmosphere has no provider with id \(id)", remedy: "Run the provider step again: it finds the provider's id."))
            }
            let present = Set(provider.users.map { $0.lowercased() })
            return .success(Work(inputs: inputs, site: site, id: id, missing: inputs.users.filter { !present.contains($0.lowercased()) }))
        } catch {
            return .failure(error)
        }
    }

    /// Show the add_new_accounts.py command for the users who have no identity yet on the provider.
    func plan(_ run: StepContext) async -> Result<ActionPlan, FindingError>? {
        work(run).map { work in
            ActionPlan(
                summary: summary(work), files: [],
                commands: work.missing.isEmpty ? [] : [work.site.pythonCommand(work.inputs.arguments(id: work.id, users: work.missing).joined(separator: " "))])
        }
    }

    func perform(_ run: StepContext, plan: ActionPlan) async -> [Finding] {
        let work: Work
        switch self.work(run) {
        case let .success(found): work = found
        case let .failure(error): return [error.finding]
        }
        let users = work.inputs.users
        guard !work.missing.isEmpty else { return users.map { ok(target: $0, observed: "has an identity on provider \(work.id) already") } }
        do {
            try run.fence(self).check("run add_new_accounts.py")
            let ran = try AccountsScript.addAccounts(install: work.site.install, providerID: work.id, users: work.missing, admin: work.inputs.admin)
            var findings: [Finding] = []
            do {
                try run.journal(self).record(
                    .commandRun, "add_new_accounts.py --provider \(work.id) --users \(work.missing.joined(separator: ",")): status \(ran.status)\n\(ran.output)")
            } catch { findings.append(error.finding) }
            switch work.site.providers(owner: self) {
            case let .success(after):
                let present = Set((after.first { $0.id == work.id }?.users ?? []).map { $0.lowercased() })
                return findings + AccountsScript.findings(output: ran.output, status: ran.status, providerID: work.id, users: users, present: present)
            case let .failure(error): return findings + [error.finding]
            }
        } catch {
            return [failure(error, target: "provider \(work.id)", remedy: "Fix what it says and run the step again.")]
        }
    }

    /// The script, then the providers as the database has them: what it made is read there, as its words differ by generation.
    func remoteBlock(_ run: StepContext) async -> Result<RemoteInstructions?, FindingError> {
        work(run).flatMap { work in
            let python = RemoteScript.quote(work.site.install.virtualenv + "/bin/python")
            return .success(
                RemoteInstructions(
                    step: run.screen.id, summary: summary(work),
                    script: RemoteScript.subshell(
                        RemoteScript.python(work.site.install, work.inputs.arguments(id: work.id, users: work.inputs.users))
                            + [RemoteScript.echo("PROVIDERS")] + RemoteScript.djangoShellLines(python: python, code: AtmosphereProviders.snippet))))
        }
    }

    private func summary(_ work: Work) -> [String] {
        work.missing.isEmpty
            ? ["\(work.inputs.users.joined(separator: ", ")) already have an identity on provider \(work.id): nothing to do."]
            : ["Give \(work.missing.joined(separator: ", ")) an identity on provider \(work.id)."]
    }

    /// The script's words and the provider list after it.
    func readRemote(_ output: RemoteOutput, run: StepContext) -> [Finding] {
        let inputs = Inputs(run.reader(for: self))
        let id: Int
        do { id = try inputs.provider.required() } catch { return [error.finding] }
        guard let status = output.status else {
            return [failure(target: "add_new_accounts.py", observed: "the pasted text has no exit status (ATMO-CONNECT-STATUS)", remedy: "Paste everything the block printed.")]
        }
        guard let after = DjangoShell.lastResult(in: output.text, as: AtmosphereProviders.Listing.self)?.providers else {
            return [
                failure(
                    target: "provider \(id)", observed: "the pasted text has no provider list from the database (ATMO-CONNECT-RESULT after ATMO-CONNECT-PROVIDERS)",
                    remedy: "Paste everything the block printed; if manage.py shell failed at the end, fix that first.")
            ]
        }
        let present = Set((after.first { $0.id == id }?.users ?? []).map { $0.lowercased() })
        return AccountsScript.findings(output: output.text(before: "STATUS"), status: status, providerID: id, users: inputs.users, present: present)
    }
}
