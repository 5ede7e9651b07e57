#!/usr/bin/env bash
# The whole verification against the real OpenStack services (Tests/Peers/openstack_peer.py) on loopback:
# `atmo-connect check --json`, side by side in one run with
#   (a) the guide's way: eight `openstack` commands, then curl on each endpoint, and
#   (b) the limit: one authentication plus the slowest single request of those the check made, each done alone by curl,
#   (c) and what the services can serve at all: one authentication, then all those requests at once (curl --parallel).
# Usage: scripts/bench/check.sh PATH/TO/atmo-connect. Prints ratios; never fails the test suite.
set -euo pipefail
binary=$(realpath "${1:?usage: scripts/bench/check.sh PATH/TO/atmo-connect}")
root=$(cd "$(dirname "$0")/../.." && pwd)
venv=$("$root/scripts/peers/venv.sh" --cli)
work=$(mktemp -d)
umask 077
peer=""
cleanup() { if [ -n "$peer" ]; then kill "$peer" 2>/dev/null; wait "$peer" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT

# The password lives in the environment and in 0600 files only, never in an argument.
OS_PASSWORD="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
export OS_PASSWORD
ATMO_PEER_ADMIN_PASSWORD=$OS_PASSWORD "$venv/bin/python" "$root/Tests/Peers/openstack_peer.py" "$work/peer" > "$work/peer.log" 2>&1 &
peer=$!
for _ in $(seq 600); do grep -q READY "$work/peer.log" && break; kill -0 "$peer" 2>/dev/null || break; sleep 0.5; done
if ! grep -q READY "$work/peer.log"; then echo "check benchmark: the OpenStack services did not start:"; tail -20 "$work/peer.log"; exit 0; fi

field() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); v=d[sys.argv[2]]; print("\n".join(v) if isinstance(v, list) else v)' "$work/peer/peer.json" "$1"; }
auth_url=$(field auth_url)
ca=$(field ca)
mapfile -t resolve < <(field resolve)
resolve_args=(); for line in "${resolve[@]}"; do resolve_args+=(--resolve "$line"); done

# The openstack CLI resolves names through Python's socket module: this maps the test cloud's names to loopback,
# as `curl --resolve` and `atmo-connect --resolve` do. TLS still checks the certificate against the FQDN.
mkdir -p "$work/pyresolve"
cat > "$work/pyresolve/sitecustomize.py" <<'EOF'
import socket
_getaddrinfo = socket.getaddrinfo
def _loopback(host, *args, **kwargs):
    if isinstance(host, str) and host.endswith(".cloud.test"):
        host = "127.0.0.1"
    return _getaddrinfo(host, *args, **kwargs)
socket.getaddrinfo = _loopback
EOF

# One check first: it must pass, and its request log names the requests the limit repeats.
check=("$binary" check --openrc "$work/peer/admin-openrc" --cacert "$ca" "${resolve_args[@]}" --json)
"${check[@]}" > "$work/check.json" || true
worst=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["worst"])' "$work/check.json")
if [ "$worst" = "failure" ]; then
    echo "check benchmark: the check found failures against the peer (the times below are of a failing check):"
    python3 -c 'import json,sys; [print("  ", f["check"], f["observed"]) for f in json.load(open(sys.argv[1]))["findings"] if f["severity"] == "failure"]' "$work/check.json"
fi
python3 -c 'import json,sys; [print(r["url"]) for r in json.load(open(sys.argv[1]))["timing"]["request_log"]]' "$work/check.json" > "$work/urls"

# (a) The guide's way, as a script run by hyperfine. The endpoints are listed once beforehand (not timed).
# shellcheck disable=SC1091
( . "$work/peer/admin-openrc"; OS_CACERT=$ca PYTHONPATH=$work/pyresolve "$venv/bin/openstack" endpoint list -f value -c URL ) \
    | sed -E 's#^(https?://[^/]+).*#\1/#' | sort -u > "$work/endpoints"
cat > "$work/guide.sh" <<EOF
set -e
. "$work/peer/admin-openrc"
export OS_CACERT="$ca" PYTHONPATH="$work/pyresolve"
os="$venv/bin/openstack"
\$os endpoint list > /dev/null
\$os image list > /dev/null
\$os flavor list > /dev/null
\$os network list --external > /dev/null
\$os router list > /dev/null
\$os floating ip list > /dev/null
\$os ip availability show public > /dev/null
\$os role list > /dev/null
while read -r url; do curl -sS -o /dev/null --cacert "$ca" ${resolve_args[*]} "\$url"; done < "$work/endpoints"
EOF
if ! bash "$work/guide.sh" > "$work/guide.log" 2>&1; then echo "check benchmark: the guide's sequence failed:"; tail -5 "$work/guide.log"; exit 0; fi

# hyperfine's advice on outliers goes to a file; it is shown only if a run fails.
if ! hyperfine --style none --shell none --warmup 1 --runs 5 --export-json "$work/guide-runs.json" -- "bash $work/guide.sh" \
        > /dev/null 2> "$work/hyperfine.log"; then
    cat "$work/hyperfine.log"
    exit 1
fi

# Rounds, so that every measure meets the services in the same state (warm, and as busy): in each, the check (process
# start to exit), then (b) the limit measured alone by curl (its own transfer times, no process start): the token
# request, then each request of the check's log on a fresh connection, one at a time; limit = token + slowest.
# And the same requests all at once (curl --parallel, the dependent ones too): what the services can serve when they
# share this machine's cores with each other, which the limit does not count.
python3 - "$work/authbody.json" <<'EOF'
import json, os, sys
body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin", "domain": {"name": "Default"}, "password": os.environ["OS_PASSWORD"]}}},
                 "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}}
with open(os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
    json.dump(body, f)
EOF
: > "$work/limits"
batch=(); while read -r url; do batch+=(-o /dev/null "$url"); done < "$work/urls"
"${check[@]}" > /dev/null || true
for _ in $(seq 10); do
    started=$EPOCHREALTIME
    "${check[@]}" > /dev/null || true
    ended=$EPOCHREALTIME
    auth=$(curl -sS -o /dev/null -D "$work/auth-headers" -w '%{time_total}' --cacert "$ca" "${resolve_args[@]}" \
        -H 'Content-Type: application/json' --data "@$work/authbody.json" "$auth_url/auth/tokens")
    sed -n 's/^[Xx]-[Ss]ubject-[Tt]oken: *\([^[:space:]]*\).*/X-Auth-Token: \1/p' "$work/auth-headers" > "$work/token-header"
    slowest=0
    while read -r url; do
        t=$(curl -sS -o /dev/null -w '%{time_total}' --cacert "$ca" "${resolve_args[@]}" -H "@$work/token-header" "$url")
        slowest=$(python3 -c "print(max($slowest, $t))")
    done < "$work/urls"
    parallel=0
    for t in $(curl -sS --no-progress-meter -Z --parallel-immediate --parallel-max 64 -w '%{time_total}\n' --cacert "$ca" "${resolve_args[@]}" \
            -H "@$work/token-header" "${batch[@]}"); do
        parallel=$(python3 -c "print(max($parallel, $t))")
    done
    echo "$auth $slowest $parallel $(python3 -c "print($ended - $started)")" >> "$work/limits"
done

python3 - "$work" <<'EOF'
import json, os, statistics, sys
work = sys.argv[1]
guide = statistics.median(json.load(open(f"{work}/guide-runs.json"))["results"][0]["times"])
rounds = [tuple(map(float, line.split())) for line in open(f"{work}/limits")]
check = statistics.median(c for *_, c in rounds)
limit = statistics.median(a + s for a, s, _, _ in rounds)
capacity = statistics.median(a + p for a, _, p, _ in rounds)
inside = json.load(open(f"{work}/check.json"))["timing"]
requests = inside["requests"]
print(f"the whole verification against real Keystone, Glance, Neutron, Nova and Cinder on loopback (medians of {len(rounds)} rounds):")
print(f"  atmo-connect check --json (process start to exit, {requests} requests after the token): "
      f"{check / limit:.2f}x the limit (target 1.3x)")
print(f"    the limit: one token request plus the slowest of those {requests} requests, each alone by curl "
      f"(token {statistics.median(a for a, *_ in rounds) / limit:.0%} of it)")
print(f"  the same check: {check / capacity:.2f}x one token request plus all {requests} requests at once by curl --parallel "
      f"(the services' capacity here: they share {os.cpu_count()} cores)")
print(f"  the guide's way (8 openstack commands, then curl on {sum(1 for _ in open(f'{work}/endpoints'))} endpoints): "
      f"{guide / check:.1f}x atmo-connect's time (target at least 10x)")
EOF
