import AtmosphereKit
import Foundation
import StepEngine

/// Staff rights, allocation and the initial sync, through Atmosphere's `manage.py shell`.
enum AtmosphereShellActions {
    static func plan(_ screen: Screen, engine: Engine) -> Result<ActionPlan, FindingError>? {
        guard let id = screen.actions.first(where: { ids.contains($0) }) else { return nil }
        let context: AtmosphereActions.Context
        switch AtmosphereActions.context(engine, checkID: id) {
        case let .success(found): context = found
        case let .failure(error): return .failure(error)
        }
        let shell = "cd \(context.install.checkout) && \(context.install.virtualenv)/bin/python manage.py shell   "
            + "# stdin: one line that runs the Python below from a 0600 temporary file (the same on Django 1.10 and 1.11)"
        let python = code(id: id, context: context, engine: engine, reveal: false) ?? ""
        switch id {
        case "atmosphere.staff-rights":
            let users = context.list("staff.users")
            return .success(ActionPlan(summary: users.isEmpty ? ["No users named: nothing to do."] : ["Make \(users.joined(separator: ", ")) staff and superuser."],
                                       files: [], commands: users.isEmpty ? [] : [shell], python: python))
        default:
            guard case let .integer(provider)? = context.answers["provider.id"] else {
                return .failure(FindingError(Finding(checkID: id, target: "provider.id", severity: .failure, observed: "the provider's id is not known yet",
                                                     remedy: "Run the provider step first (it finds the id).")))
            }
            if id == "atmosphere.allocation" && !context.install.hasAllocationStrategy {
                // Newer Atmosphere: nothing to create, only a check, so no question.
                return .success(ActionPlan(summary: ["Check that an allocation-source plugin is configured."], files: [], python: python))
            }
            let what = id == "atmosphere.allocation" ? "Create the allocation strategy for provider \(provider) (and missing behaviours)."
                                                     : "Import sizes, volumes, images and instances of provider \(provider)."
            return .success(ActionPlan(summary: [what], files: [], commands: [shell], python: python))
        }
    }

    /// The Python a step feeds to `manage.py shell`, with its summary; nil when there is nothing to run (no staff users named).
    static func snippet(_ screen: Screen, engine: Engine) -> Result<(summary: [String], install: AtmosphereInstall, code: String)?, FindingError> {
        guard let id = screen.actions.first(where: { ids.contains($0) }) else { return .success(nil) }
        switch plan(screen, engine: engine) {
        case let .failure(error)?: return .failure(error)
        case let .success(plan)?:
            // The remote block never carries a password (it is shown and saved): the findings say how to set one there.
            guard case let .success(context) = AtmosphereActions.context(engine, checkID: id),
                  let code = code(id: id, context: context, engine: engine, reveal: false) else { return .success(nil) }
            return .success((plan.summary, context.install, code))
        case nil: return .success(nil)
        }
    }

    static let ids: Set<String> = ["atmosphere.staff-rights", "atmosphere.allocation", "atmosphere.initial-sync"]

    /// The Python for step `id`; with `reveal`, the staff password itself, else the mask in its place (previews, remote blocks).
    static func code(id: String, context: AtmosphereActions.Context, engine: Engine, reveal: Bool) -> String? {
        let provider: Int? = { if case let .integer(value)? = context.answers["provider.id"] { return value } else { return nil } }()
        switch id {
        case "atmosphere.staff-rights":
            let users = context.list("staff.users")
            guard !users.isEmpty else { return nil }
            guard context.flag("staff.set_password"), !RemoteProcedure.isRemote(context.reader) else {
                return AtmosphereSnippets.staffRights(users: users)
            }
            return AtmosphereSnippets.staffRights(users: users, password: reveal ? engine.secret(for: "staff.password")?.reveal() : Redactor.mask)
        case "atmosphere.allocation":
            return context.install.hasAllocationStrategy
                ? AtmosphereSnippets.allocationStrategy(providerID: provider ?? 0, counting: context.text("allocation.counting"),
                                                        refresh: context.list("allocation.refresh"), rules: context.list("allocation.rules"))
                : AtmosphereSnippets.allocationSourcePlugin
        default:
            return AtmosphereSnippets.initialSync(providerID: provider ?? 0, includeInstances: context.flag("sync.include_instances"))
        }
    }

    static func perform(_ screen: Screen, engine: Engine) -> [Finding]? {
        guard let id = screen.actions.first(where: { ids.contains($0) }),
              case let .success(context) = AtmosphereActions.context(engine, checkID: id) else { return nil }
        guard let code = code(id: id, context: context, engine: engine, reveal: true) else {
            return [Finding(checkID: id, target: "staff.users", severity: .ok, observed: "no users named")]
        }
        let result: DjangoShell.Result
        do {
            result = try DjangoShell.run(install: context.install, code: code)
        } catch {
            return [Finding(checkID: id, target: "manage.py shell", severity: .failure, observed: (error as? ScriptError)?.message ?? "\(error)",
                            remedy: "Check atmosphere.venv and the checkout.")]
        }
        try? engine.store.appendEvent(session: engine.session.id, kind: "command-run", step: screen.id, detail: "manage.py shell: status \(result.status)\n\(result.output)")
        guard let value = result.value else {
            let last = result.output.split(separator: "\n").last.map(String.init) ?? "no output"
            return [Finding(checkID: id, target: "manage.py shell", severity: .failure, observed: "it stopped before finishing: \(last)",
                            remedy: "Run the step's snippet in manage.py shell by hand to see the whole error (the log has the output).")]
        }
        return findings(id: id, value: value, context: context)
    }

    /// Whether the staff can log in to /admin as Atmosphere's settings stand: Django accepts a password only through
    /// ModelBackend; without it they log in through LDAP, CAS or mock authentication.
    static func loginFindings(id: String, backends: [String], passwordSet: Bool, context: AtmosphereActions.Context) -> [Finding] {
        let model = backends.contains("django.contrib.auth.backends.ModelBackend")
        let target = "AUTHENTICATION_BACKENDS"
        let enable = "Un-comment django.contrib.auth.backends.ModelBackend in AUTHENTICATION_BACKENDS in atmosphere/settings/local.py "
            + "(clank: AUTH_ENABLE_GLOBUS adds it; variables.ini, then ./configure) and restart Atmosphere."
        var findings: [Finding] = []
        if passwordSet {
            findings.append(AtmosphereSnippets.staffPasswordShownOnce)
            findings.append(model
                ? Finding(checkID: id, target: target, severity: .ok, observed: "ModelBackend is enabled: /admin accepts their Django password")
                : Finding(checkID: id, target: target, severity: .warning,
                          observed: "their Django password is set, but AUTHENTICATION_BACKENDS has no ModelBackend: /admin will not accept it (backends: \(backends.joined(separator: ", ")))",
                          remedy: enable))
        } else if context.flag("staff.set_password"), RemoteProcedure.isRemote(context.reader) {
            findings.append(Finding(checkID: id, target: "staff.password", severity: .info,
                                    observed: "no password went through the pasted block (it is shown and saved)",
                                    remedy: "On the Atmosphere server: ./manage.py changepassword USER, for each of them."))
        } else {
            findings.append(Finding(checkID: id, target: target, severity: .info,
                                    observed: model ? "ModelBackend is enabled: a Django password (staff.set_password) lets them log in to /admin"
                                                    : "they log in through \(backends.isEmpty ? "no backend at all" : backends.joined(separator: ", ")); without LDAP, CAS or mock authentication they need ModelBackend and a Django password",
                                    remedy: model ? "" : enable))
        }
        return findings
    }

    static func findings(id: String, value: [String: AnyCodableValue], context: AtmosphereActions.Context) -> [Finding] {
        func strings(_ key: String) -> [String] {
            if case let .list(items)? = value[key] { return items.compactMap { if case let .string(text) = $0 { return text } else { return nil } } }
            return []
        }
        func number(_ key: String) -> Int? { if case let .int(count)? = value[key] { return count } else { return nil } }
        switch id {
        case "atmosphere.staff-rights":
            var result = strings("staff").map { Finding(checkID: id, target: $0, severity: .ok, observed: "staff and superuser") }
            result += strings("missing").map {
                Finding(checkID: id, target: $0, severity: .failure, observed: "no such Atmosphere user",
                        remedy: "Have them log in once, or add them with the accounts step; then run this step again.")
            }
            return result + loginFindings(id: id, backends: strings("backends"), passwordSet: value["password_set"] == .bool(true), context: context)
        case "atmosphere.allocation" where !context.install.hasAllocationStrategy:
            let plugins = strings("plugins")
            return [Finding(checkID: id, target: "ALLOCATION_SOURCE_PLUGINS", severity: plugins.isEmpty ? .failure : .ok,
                            observed: plugins.isEmpty ? "no allocation-source plugin configured" : plugins.joined(separator: ", "),
                            remedy: plugins.isEmpty ? "Set ALLOCATION_SOURCE_PLUGINS (FlexibleAllocationSourcePlugin by default): account creation fails silently without it." : "")]
        case "atmosphere.allocation":
            let created = strings("behaviours_created")
            return [Finding(checkID: id, target: "provider \(context.answers["provider.id"].map { $0.displayText } ?? "?")", severity: .ok,
                            observed: "allocation strategy \(value["strategy"] == .string("new") ? "created" : "already there")"
                                + (created.isEmpty ? "" : "; behaviours created: \(created.joined(separator: ", "))"))]
        default:
            let sizes = number("sizes") ?? 0, images = number("images") ?? 0
            return [Finding(checkID: id, target: "provider \(context.answers["provider.id"].map { $0.displayText } ?? "?")",
                            severity: sizes == 0 || images == 0 ? .warning : .ok,
                            observed: "imported \(sizes) size(s), \(images) image(s)" + (number("volumes").map { ", \($0) volume(s)" } ?? "")
                                + (number("instances").map { ", \($0) instance(s)" } ?? ""),
                            remedy: sizes == 0 || images == 0 ? "Check that the admin identity sees the flavors and public images (MACHINE_VALIDATION_PLUGIN may filter images)." : "")]
        }
    }
}
