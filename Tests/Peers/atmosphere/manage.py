#!/usr/bin/env python3
"""A stand-in for Atmosphere's `manage.py shell`, for tests: runs the code on stdin against stub Django models
persisted in $FAKE_ATMO_TREE/django.json. The old generation (FAKE_ATMO_GENERATION=old) has the allocation-strategy
models; the later one has only allocation sources (ALLOCATION_SOURCE_PLUGINS from FAKE_ATMO_ALLOCATION_PLUGINS).
Providers come from providers.txt (id = line + 4); users from FAKE_ATMO_USERS; sync counts from FAKE_ATMO_SYNC (sizes,images,instances).
"""
import json
import os
import sys
import types

TREE = os.environ.get("FAKE_ATMO_TREE", ".")
GENERATION = os.environ.get("FAKE_ATMO_GENERATION", "head")
STATE_PATH = os.path.join(TREE, "django.json")
state = json.load(open(STATE_PATH)) if os.path.exists(STATE_PATH) else {
    "users": {name: {"is_staff": False, "is_superuser": False} for name in os.environ.get("FAKE_ATMO_USERS", "").split(",") if name},
    "behaviours": {"counting": [], "refresh": [], "rules": []}, "strategies": {}}


class DoesNotExist(Exception):
    pass


class User:
    DoesNotExist = DoesNotExist

    def __init__(self, name):
        self.username = name
        self.is_staff = state["users"][name]["is_staff"]
        self.is_superuser = state["users"][name]["is_superuser"]

    def save(self):
        state["users"][self.username] = {"is_staff": self.is_staff, "is_superuser": self.is_superuser}


class UserManager:
    def get(self, username):
        if username not in state["users"]:
            raise DoesNotExist(username)
        return User(username)


User.objects = UserManager()


class Provider:
    class objects:
        @staticmethod
        def get(id):
            names = [n for n in open(os.path.join(TREE, "providers.txt")).read().split("\n") if n] if os.path.exists(os.path.join(TREE, "providers.txt")) else []
            if not 0 <= id - 4 < len(names):
                raise DoesNotExist("Provider matching query does not exist.")
            provider = Provider()
            provider.id, provider.location = id, names[id - 4]
            return provider


def behaviour(kind):
    class Behaviour:
        class objects:
            @staticmethod
            def get_or_create(name):
                made = name not in state["behaviours"][kind]
                if made:
                    state["behaviours"][kind].append(name)
                item = Behaviour()
                item.name = name
                return item, made
    return Behaviour


class Related:
    def __init__(self, strategy, key):
        self.strategy, self.key = strategy, key

    def add(self, item):
        if item.name not in self.strategy.record[self.key]:
            self.strategy.record[self.key].append(item.name)


class Strategy:
    class objects:
        @staticmethod
        def get_or_create(provider, defaults):
            key = str(provider.id)
            made = key not in state["strategies"]
            if made:
                state["strategies"][key] = {"counting": defaults["counting_behavior"].name, "refresh": [], "rules": []}
            strategy = Strategy()
            strategy.record = state["strategies"][key]
            strategy.refresh_behaviors = Related(strategy, "refresh")
            strategy.rules_behaviors = Related(strategy, "rules")
            return strategy, made

    def save(self):
        self.record["counting"] = self.counting_behavior.name


def install_stubs():
    core = types.ModuleType("core")
    models = types.ModuleType("core.models")
    models.AtmosphereUser, models.Provider = User, Provider
    sys.modules.update({"core": core, "core.models": models})
    if GENERATION == "old":
        strategy = types.ModuleType("core.models.allocation_strategy")
        strategy.AllocationStrategy, strategy.CountingBehavior = Strategy, behaviour("counting")
        strategy.RefreshBehavior, strategy.RulesBehavior = behaviour("refresh"), behaviour("rules")
        sys.modules["core.models.allocation_strategy"] = strategy
    sizes, images, instances = (int(n) for n in os.environ.get("FAKE_ATMO_SYNC", "1,1,0").split(","))
    monitoring = types.ModuleType("service.tasks.monitoring")
    monitoring.monitor_sizes_for = lambda pid: ["size"] * sizes
    monitoring.monitor_machines_for = lambda pid: ["machine"] * images
    monitoring.monitor_instances_for = lambda pid: None
    monitoring.monitor_resources_for = lambda pid: {"sizes": ["s"] * sizes, "machines": ["m"] * images, "instances": ["i"] * instances, "volumes": []}
    sys.modules.update({"service": types.ModuleType("service"), "service.tasks": types.ModuleType("service.tasks"), "service.tasks.monitoring": monitoring})
    conf = types.ModuleType("django.conf")
    conf.settings = types.SimpleNamespace(ALLOCATION_SOURCE_PLUGINS=[p for p in os.environ.get("FAKE_ATMO_ALLOCATION_PLUGINS", "cyverse_allocation.plugins.allocation_source.FlexibleAllocationSourcePlugin").split(",") if p])
    sys.modules.update({"django": types.ModuleType("django"), "django.conf": conf})


if __name__ == "__main__":
    if sys.argv[1:] != ["shell"]:
        sys.exit("usage: manage.py shell")
    install_stubs()
    exec(sys.stdin.read(), {"__name__": "__main__"})
    with open(STATE_PATH, "w") as handle:
        json.dump(state, handle)
