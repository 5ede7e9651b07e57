#!/usr/bin/env python3
"""Builds an Atmosphere install that runs upstream's own code, for tests and the demo.

    make_tree.py ROOT --generation guide|window|final --packages DIR [--python PY] [--trust PEM]...
                 [--host "ADDR NAME"]... [--users a,b] [--no-venv] [--no-ansible] [--cache DIR]

Layout (as clank installs it): ROOT/atmosphere (the checkout), ROOT/env/atmo (the virtualenv), ROOT/atmosphere-ansible,
ROOT/etc/hosts (the server's /etc/hosts), ROOT/atmosphere.sqlite3 (its database, in place of PostgreSQL).

- guide:  cyverse/atmosphere at ceb888bf (2017-05-31, the guide's era), Django 1.10.6, allocation strategies seeded.
- window: 0b57c829 (2017-07, final-style scripts), Django 1.10.6, migrations squashed: no behaviour rows.
- final:  4688a4a9 (2022, the last commit), Django 1.11.23, allocation sources, ansible/inventory/.

The upstream files (manage.py, scripts/add_new_provider.py, scripts/add_new_accounts.py, service/deploy.py) are copied
byte for byte from upstream/COMMIT; the virtualenv's python ports their Python 2 syntax as they load. The HTTP stack is
real: --packages is a folder of the packages Atmosphere pins (requests, urllib3, certifi, chardet, idna, apache-libcloud;
made by scripts/peers/venv.sh from scripts/peers/locks/atmosphere.lock), on the virtualenv's path through a .pth file of
its site-packages; certifi is copied, as its bundle is the install's own. Everything
else (Django, the models, the account driver's bookkeeping, the monitoring tasks) is the stand-in under standin/. The
virtualenv's trust store is certifi's own bundle with the --trust files appended, as an operator adds a private CA;
the server's /etc/hosts (ROOT/etc/hosts) is read by atmo_peer_hosts, which a .pth file loads in every process.

With --cache DIR, each kind of install (generation, users, what is left out) is built and seeded once in DIR (under a
lock, so parallel test processes share it) and copied; only the files that name this install's folder, cloud and trust
are written for each copy.
"""
import argparse
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GENERATIONS = {
    "guide": ("ceb888bf", (1, 10, 6, "final", 0)),
    "window": ("0b57c829", (1, 10, 6, "final", 0)),
    "final": ("4688a4a9", (1, 11, 23, "final", 0)),
}
UPSTREAM_FILES = ["manage.py", "scripts/add_new_provider.py", "scripts/add_new_accounts.py", "service/deploy.py"]

SEED = r"""
import django
django.setup()
from core.models import AtmosphereUser, InstanceAction, PlatformType, ProviderType, Quota
# core/fixtures/provider.json
for name in ("Xen", "KVM"):
    PlatformType.objects.get_or_create(name=name)
for name in ("Eucalyptus", "OpenStack", "Amazon EC2"):
    ProviderType.objects.get_or_create(name=name)
for name in ("Start", "Stop", "Resume", "Suspend", "Terminate", "Reboot", "Hard Reboot", "Resize", "Imaging", "Shelve",
             "Shelve Offload", "Unshelve", "Redeploy"):
    InstanceAction.objects.get_or_create(name=name)
Quota.default_quota()
for name in USERS:
    AtmosphereUser.objects.get_or_create(username=name)
if SEED_BEHAVIOURS:
    # core/migrations/0007_create_allocation_strategy_and_behaviors.py (squashed away on 2017-07-19)
    from core.models.allocation_strategy import CountingBehavior, RefreshBehavior, RulesBehavior
    for name in ("1 Month - Calendar Window", "1 Month - Calendar Window - Anniversary"):
        CountingBehavior.objects.get_or_create(name=name)
    for name in ("First of the Month", "Anniversary Date"):
        RefreshBehavior.objects.get_or_create(name=name)
    for name in ("Ignore non-active status", "Multiply by Size CPU"):
        RulesBehavior.objects.get_or_create(name=name)
"""


HOSTS_HOOK = '''"""The Atmosphere server's /etc/hosts for this install (loaded by atmo_peer_hosts.pth in every process of the
virtualenv): names resolve as the server resolves them, so tests reach FQDNs on loopback. Written by make_tree.py."""
import socket

HOSTS = %r
_resolve = socket.getaddrinfo


def _hosts():
    mapping = {}
    try:
        with open(HOSTS) as handle:
            for line in handle:
                parts = line.split("#")[0].split()
                for name in parts[1:]:
                    mapping[name.lower()] = parts[0]
    except OSError:
        pass
    return mapping


def _getaddrinfo(host, *args, **kwargs):
    return _resolve(_hosts().get(str(host).lower(), host), *args, **kwargs)


socket.getaddrinfo = _getaddrinfo
'''


def copy_tree(source, target, skip=(), bytecode=False):
    """Copies files with their times (a compiled file is valid only beside a source of the time it records); compiled
    files only with `bytecode` (the pinned packages, compiled by pip)."""
    for folder, _, files in os.walk(source):
        relative = os.path.relpath(folder, source)
        for name in files:
            path = os.path.normpath(os.path.join(relative, name))
            if path in skip or (name.endswith(".pyc") and not bytecode):
                continue
            os.makedirs(os.path.join(target, relative), exist_ok=True)
            shutil.copy2(os.path.join(folder, name), os.path.join(target, path))


def write_own_files(root, args):
    """The files that name this install's folder, its cloud or its trust: written for every install, copied or built."""
    commit, _ = GENERATIONS[args.generation]
    checkout = os.path.join(root, "atmosphere")
    ansible_root = os.path.join(root, "atmosphere-ansible")
    with open(os.path.join(checkout, "atmosphere", "settings", "local.py"), "w") as handle:
        handle.write("# Written by make_tree.py: this install's settings (./configure writes local.py from variables.ini).\n")
        handle.write("DATABASES = {'default': {'ENGINE': 'stand-in sqlite', 'NAME': %r}}\n" % os.path.join(root, "atmosphere.sqlite3"))
        handle.write("PEER_HOSTS_FILE = %r\n" % os.path.join(root, "etc", "hosts"))
        handle.write("ANSIBLE_ROOT = %r\n" % ansible_root)
        handle.write("ANSIBLE_HOST_FILE = %r\n" % os.path.join(ansible_root, "ansible", "hosts"))
        handle.write("INSTANCE_HOSTNAMING_DOMAIN = 'cloud.example.org'\n")
        handle.write("ATMO_PEER_COMMIT = %r\n" % commit)
        if args.generation != "guide":
            handle.write("ALLOCATION_SOURCE_PLUGINS = ['cyverse_allocation.plugins.allocation_source.FlexibleAllocationSourcePlugin']\n")
            handle.write("ALLOCATION_SOURCE_COMPUTE_ALLOWED = 1000\n")
    os.makedirs(os.path.join(root, "etc"), exist_ok=True)
    with open(os.path.join(root, "etc", "hosts"), "w") as handle:
        handle.write("127.0.0.1 localhost\n" + "".join(line + "\n" for line in args.host))
    if args.no_venv:
        return
    site = os.path.join(root, "env", "atmo", "lib", "python2.7", "site-packages")
    with open(os.path.join(site, "atmo_peer_hosts.py"), "w") as handle:
        handle.write(HOSTS_HOOK % os.path.join(root, "etc", "hosts"))
    # certifi's own bundle (Mozilla's roots of its day); --trust appends private CAs, as an operator does.
    shutil.copyfile(os.path.join(args.packages, "certifi", "cacert.pem"), os.path.join(site, "certifi", "cacert.pem"))
    with open(os.path.join(site, "certifi", "cacert.pem"), "a") as handle:
        for path in args.trust:
            handle.write("\n" + open(path).read())
    python = os.path.join(root, "env", "atmo", "bin", "python")
    # -S: the interpreter's own site-packages (the test venv's: paramiko, keystone, …) are not this virtualenv's; the
    # launcher adds the install's site-packages as a virtualenv has them.
    with open(python, "w") as handle:
        handle.write('#!/bin/sh\nexec %s -S %s "$@"\n' % (shlex_quote(args.python), shlex_quote(os.path.join(site, "atmo_peer_launch.py"))))
    os.chmod(python, 0o755)


def build(root, args):
    """A whole install at `root`: the files, then its database seeded by its own Django."""
    commit, version = GENERATIONS[args.generation]
    checkout = os.path.join(root, "atmosphere")
    for path in UPSTREAM_FILES:
        os.makedirs(os.path.dirname(os.path.join(checkout, path)), exist_ok=True)
        shutil.copyfile(os.path.join(HERE, "upstream", commit, path), os.path.join(checkout, path))
    skip = {"core/models/allocation_strategy.py"} if args.generation == "final" else set()
    copy_tree(os.path.join(HERE, "standin", "checkout"), checkout, skip)
    ansible_root = os.path.join(root, "atmosphere-ansible")
    if not args.no_ansible:
        os.makedirs(os.path.join(ansible_root, "ansible", "group_vars"), exist_ok=True)
        if args.generation == "final":
            os.makedirs(os.path.join(ansible_root, "ansible", "inventory", "group_vars"), exist_ok=True)
    if not args.no_venv:
        if not args.packages or not os.path.isfile(os.path.join(args.packages, "requests", "__init__.py")):
            sys.exit("make_tree.py: --packages must name the folder of Atmosphere's pinned packages (scripts/peers/venv.sh makes "
                     "it); got %r" % args.packages)
        site = os.path.join(root, "env", "atmo", "lib", "python2.7", "site-packages")
        # The pinned packages are read where venv.sh put them (a path line of a .pth file, as site-packages extends its
        # path): libcloud alone is 2,100 files. certifi is the install's own copy, as its bundle is (trust appended).
        copy_tree(os.path.join(args.packages, "certifi"), os.path.join(site, "certifi"), bytecode=True)
        copy_tree(os.path.join(HERE, "standin", "site-packages"), site)
        with open(os.path.join(site, "atmo_peer_packages.pth"), "w") as handle:
            handle.write(os.path.abspath(args.packages) + "\n")
        with open(os.path.join(site, "atmo_peer_hosts.pth"), "w") as handle:
            handle.write("import atmo_peer_hosts\n")
        shutil.copyfile(os.path.join(HERE, "py2port.py"), os.path.join(site, "atmo_py2port.py"))
        with open(os.path.join(site, "django", "__init__.py")) as handle:
            text = handle.read()
        with open(os.path.join(site, "django", "__init__.py"), "w") as handle:
            handle.write(text.replace('VERSION = (1, 11, 23, "final", 0)', "VERSION = %r" % (version,)))
        os.makedirs(os.path.join(root, "env", "atmo", "bin"), exist_ok=True)
    write_own_files(root, args)
    if args.no_venv:
        return
    users = [name for name in args.users.split(",") if name]
    seed = "USERS = %r\nSEED_BEHAVIOURS = %r\n" % (users, args.generation == "guide") + SEED
    environment = dict(os.environ, DJANGO_SETTINGS_MODULE="atmosphere.settings", PYTHONPATH=checkout)
    subprocess.run([os.path.join(root, "env", "atmo", "bin", "python"), "-c", seed], cwd=checkout, env=environment, check=True)


def cached_build(root, args):
    """Builds the install once per cache folder and key (generation, users, what is left out) and copies it: the cache
    is a test run's (every test process of the run shares it), so each kind of install is seeded once per run."""
    import fcntl
    key = "%s-%s%s%s" % (args.generation, "_".join(sorted(filter(None, args.users.split(",")))) or "nobody",
                         "-noenv" if args.no_venv else "", "-noansible" if args.no_ansible else "")
    os.makedirs(args.cache, exist_ok=True)
    template = os.path.join(args.cache, key)
    with open(template + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.exists(os.path.join(template, ".made")):
            shutil.rmtree(template, ignore_errors=True)
            build(template, args)
            open(os.path.join(template, ".made"), "w").close()
    shutil.copytree(template, root, symlinks=True, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".made"))
    write_own_files(root, args)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("root")
    parser.add_argument("--generation", choices=sorted(GENERATIONS), required=True)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--packages", help="the pinned requests, urllib3, certifi, chardet and idna (required with the virtualenv)")
    parser.add_argument("--trust", action="append", default=[])
    parser.add_argument("--host", action="append", default=[])
    parser.add_argument("--users", default="")
    parser.add_argument("--no-venv", action="store_true")
    parser.add_argument("--no-ansible", action="store_true")
    parser.add_argument("--cache", help="a folder where each kind of install is built once, then copied")
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    if args.cache:
        cached_build(root, args)
    else:
        build(root, args)


def shlex_quote(text):
    return "'" + text.replace("'", "'\\''") + "'"


if __name__ == "__main__":
    main()
