#!/usr/bin/env bash
# The DNS sweep benchmark: dnsmasq on a loopback high port with 1,024 names and their PTR records, then dns-bench.
# Usage: scripts/bench/dns.sh RELEASE-BUILD-DIR
set -euo pipefail
dir=${1:?usage: scripts/bench/dns.sh RELEASE-BUILD-DIR}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for third in 112 113 114 115; do
    for fourth in $(seq 0 255); do echo "203.0.$third.$fourth vm$third-$fourth.bench.test"; done
done > "$work/hosts"
port=$((20000 + RANDOM % 30000))
dnsmasq --keep-in-foreground --port="$port" --listen-address=127.0.0.1 --bind-interfaces --no-resolv --no-hosts \
    --addn-hosts="$work/hosts" --conf-file=/dev/null --pid-file="$work/pid" --user=root --log-facility="$work/log" \
    --local=/bench.test/ --local=/112.0.203.in-addr.arpa/ --local=/113.0.203.in-addr.arpa/ --local=/114.0.203.in-addr.arpa/ \
    --local=/115.0.203.in-addr.arpa/ &
pid=$!
sleep 0.5
"$dir/dns-bench" "127.0.0.1:$port"
