#!/usr/bin/env python3
"""A stand-in for Atmosphere's scripts/add_new_accounts.py (HEAD), for tests: its arguments and output as
../../../shared/reference/atmosphere.md section 1.7 documents them. Providers come from $FAKE_ATMO_TREE/providers.txt
(line N is provider id N+3, as the first provider of a new deployment is typically 4); identities already made are kept
in $FAKE_ATMO_TREE/identities.txt. FAKE_ATMO_MODE=plugin-failure makes account creation fail silently, as the real one does.
"""
import argparse
import json
import os
import sys

TREE = os.environ.get("FAKE_ATMO_TREE", ".")
MODE = os.environ.get("FAKE_ATMO_MODE", "success")


def lines(name):
    path = os.path.join(TREE, name)
    return open(path).read().split("\n") if os.path.exists(path) else []


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--provider", type=int)
    parser.add_argument("--provider-id", type=int)
    parser.add_argument("--provider-list", action="store_true")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--group")
    parser.add_argument("--users")
    parser.add_argument("--admin", action="store_true")
    args = parser.parse_args()
    with open(os.path.join(TREE, "add_new_accounts.record.json"), "a") as handle:
        handle.write(json.dumps(sys.argv) + "\n")
    providers = [name for name in lines("providers.txt") if name]
    if args.provider_list:
        print("ID\tName")
        for index, name in enumerate(providers):
            print("%d\t%s" % (index + 4, name))
        return 0
    if args.provider is None:
        raise Exception("Missing required argument: --provider <id>. use --provider-list to get a list of provider ID+names")
    if not 0 <= args.provider - 4 < len(providers):
        raise Exception("Provider matching query does not exist.")
    provider = providers[args.provider - 4]
    known = set(filter(None, lines("identities.txt")))
    users = sorted(args.users.split(",")) if args.users else []
    total = 0
    for user in users:
        key = "%s@%s" % (user, provider)
        created = 0
        if MODE == "plugin-failure":
            print("Could *NOT* Create NEW account for %s" % user, file=sys.stderr)
        elif key not in known or args.rebuild:
            known.add(key)
            created = 1
        print("%s new identities identity_total for %s." % (created, user))
        total += created
    with open(os.path.join(TREE, "identities.txt"), "w") as handle:
        handle.write("\n".join(sorted(known)) + "\n")
    # Like AtmosphereUser.objects.get_or_create(username) in the real script (added 2017-10).
    django_path = os.path.join(TREE, "django.json")
    django = json.load(open(django_path)) if os.path.exists(django_path) else {"users": {}, "behaviours": {"counting": [], "refresh": [], "rules": []}, "strategies": {}}
    for user in users:
        django["users"].setdefault(user, {"is_staff": bool(args.admin), "is_superuser": bool(args.admin)})
    with open(django_path, "w") as handle:
        json.dump(django, handle)
    print("%s Total identities identity_total for %s users" % (total, len(users)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
