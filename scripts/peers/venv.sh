#!/usr/bin/env bash
# Creates (or reuses) the Python environments of the test peers, outside the clone, each from a lock file in
# scripts/peers/locks (every package pinned with its sha256, transitive ones included; scripts/peers/lock.py writes
# them). Prints the OpenStack venv's path. Idempotent: a venv's marker is the hash of the locks it was made from, so a
# changed lock makes it anew, from nothing.
#   - the OpenStack venv (ATMO_PEERS_VENV): real Keystone, Glance, Neutron, Nova, Cinder, Placement; the TLS peer's
#     cryptography;
#   - the tools venv beside it (ATMO_TOOLS_VENV): ansible-core, PyYAML, prometheus-client, which read back what
#     atmo-connect writes;
#   - the Atmosphere packages beside it (ATMO_ATMOSPHERE_SITE): requests, urllib3, certifi, chardet, idna at the
#     versions Atmosphere pins, copied into every Atmosphere test install's site-packages.
# With --cli (for `make bench`), also python-openstackclient in the OpenStack venv (cli.lock, resolved on top of
# openstack.lock, so nothing of the servers changes). With --atmosphere (for `make run`'s demo), only the Atmosphere
# packages.
set -euo pipefail
locks=$(cd "$(dirname "$0")/locks" && pwd)
venv=${ATMO_PEERS_VENV:-$HOME/.cache/atmo-connect/openstack-venv}
cache=$(dirname "$venv")
tools=${ATMO_TOOLS_VENV:-$cache/ansible-venv}
site=${ATMO_ATMOSPHERE_SITE:-$cache/atmosphere-site}
pip_options=(--quiet --disable-pip-version-check --no-input --require-hashes --no-deps)

marker_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

# make_venv DIR LOCK...: DIR is a venv with exactly the packages of the locks, or is made anew.
make_venv() {
    local dir=$1
    shift
    local marker
    marker=$(marker_of "$locks/build.lock" "$@")
    [ -f "$dir/.atmo-lock" ] && [ "$(cat "$dir/.atmo-lock")" = "$marker" ] && return 0
    echo "Making $dir from $(basename -a "$@" | tr '\n' ' ')" >&2
    rm -rf "$dir"
    mkdir -p "$(dirname "$dir")"
    python3 -m venv "$dir" >&2
    # The build backend first, then no build fetches its own (unpinned) one.
    "$dir/bin/pip" install "${pip_options[@]}" -r "$locks/build.lock" >&2
    local lock
    for lock in "$@"; do
        "$dir/bin/pip" install "${pip_options[@]}" --no-build-isolation -r "$lock" >&2
    done
    "$dir/bin/pip" check >&2
    echo "$marker" > "$dir/.atmo-lock"
}

# make_site: the Atmosphere packages are a folder, not a venv: each test install copies them into its own
# site-packages. pip comes from a throwaway venv, so this needs nothing else made first.
make_site() {
    local marker
    marker=$(marker_of "$locks/atmosphere.lock")
    [ -f "$site/.atmo-lock" ] && [ "$(cat "$site/.atmo-lock")" = "$marker" ] && return 0
    echo "Making $site from atmosphere.lock" >&2
    rm -rf "$site"
    mkdir -p "$cache"
    local pip_venv
    pip_venv=$(mktemp -d "$cache/pip-venv.XXXXXX")
    python3 -m venv "$pip_venv" >&2
    "$pip_venv/bin/pip" install "${pip_options[@]}" --target "$site" -r "$locks/atmosphere.lock" >&2
    rm -rf "$pip_venv"
    echo "$marker" > "$site/.atmo-lock"
}

if [ "${1:-}" = "--atmosphere" ]; then
    make_site
    echo "$site"
    exit 0
fi

# Placement (compute.lock) is what the real-Nova peer adds to the API servers.
openstack_locks=("$locks/openstack.lock" "$locks/compute.lock")
[ "${1:-}" = "--cli" ] && openstack_locks+=("$locks/cli.lock")
# A venv made with the CLI serves the tests too: keep it rather than make it again without.
if [ "${1:-}" != "--cli" ] && [ -f "$venv/.atmo-lock" ] \
    && [ "$(cat "$venv/.atmo-lock")" = "$(marker_of "$locks/build.lock" "${openstack_locks[@]}" "$locks/cli.lock")" ]; then
    openstack_locks+=("$locks/cli.lock")
fi
make_venv "$venv" "${openstack_locks[@]}"
make_venv "$tools" "$locks/tools.lock"
make_site
echo "$venv"
