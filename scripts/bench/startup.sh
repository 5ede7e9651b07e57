#!/usr/bin/env bash
# Start-up: `atmo-connect --version` and `atmo-connect status` (on a state of 10,000 events, left by engine-bench)
# side by side with `openstack --version` from python-openstackclient, by hyperfine in one run.
# Usage: scripts/bench/startup.sh PATH/TO/atmo-connect STATE-DIR. Prints ratios; never fails the test suite.
set -euo pipefail
binary=$(realpath "${1:?usage: scripts/bench/startup.sh PATH/TO/atmo-connect STATE-DIR}")
state=${2:?usage: scripts/bench/startup.sh PATH/TO/atmo-connect STATE-DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
venv=$("$root/scripts/peers/venv.sh" --cli)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# hyperfine's advice on outliers goes to a file; it is shown only if a run fails.
if ! hyperfine --style none -N --warmup 5 --runs 40 --export-json "$work/atmo.json" \
        "$binary --version" "$binary status --state-dir $state" > /dev/null 2> "$work/warnings" ||
   ! hyperfine --style none -N --warmup 2 --runs 10 --export-json "$work/openstack.json" \
        "$venv/bin/openstack --version" > /dev/null 2>> "$work/warnings"; then
    cat "$work/warnings"
    exit 1
fi
python3 - "$work" <<'EOF'
import json, statistics, sys
work = sys.argv[1]
atmo = [statistics.median(r["times"]) for r in json.load(open(f"{work}/atmo.json"))["results"]]
openstack = statistics.median(json.load(open(f"{work}/openstack.json"))["results"][0]["times"])
print("start-up (hyperfine, medians):")
print(f"  atmo-connect --version: {atmo[0] / 0.020:.2f} of the 20 ms target; openstack --version takes {openstack / atmo[0]:.0f}x as long")
print(f"  atmo-connect status (10,000 events): {atmo[1] / 0.020:.2f} of the 20 ms target; openstack --version takes {openstack / atmo[1]:.0f}x as long")
EOF
