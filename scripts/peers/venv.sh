#!/usr/bin/env bash
# Creates (or reuses) the Python venv with real OpenStack API servers for the tests, outside the clone.
# Prints the venv's path. Idempotent: a marker file records the pinned set that was installed.
set -euo pipefail
venv=${ATMO_PEERS_VENV:-$HOME/.cache/atmo-connect/openstack-venv}
pins="keystone==30.0.0 glance==33.0.0 neutron==29.0.0 nova==34.0.0 cinder==29.0.0 gunicorn==23.0.0 cryptography"
marker="$venv/.atmo-pins"
if [ -f "$marker" ] && [ "$(cat "$marker")" = "$pins" ]; then echo "$venv"; exit 0; fi
mkdir -p "$(dirname "$venv")"
python3 -m venv "$venv" >&2
"$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip >&2
# shellcheck disable=SC2086
"$venv/bin/pip" install --quiet --disable-pip-version-check $pins >&2
echo "$pins" > "$marker"
echo "$venv"
