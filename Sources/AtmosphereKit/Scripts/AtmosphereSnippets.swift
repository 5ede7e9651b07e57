import AtmoModel
import Foundation

/// Python for `manage.py shell`, one per Atmosphere step. Each prints DjangoShell.marker and a JSON result as its last line.
/// Values are embedded as JSON string literals, which are valid Python.
public enum AtmosphereSnippets {
    /// A value as a Python literal: JSON strings, numbers and lists are valid Python (2 and 3) with the same meaning, once
    /// JSON's one escape Python lacks, `\/`, is not used.
    public static func literal(_ value: Any) -> String {
        String(
            decoding: (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes]))
                ?? Data("null".utf8), as: UTF8.self)
    }

    /// Staff and superuser rights for existing users, with a Django password when one is given; names the users that do
    /// not exist, and returns AUTHENTICATION_BACKENDS, which decides whether they can log in with it. The password is a
    /// literal in the code, so the code goes only to a 0600 file; previews pass the mask instead.
    public static func staffRights(users: [String], password: String? = nil) -> String {
        """
        import json
        from django.conf import settings
        from core.models import AtmosphereUser
        done, missing = [], []
        password = \(password.map { literal($0) } ?? "None")
        for name in \(literal(users)):
            try:
                user = AtmosphereUser.objects.get(username=name)
            except AtmosphereUser.DoesNotExist:
                missing.append(name)
                continue
            user.is_staff = True
            user.is_superuser = True
            if password is not None:
                user.set_password(password)
            user.save()
            done.append(name)
        backends = list(getattr(settings, 'AUTHENTICATION_BACKENDS', []) or [])
        print("\(DjangoShell.marker)" + json.dumps({"staff": done, "missing": missing, "password_set": password is not None, "backends": backends}))

        """
    }

    /// The finding that tells a front end to show the staff's Django password once (it is in no finding's text).
    public static let staffPasswordShownOnce = Finding(
        checkID: "atmosphere.staff-rights", target: "staff.password", severity: .info,
        observed: "set as their Django password: shown once now, stored nowhere")

    /// The guide's allocation strategy (old generation), creating missing behaviour rows; newer ones have allocation sources.
    public static func allocationStrategy(providerID: Int, counting: String, refresh: [String], rules: [String]) -> String {
        """
        import json
        from core.models import Provider
        from core.models.allocation_strategy import AllocationStrategy, CountingBehavior, RefreshBehavior, RulesBehavior
        provider = Provider.objects.get(id=\(providerID))
        created = []
        counting, made = CountingBehavior.objects.get_or_create(name=\(literal(counting)))
        if made: created.append(counting.name)
        strategy, new = AllocationStrategy.objects.get_or_create(provider=provider, defaults={"counting_behavior": counting})
        strategy.counting_behavior = counting
        for name in \(literal(refresh)):
            behavior, made = RefreshBehavior.objects.get_or_create(name=name)
            if made: created.append(name)
            strategy.refresh_behaviors.add(behavior)
        for name in \(literal(rules)):
            behavior, made = RulesBehavior.objects.get_or_create(name=name)
            if made: created.append(name)
            strategy.rules_behaviors.add(behavior)
        strategy.save()
        print("\(DjangoShell.marker)" + json.dumps({"strategy": "new" if new else "existing", "behaviours_created": created}))

        """
    }

    /// Whether an allocation-source plugin is configured (the newer generation).
    public static let allocationSourcePlugin = """
        import json
        from django.conf import settings
        print("\(DjangoShell.marker)" + json.dumps({"plugins": list(getattr(settings, "ALLOCATION_SOURCE_PLUGINS", []) or [])}))

        """

    /// The initial sync: monitor_resources_for (every generation has it: sizes, volumes, machines, instances), or, without
    /// instances or where an install lacks it, the single tasks; what ran is read from the module, not guessed.
    public static func initialSync(providerID: Int, includeInstances: Bool = true) -> String {
        """
        import json
        from service.tasks import monitoring
        if \(includeInstances ? "True" : "False") and hasattr(monitoring, 'monitor_resources_for'):
            how = 'monitor_resources_for'
            result = monitoring.monitor_resources_for(\(providerID)) or {}
            sizes, machines = result.get('sizes'), result.get('machines')
            instances, volumes = result.get('instances'), result.get('volumes')
        else:
            how = 'monitor_sizes_for, monitor_volumes_for, monitor_machines_for'
            sizes = monitoring.monitor_sizes_for(\(providerID))
            volumes = monitoring.monitor_volumes_for(\(providerID)) if hasattr(monitoring, 'monitor_volumes_for') else None
            machines = monitoring.monitor_machines_for(\(providerID))
            instances = None
            if \(includeInstances ? "True" : "False"):
                how = how + ', monitor_instances_for'
                instances = monitoring.monitor_instances_for(\(providerID))
        print("\(DjangoShell.marker)" + json.dumps({"sizes": len(sizes or []), "images": len(machines or []),
                                                  "instances": None if instances is None else len(instances),
                                                  "volumes": None if volumes is None else len(volumes), "how": how}))

        """
    }
}
