#!/usr/bin/env bash
# Runs every benchmark against the release build in DIR, prints the results and writes them to BENCHMARKS.md.
# Never part of `make test`; a missed target is reported, not failed. Each part is a script of its own in
# scripts/bench/, runnable alone.
set -euo pipefail
dir=${1:?usage: bench.sh RELEASE-BUILD-DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$work/BENCHMARKS.md
section() {
    # A part that cannot run says why and the others go on.
    "$@" 2>&1 || echo "  (did not finish: $* exited with $?)"
    echo
}
{
    echo "# Benchmarks"
    echo
    echo "Measured by \`make bench\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(uname -m)). Ratios only: each against a baseline"
    echo "measured in the same run, or against the issue's target. Commands: \`scripts/bench.sh $dir\` (the release build of \`make release\`), or one part:"
    echo "\`scripts/bench/startup.sh\`, \`footprint.sh\`, \`check.sh\`, \`dns.sh\`, \`tui-keys.sh\`, \`tui-memory.sh\`; \`engine-bench STATE-DIR\`;"
    echo "\`scripts/atmosphere-kill-trials.sh BIN [TRIALS] [SEED]\`."
    echo
    echo '```'
    section "$dir/engine-bench" "$work/state"
    section scripts/bench/startup.sh "$dir/atmo-connect" "$work/state"
    section scripts/bench/footprint.sh "$dir/atmo-connect" "$work/state"
    section scripts/bench/check.sh "$dir/atmo-connect"
    section scripts/bench/dns.sh "$dir"
    section scripts/bench/tui-keys.sh "$dir/atmo-connect"
    section scripts/bench/tui-memory.sh "$dir/atmo-connect"
    echo "kill -9 at random instants of the Atmosphere steps, then resume (upstream's scripts, each generation in turn):"
    section scripts/atmosphere-kill-trials.sh "$dir/atmo-connect" 30
    echo '```'
} | tee "$out"
mv "$out" BENCHMARKS.md
