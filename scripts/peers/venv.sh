#!/usr/bin/env bash
# Creates (or reuses) the Python venv with real OpenStack API servers for the tests, outside the clone.
# Also the venv of the tools that read back what atmo-connect writes (ansible-core, PyYAML). Prints the venv's path. Idempotent: a marker file records the pinned set that was installed.
# With --cli (for `make bench`), also python-openstackclient, the operators' own tool, under a marker of its own so
# that the tests' set is not reinstalled; it adds packages only (pip's dry run shows nothing of the servers changes).
set -euo pipefail
venv=${ATMO_PEERS_VENV:-$HOME/.cache/atmo-connect/openstack-venv}
pins="keystone==30.0.0 glance==33.0.0 neutron==29.0.0 nova==34.0.0 cinder==29.0.0 gunicorn==23.0.0 cryptography"
cli_pins="python-openstackclient==10.5.0"
marker="$venv/.atmo-pins"
if ! [ -f "$marker" ] || [ "$(cat "$marker")" != "$pins" ]; then
    mkdir -p "$(dirname "$venv")"
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip >&2
    # shellcheck disable=SC2086
    "$venv/bin/pip" install --quiet --disable-pip-version-check $pins >&2
    echo "$pins" > "$marker"
fi
if [ "${1:-}" = "--cli" ] && { ! [ -f "$venv/.atmo-cli-pins" ] || [ "$(cat "$venv/.atmo-cli-pins")" != "$cli_pins" ]; }; then
    # shellcheck disable=SC2086
    "$venv/bin/pip" install --quiet --disable-pip-version-check $cli_pins >&2
    echo "$cli_pins" > "$venv/.atmo-cli-pins"
fi
# The real consumers of what atmo-connect writes, for the hostile-value tests: ansible-inventory and PyYAML (and
# Prometheus's own parser, for check --format openmetrics). A venv of
# their own: ansible-core pins Jinja and PyYAML versions the OpenStack services do not share.
tools=${ATMO_TOOLS_VENV:-$(dirname "$venv")/ansible-venv}
tool_pins="ansible-core==2.19.14 PyYAML==6.0.2 prometheus-client==0.26.0"
if ! [ -f "$tools/.atmo-pins" ] || [ "$(cat "$tools/.atmo-pins")" != "$tool_pins" ]; then
    python3 -m venv "$tools" >&2
    # shellcheck disable=SC2086
    "$tools/bin/pip" install --quiet --disable-pip-version-check $tool_pins >&2
    echo "$tool_pins" > "$tools/.atmo-pins"
fi
echo "$venv"
