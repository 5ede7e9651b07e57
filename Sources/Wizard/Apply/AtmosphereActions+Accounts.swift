import AtmosphereKit
import Foundation
import StepEngine

/// The accounts step: add_new_accounts.py for the users who have no identity on the provider yet, judged by the database.
extension AtmosphereActions {
    /// Show the add_new_accounts.py command for the users who have no identity yet on the provider.
    static func accountsPlan(_ run: StepContext) -> Result<ActionPlan, FindingError> {
        accountsWork(run).map { context, id, missing in
            guard !missing.isEmpty else {
                return ActionPlan(
                    summary: ["\(context.list("accounts.users").joined(separator: ", ")) already have an identity on provider \(id): nothing to do."],
                    files: [])
            }
            let command = accountsArguments(id: id, users: missing, admin: context.flag("accounts.admin")).joined(separator: " ")
            return ActionPlan(
                summary: ["Give \(missing.joined(separator: ", ")) an identity on provider \(id)."],
                files: [], commands: ["cd \(context.install.checkout) && \(context.install.virtualenv)/bin/python \(command)"])
        }
    }

    /// The context, the provider id and the users still without an identity there (read from Atmosphere's database).
    static func accountsWork(_ run: StepContext) -> Result<(Context, Int, [String]), FindingError> {
        context(run, checkID: "atmosphere.add-accounts").flatMap { context in
            providerID(context.reader, checkID: "atmosphere.add-accounts").map { id in (context, id) }
        }.flatMap { context, id in
            if context.reader.isRemote { return .success((context, id, context.list("accounts.users"))) }
            return providers(context, checkID: "atmosphere.add-accounts").flatMap { existing in
                guard let provider = existing.first(where: { $0.id == id }) else {
                    return .failure(
                        FindingError(
                            Finding(
                                checkID: "atmosphere.add-accounts", target: "provider \(id)", severity: .failure,
                                observed: "Atmosphere has no provider with id \(id)",
                                remedy: "Run the provider step again: it finds the provider's id.")))
                }
                let present = Set(provider.users.map { $0.lowercased() })
                return .success((context, id, context.list("accounts.users").filter { !present.contains($0.lowercased()) }))
            }
        }
    }

    /// The add_new_accounts.py arguments.
    static func accountsArguments(id: Int, users: [String], admin: Bool) -> [String] {
        ["scripts/add_new_accounts.py", "--provider", String(id), "--users", users.joined(separator: ",")] + (admin ? ["--admin"] : [])
    }

    /// The add_new_accounts.py arguments for the answers, once the provider id is known.
    static func accountsArguments(_ reader: AnswerReader) -> [String]? {
        guard case let .integer(id)? = reader.answers["provider.id"] else { return nil }
        return accountsArguments(id: id, users: reader.list("accounts.users"), admin: reader.flag("accounts.admin"))
    }

    static func addAccounts(_ run: StepContext) -> [Finding] {
        let engine = run.engine
        let context: Context, id: Int, missing: [String]
        switch accountsWork(run) {
        case let .success(work): (context, id, missing) = work
        case let .failure(error): return [error.finding]
        }
        let users = context.list("accounts.users")
        guard !missing.isEmpty else {
            return users.map {
                Finding(checkID: "atmosphere.add-accounts", target: $0, severity: .ok, observed: "has an identity on provider \(id) already")
            }
        }
        do {
            let run = try AccountsScript.addAccounts(install: context.install, providerID: id, users: missing, admin: context.flag("accounts.admin"))
            try? engine.store.appendEvent(
                session: engine.session.id, kind: .commandRun, step: "accounts",
                detail: "add_new_accounts.py --provider \(id) --users \(missing.joined(separator: ",")): status \(run.status)\n\(run.output)")
            switch providers(context, checkID: "atmosphere.add-accounts") {
            case let .success(after):
                let present = Set((after.first { $0.id == id }?.users ?? []).map { $0.lowercased() })
                return AccountsScript.findings(output: run.output, status: run.status, providerID: id, users: users, present: present)
            case let .failure(error): return [error.finding]
            }
        } catch {
            return [
                Finding(
                    checkID: "atmosphere.add-accounts", target: "provider \(id)", severity: .failure,
                    observed: (error as? ScriptError)?.message ?? error.localizedDescription, remedy: "Fix what it says and run the step again.")
            ]
        }
    }
}
