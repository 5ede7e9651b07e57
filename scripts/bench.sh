#!/usr/bin/env bash
# Runs every benchmark against the release build in DIR, prints the results and writes them to BENCHMARKS.md.
# Never part of `make test`; a missed target is reported, not failed.
set -euo pipefail
dir=${1:?usage: bench.sh RELEASE-BUILD-DIR}
out=$(mktemp)
{
    echo "# Benchmarks"
    echo
    echo "Measured by \`make bench\` on $(date -u +%Y-%m-%d) ($(nproc) cores). Ratios only: each against a baseline measured"
    echo "in the same run, or against the issue's target. Commands: \`scripts/bench.sh .build/release\`."
    echo
    echo '```'
    "$dir/engine-bench" "$dir/atmo-connect"
    scripts/bench-tui.sh "$dir/atmo-connect"
    scripts/bench-dns.sh "$dir"
    echo '```'
} | tee "$out"
mv "$out" BENCHMARKS.md
