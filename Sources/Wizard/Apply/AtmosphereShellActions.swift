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
        let python = code(id: id, context: context) ?? ""
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
            guard case let .success(context) = AtmosphereActions.context(engine, checkID: id), let code = code(id: id, context: context) else { return .success(nil) }
            return .success((plan.summary, context.install, code))
        case nil: return .success(nil)
        }
    }

    static let ids: Set<String> = ["atmosphere.staff-rights", "atmosphere.allocation", "atmosphere.initial-sync"]

    static func code(id: String, context: AtmosphereActions.Context) -> String? {
        let provider: Int? = { if case let .integer(value)? = context.answers["provider.id"] { return value } else { return nil } }()
        switch id {
        case "atmosphere.staff-rights":
            let users = context.list("staff.users")
            return users.isEmpty ? nil : AtmosphereSnippets.staffRights(users: users)
        case "atmosphere.allocation":
            return context.install.hasAllocationStrategy
                ? AtmosphereSnippets.allocationStrategy(providerID: provider ?? 0, counting: context.text("allocation.counting", "1 Month - Calendar Window"),
                                                        refresh: context.list("allocation.refresh"), rules: context.list("allocation.rules"))
                : AtmosphereSnippets.allocationSourcePlugin
        default:
            return AtmosphereSnippets.initialSync(providerID: provider ?? 0, includeInstances: context.flag("sync.include_instances", true))
        }
    }

    static func perform(_ screen: Screen, engine: Engine) -> [Finding]? {
        guard let id = screen.actions.first(where: { ids.contains($0) }),
              case let .success(context) = AtmosphereActions.context(engine, checkID: id) else { return nil }
        guard let code = code(id: id, context: context) else {
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
            result.append(Finding(checkID: id, target: "AUTHENTICATION_BACKENDS", severity: .info,
                                  observed: "without LDAP or mock authentication, staff need django.contrib.auth.backends.ModelBackend enabled and a password set to log in"))
            return result
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
