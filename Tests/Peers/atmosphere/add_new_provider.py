#!/usr/bin/env python3
"""A stand-in for Atmosphere's scripts/add_new_provider.py, for tests: the prompts, review and failure modes of
both generations as ../../../shared/reference/atmosphere.md section 1 documents them. No Django, no database.

FAKE_ATMO_GENERATION=old|head picks the generation; FAKE_ATMO_MODE=success|connection-failure picks the outcome.
Existing providers are listed in $FAKE_ATMO_TREE/providers.txt; everything the script was given goes to
$FAKE_ATMO_TREE/add_new_provider.record.json.
"""
import json
import os
import pprint
import sys

GENERATION = os.environ.get("FAKE_ATMO_GENERATION", "head")
MODE = os.environ.get("FAKE_ATMO_MODE", "success")
TREE = os.environ.get("FAKE_ATMO_TREE", ".")
record = {"argv": sys.argv, "answers": [], "generation": GENERATION}


def save():
    with open(os.path.join(TREE, "add_new_provider.record.json"), "w") as handle:
        json.dump(record, handle)


def ask(prompt):
    sys.stdout.write(prompt)
    sys.stdout.flush()
    try:
        answer = input()
    except (EOFError, KeyboardInterrupt):
        print("ERROR: Script has been cancelled.")
        save()
        sys.exit(1)
    record["answers"].append([prompt, answer])
    return answer


def main():
    path = None
    if "--from-json" in sys.argv:
        path = sys.argv[sys.argv.index("--from-json") + 1]
    if path is None:
        if GENERATION == "head":
            print("Warning: no JSON file was presented. Please use or copy extras/json_data/new_provider_cloud_config.json")
            print("Your new Provider and First Identity have been created: None")
            save()
            return 0
        info = {}
    else:
        try:
            with open(path) as handle:
                info = json.load(handle)
        except ValueError:
            print("Invalid file format expected a json file.")
            save()
            raise
    if GENERATION == "old":
        provider, admin, credential, cloud = info["provider"], info["admin"], info["credential"], info["cloud_config"]
    else:
        provider, admin, credential, cloud = (info.get(key, {}) for key in ("provider", "admin", "credential", "cloud_config"))
    if not provider.get("name"):
        provider["name"] = ask("What is the name of your new provider? : ")
    if not provider.get("public"):
        print("Images on Public providers are advertised on Troposphere UI without authentication.")
        print("Generally, users will have an identity created on each public provider.")
        text = "Would you like Atmosphere to make this provider public? (yes/[no]): " if GENERATION == "head" else "Is this provider public? (yes/[no]): "
        provider["public"] = ask(text).lower() == "yes"
    if GENERATION == "old":
        print("Select a platform type for your new provider")
        print("1: KVM (Default), 2: Xen")
        choice = ask("Select a platform type ([1]/2): ") or "1"
        if choice == "2":
            raise NameError("name 'platform_choice' is not defined")
    required = ["admin_url", "auth_url", "region_name"] + (["public_routers"] if GENERATION == "old" else [])
    for field in required:
        if not credential.get(field):
            print("The required field `%s` was not found." % field)
            save()
            return 1
    user = cloud.setdefault("user", {})
    while len(user.get("secret", "")) < 32:
        user["secret"] = ask("What secret would you like to use to create user accounts? (32 character minimum) ")
    existing = []
    if os.path.exists(os.path.join(TREE, "providers.txt")):
        existing = open(os.path.join(TREE, "providers.txt")).read().split()
    while True:
        print("1. Provider Information")
        pprint.pprint({"name": provider["name"], "public": provider["public"], "platform": "<PlatformType: KVM>", "type": "<ProviderType: OpenStack>"})
        print("1. Provider Cloud config")
        pprint.pprint(cloud)
        print("2. Admin Information")
        pprint.pprint(admin)
        print("3. Provider Credentials")
        pprint.pprint(credential)
        answer = ask("Does everything above look correct? [Yes]/No")
        if answer.strip().lower() in ("", "yes") or GENERATION == "old" and answer.strip() == "":
            if MODE == "connection-failure":
                print("Error occurred creating account driver: Unable to authenticate to %s" % credential["auth_url"])
                print("Could not create an account driver for the new Provider %s. Check your credentials and try again..." % provider["name"])
                if provider["name"] in existing:
                    record["deleted_existing_provider"] = provider["name"]
                continue
            if provider["name"] not in existing:
                existing.append(provider["name"])
                with open(os.path.join(TREE, "providers.txt"), "w") as handle:
                    handle.write("\n".join(existing) + "\n")
            if GENERATION == "old":
                print("You still need to create an AllocationStrategy. Go into the admin panel and select a Strategy *BEFORE* you use Atmosphere")
            print("Your new Provider and First Identity have been created: <Identity: %s - %s>" % (admin.get("username"), provider["name"]))
            save()
            return 0
        if GENERATION == "head":
            section = ask("What section should be removed? 1, 2, 3, exit, [back]")
            if section == "exit":
                print("Your new Provider and First Identity have been created: None")
                save()
                return 0
        # The old review had no exit: anything but Yes fell through to the prompts again.


if __name__ == "__main__":
    sys.exit(main())
