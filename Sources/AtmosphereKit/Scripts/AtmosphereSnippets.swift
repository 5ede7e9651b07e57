import Foundation

/// Python for `manage.py shell`, one per Atmosphere step. Each prints DjangoShell.marker and a JSON result as its last line.
/// Values are embedded as JSON string literals, which are valid Python.
public enum AtmosphereSnippets {
    static func literal(_ value: Any) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed])) ?? Data("null".utf8), as: UTF8.self)
    }

    /// Staff and superuser rights for existing users; names the ones that do not exist.
    public static func staffRights(users: [String]) -> String {
        """
        import json
        from core.models import AtmosphereUser
        done, missing = [], []
        for name in \(literal(users)):
            try:
                user = AtmosphereUser.objects.get(username=name)
            except AtmosphereUser.DoesNotExist:
                missing.append(name)
                continue
            user.is_staff = True
            user.is_superuser = True
            user.save()
            done.append(name)
        print("\(DjangoShell.marker)" + json.dumps({"staff": done, "missing": missing}))

        """
    }

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

    /// The initial sync: monitor_resources_for on the newer generation, the three calls on the old one.
    public static func initialSync(providerID: Int, old: Bool) -> String {
        if old {
            return """
                import json
                from service.tasks.monitoring import monitor_machines_for, monitor_instances_for, monitor_sizes_for
                sizes = monitor_sizes_for(\(providerID))
                machines = monitor_machines_for(\(providerID))
                monitor_instances_for(\(providerID))
                print("\(DjangoShell.marker)" + json.dumps({"sizes": len(sizes or []), "images": len(machines or []), "instances": None}))

                """
        }
        return """
            import json
            from service.tasks.monitoring import monitor_resources_for
            result = monitor_resources_for(\(providerID)) or {}
            print("\(DjangoShell.marker)" + json.dumps({"sizes": len(result.get("sizes") or []), "images": len(result.get("machines") or []),
                                                      "instances": len(result.get("instances") or [])}))

            """
    }
}
