import AtmosphereKit
import StepEngine

/// Runs add_new_accounts.py for the named users who have no identity on the provider yet, judged by Atmosphere's
/// database: here, or on the Atmosphere server through a block that runs it and lists the providers after.
struct AddAccountsAction: AtmosphereServerCapability {
    let descriptor = Capability(
        id: "atmosphere.add-accounts", kind: .action, title: "Run add_new_accounts.py for the named users", availability: .available,
        traits: .takesAsLongAsItsWork)

    /// The users (typed, from a file, or an LDAP group's), whether to rebuild, whether they are admins, the provider
    /// they join, and where Atmosphere is.
    struct Inputs: CapabilityInputs {
        var site: AtmosphereSite.Inputs
        var provider: ProviderRecord
        var users: [String]
        var usersFile: String?
        var group: String?
        var rebuild: Bool
        var admin: Bool

        init(_ answers: InputReader) {
            site = AtmosphereSite.Inputs(answers)
            provider = ProviderRecord(answers)
            users = answers.userNames("accounts.users")
            usersFile = answers.path("accounts.users_file")
            group = answers.optionalText("accounts.group")
            rebuild = answers.flag("accounts.rebuild")
            admin = answers.flag("accounts.admin")
        }

        /// The add_new_accounts.py arguments for `users`, with the group and --rebuild as answered.
        func arguments(id: Int, users: [String]) -> [String] {
            AccountsScript.arguments(providerID: id, users: users, group: group, rebuild: rebuild, admin: admin)
        }
    }

    /// What there is to do: the site, the provider's id, every user named (typed and from the file) and those still
    /// without an identity there (read from Atmosphere's database here; all of them on another server, where the script
    /// skips those it knows). With --rebuild, every named user is made again.
    private struct Work {
        var inputs: Inputs
        var site: AtmosphereSite
        var id: Int
        var users: [String]
        var missing: [String]

        /// The script's arguments here: the users still without an identity.
        var arguments: [String] { inputs.arguments(id: id, users: missing) }

        /// Whether the script has anything to do: users to add, a group to read, or a rebuild.
        var hasWork: Bool { !missing.isEmpty || inputs.group != nil || (inputs.rebuild && users.isEmpty) }
    }

    private func work(_ run: StepContext) -> Result<Work, FindingError> {
        let inputs = Inputs(run.reader(for: self))
        do {
            let users = try AccountsList.merge(typed: inputs.users, file: inputs.usersFile, owner: self)
            guard !users.isEmpty || inputs.group != nil || inputs.rebuild else {
                return .failure(
                    refusal(
                        target: "accounts.users", observed: "no users, no users file and no LDAP group were given, so nothing was done",
                        remedy: "Name the users (accounts.users), a file of them (accounts.users_file) or an LDAP group (accounts.group)."))
            }
            let site = try AtmosphereSite.find(inputs.site, run: run, owner: self).get()
            if let group = inputs.group, site.install.generation == .old {
                // The guide's script takes no --group (it arrived in July 2017): argparse would stop it with status 2.
                return .failure(
                    refusal(
                        target: "accounts.group", observed: "the guide's add_new_accounts.py (before July 2017) has no --group, so \(group)'s members cannot be read by it",
                        remedy: "List the group's members in a file, one a line (getent group \(group), or ldapsearch for its memberUid), and give it as accounts.users_file."))
            }
            let id = try inputs.provider.required()
            if inputs.site.isRemote || inputs.rebuild { return .success(Work(inputs: inputs, site: site, id: id, users: users, missing: users)) }
            guard let provider = try site.providers(owner: self).get().first(where: { $0.id == id }) else {
                return .failure(
                    refusal(target: "provider \(id)", observed: "Atmosphere has no provider with id \(id)", remedy: "Run the provider step again: it finds the provider's id."))
            }
            let present = Set(provider.users.map { $0.lowercased() })
            return .success(Work(inputs: inputs, site: site, id: id, users: users, missing: users.filter { !present.contains($0.lowercased()) }))
        } catch {
            return .failure(error)
        }
    }

    /// Show the add_new_accounts.py command for the users who have no identity yet on the provider.
    func plan(_ run: StepContext) async -> Result<ActionPlan, FindingError>? {
        work(run).map { work in
            ActionPlan(
                summary: summary(work), files: [],
                commands: work.hasWork ? [work.site.pythonCommand(([AccountsScript.script] + work.arguments).joined(separator: " "))] : [])
        }
    }

    func perform(_ run: StepContext, plan: ActionPlan) async -> [Finding] {
        let work: Work
        switch self.work(run) {
        case let .success(found): work = found
        case let .failure(error): return [error.finding]
        }
        let users = work.users
        guard work.hasWork else { return users.map { ok(target: $0, observed: "has an identity on provider \(work.id) already") } }
        do {
            try run.fence(self).check("run add_new_accounts.py")
            // Each user's line as the script reports it: a thousand users are never a silent wait.
            let progress = AccountsProgress(users: work.missing, done: users.count - work.missing.count, total: users.count)
            run.progress(progress.start)
            let ran = try AccountsScript.run(install: work.site.install, arguments: work.arguments) { line in
                if let report = progress.report(line) { run.progress(report) }
            }
            var findings: [Finding] = []
            do {
                let command = work.arguments.joined(separator: " ")
                try run.journal(self).record(.commandRun, "add_new_accounts.py \(command.prefix(300)): status \(ran.status)\n\(ran.output)")
            } catch { findings.append(error.finding) }
            switch work.site.providers(owner: self) {
            case let .success(after):
                let present = Set((after.first { $0.id == work.id }?.users ?? []).map { $0.lowercased() })
                if let group = work.inputs.group {
                    findings.append(groupFinding(group, ran: ran, provider: work.id, identities: present.count))
                }
                return findings + AccountsScript.findings(output: ran.output, status: ran.status, providerID: work.id, users: users, present: present)
            case let .failure(error): return findings + [error.finding]
            }
        } catch {
            return [failure(error, target: "provider \(work.id)", remedy: "Fix what it says and run the step again: users who have an identity now are not added twice.")]
        }
    }

    /// What the script said of an LDAP group: its members are Atmosphere's LDAP server's to know, not ours, and
    /// upstream's get_members answers an empty list for an LDAP error as for an empty group (it only logs the error).
    private func groupFinding(_ group: String, ran: (output: String, status: Int32), provider: Int, identities: Int) -> Finding {
        let remedy =
            "Check the group on Atmosphere's LDAP server (ldapsearch -x -H LDAP_SERVER -b the Groups OU of LDAP_SERVER_DN \"(cn=\(group))\" memberUid) "
            + "and LDAP_SERVER and LDAP_SERVER_DN in Atmosphere's settings; logs/atmosphere.log has get_members' error. Or list the members in accounts.users_file."
        guard ran.status == 0 else {
            return failure(
                target: "group \(group)", observed: "add_new_accounts.py --group \(group) stopped with status \(ran.status): \(AccountsScript.lastLine(ran.output))",
                remedy: remedy)
        }
        let added = AccountsScript.usersAdded(ran.output) ?? 0
        guard added > 0 else {
            return warning(
                target: "group \(group)",
                observed: "add_new_accounts.py --group \(group) gave no one a new identity: every member has one already, the group is empty or unknown, "
                    + "or Atmosphere could not reach its LDAP server (its get_members answers all three the same way); provider \(provider) has \(identities) identities",
                remedy: remedy)
        }
        return ok(target: "group \(group)", observed: "\(added) of its members got an identity; provider \(provider) has \(identities) identities now")
    }

    /// The script, then the providers as the database has them: what it made is read there, as its words differ by generation.
    func remoteBlock(_ run: StepContext) async -> Result<RemoteInstructions?, FindingError> {
        work(run).flatMap { work in
            let python = RemoteScript.quote(work.site.install.virtualenv + "/bin/python")
            return .success(
                RemoteInstructions(
                    step: run.screen.id, summary: summary(work),
                    script: RemoteScript.subshell(
                        RemoteScript.python(work.site.install, [AccountsScript.script] + work.inputs.arguments(id: work.id, users: work.users))
                            + [RemoteScript.echo("PROVIDERS")] + RemoteScript.djangoShellLines(python: python, code: AtmosphereProviders.snippet))))
        }
    }

    private func summary(_ work: Work) -> [String] {
        var lines: [String] = []
        if !work.missing.isEmpty {
            let names = work.missing.count <= 5 ? work.missing.joined(separator: ", ") : "\(work.missing.count) users"
            lines.append(
                (work.inputs.rebuild ? "Make the accounts of \(names) again" : "Give \(names) an identity") + " on provider \(work.id); "
                    + AccountsProgress.expectedTime(users: work.missing.count) + ".")
        }
        let already = work.users.count - work.missing.count
        if already > 0 { lines.append("\(already) of the \(work.users.count) users named have an identity there already: they are left as they are.") }
        if let group = work.inputs.group {
            lines.append(
                "Every member of the LDAP group \(group) gets one too: add_new_accounts.py asks Atmosphere's LDAP server as it runs, "
                    + "so how many is LDAP's to say (about \(Int(AccountsProgress.secondsPerUser)) s a member without an identity).")
        }
        if work.inputs.rebuild && work.users.isEmpty { lines.append("Make every account of provider \(work.id) again (--rebuild).") }
        return lines.isEmpty ? ["\(work.users.joined(separator: ", ")) already have an identity on provider \(work.id): nothing to do."] : lines
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
        let users: [String]
        do { users = try AccountsList.merge(typed: inputs.users, file: inputs.usersFile, owner: self) } catch { return [error.finding] }
        return AccountsScript.findings(output: output.text(before: "STATUS"), status: status, providerID: id, users: users, present: present)
    }
}
