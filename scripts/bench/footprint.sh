#!/usr/bin/env bash
# The operator's binary beside a static hello world with Foundation, built the same way (release, static Swift
# standard library, stripped): file size, the resident peak of `--version` and `status`, and the start of `status`
# on a state of 10,000 events (left by engine-bench), side by side in one run; and the fixed stack's floor beside them
# (stack-floor, built beside atmo-connect: ArgumentParser, GRDB and Yams opening that database, nothing of ours).
# Usage: scripts/bench/footprint.sh PATH/TO/atmo-connect STATE-DIR. Prints ratios; never fails the test suite.
set -euo pipefail
binary=$(realpath "${1:?usage: scripts/bench/footprint.sh PATH/TO/atmo-connect STATE-DIR}")
state=${2:?usage: scripts/bench/footprint.sh PATH/TO/atmo-connect STATE-DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The baseline: what any Swift program with Foundation costs here.
cat > "$work/hello.swift" <<'SWIFT'
import Foundation
print("hello \(ProcessInfo.processInfo.processIdentifier)")
SWIFT
swiftc -O -static-stdlib "$work/hello.swift" -o "$work/hello" 2> "$work/swiftc.log" || { cat "$work/swiftc.log"; exit 1; }
strip -o "$work/hello.stripped" "$work/hello"
strip -o "$work/atmo.stripped" "$binary"
floor="$(dirname "$binary")/stack-floor"
[ -x "$floor" ] || { echo "  (no $floor: make bench builds it; alone: swift build -c release --static-swift-stdlib --scratch-path .build-static --product stack-floor)"; exit 0; }
strip -o "$work/floor.stripped" "$floor"
size() { stat -c %s "$1"; }
# The kernel's high-water mark of the resident set, in KiB, over five runs (the smallest: the least disturbed).
peak() {
    local best=0 kib
    for _ in 1 2 3 4 5; do
        /usr/bin/time -f %M -o "$work/time" "$@" > /dev/null 2>&1 || true
        kib=$(tail -1 "$work/time")
        if [ "$best" = 0 ] || [ "$kib" -lt "$best" ]; then best=$kib; fi
    done
    echo "$best"
}
hello_size=$(size "$work/hello.stripped"); atmo_size=$(size "$work/atmo.stripped"); floor_size=$(size "$work/floor.stripped")
hello_peak=$(peak "$work/hello"); version_peak=$(peak "$binary" --version); status_peak=$(peak "$binary" status --state-dir "$state")
floor_peak=$(peak "$floor" --database "$state/state.db")
hyperfine --style none -N --warmup 5 --runs 40 --export-json "$work/start.json" \
    "$work/hello" "$binary status --state-dir $state" "$floor --database $state/state.db" > /dev/null 2> "$work/warnings" || { cat "$work/warnings"; exit 1; }
python3 - "$work/start.json" "$hello_size" "$atmo_size" "$hello_peak" "$version_peak" "$status_peak" "$floor_size" "$floor_peak" <<'PY'
import json, statistics, sys
start, hello_size, atmo_size, hello_peak, version_peak, status_peak, floor_size, floor_peak = sys.argv[1], *map(int, sys.argv[2:])
hello_start, status_start, floor_start = [statistics.median(r["times"]) for r in json.load(open(start))["results"]]
mib = 1024 * 1024
print("footprint beside a static hello world with Foundation (release, static stdlib, stripped; same run):")
print(f"  stripped binary: {atmo_size / hello_size:.2f}x the hello world; {atmo_size / (40 * mib):.2f} of the 40 MB target")
print(f"  resident peak of --version: {version_peak / hello_peak:.2f}x the hello world's")
print(f"  resident peak of status (10,000 events): {status_peak / hello_peak:.2f}x the hello world's; {status_peak / (12 * 1024):.2f} of the 12 MB target")
print(f"  start of status (10,000 events, hyperfine medians): {status_start / hello_start:.2f}x the hello world's start; {status_start / 0.010:.2f} of the 10 ms target")
print("the fixed stack's floor (stack-floor: ArgumentParser, GRDB and Yams open the same database, nothing of ours):")
print(f"  stripped {floor_size / (40 * mib):.2f} of the 40 MB target (it links ICU's full data); resident peak {floor_peak / (12 * 1024):.2f} of the 12 MB target, {floor_peak / hello_peak:.2f}x the hello world's")
print(f"  start {floor_start / 0.010:.2f} of the 10 ms target, {floor_start / hello_start:.2f}x the hello world's; status takes {status_start / floor_start:.2f}x the floor's start and {status_peak / floor_peak:.2f}x its peak")
PY
