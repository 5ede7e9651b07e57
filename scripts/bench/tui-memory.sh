#!/usr/bin/env bash
# Peak memory of the full-screen wizard during a whole demo walk: the wizard in tmux, Enter through all 15 steps to
# the final report (as Tests/TUITests/DemoTests walks it), then the kernel's high-water mark of the process's resident
# set (VmHWM), read before it exits, with the anonymous (heap) part sampled at each step.
#   1. The TUI as an operator runs it: `atmo-connect wizard` against the demo cloud served by another process
#      (`atmo-connect demo --serve-only`), so the cloud's servers are not counted.
#   2. `atmo-connect demo` as it ships: the wizard, with the demo cloud in the atmo-connect-demo process it starts.
# Usage: scripts/bench/tui-memory.sh PATH/TO/atmo-connect. Prints fractions of the 24 MB target; never fails the tests.
set -euo pipefail
binary=$(realpath "${1:?usage: scripts/bench/tui-memory.sh PATH/TO/atmo-connect}")
work=$(mktemp -d)
server=""
cleanup() {
    for sock in "$work"/sock-*; do tmux -S "$sock" kill-server 2>/dev/null || true; done
    if [ -n "$server" ]; then kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
# The demo's password reaches both processes through the environment (tmux's server inherits it), never argv.
ATMO_CONNECT_DEMO_PASSWORD="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
export ATMO_CONNECT_DEMO_PASSWORD
export TERM=tmux-256color LANG=C.UTF-8

# walk LABEL COMMAND...: runs the command in a fresh tmux session, walks it with Enter, prints its memory.
walk() {
    local label=$1; shift
    # A tmux server of its own for each walk: reusing a socket right after kill-server races with its exit.
    local sock="$work/sock-$RANDOM"
    tmux -S "$sock" -f /dev/null new-session -d -s b -x 120 -y 40 "exec $*"
    local pid result="" anon=0 text
    pid=$(tmux -S "$sock" display -p -t b '#{pane_pid}')
    for _ in $(seq 100); do tmux -S "$sock" capture-pane -p -t b | grep -q "step 1 of 15" && break; sleep 0.1; done
    for _ in $(seq 600); do
        anon=$(awk -v max="$anon" '/^RssAnon:/ { print ($2 > max ? $2 : max) }' "/proc/$pid/status")
        text=$(tmux -S "$sock" capture-pane -p -t b)
        if grep -q "step 15 of 15" <<< "$text" && grep -Eq "Result: (passed|warned)" <<< "$text"; then result=walked; break; fi
        if grep -Eq "Result: (failed|error)" <<< "$text"; then result=stopped; break; fi
        tmux -S "$sock" send-keys -t b Enter
        sleep 0.25
    done
    local peak
    peak=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
    if [ "$result" != walked ]; then
        echo "  ($label: the walk did not reach the report (${result:-timed out}); the figures are of the walk so far)"
        tmux -S "$sock" capture-pane -p -t b | grep -v '^\s*$' | tail -3 | sed 's/^/    /'
    fi
    awk -v label="$label" -v peak="$peak" -v anon="$anon" 'BEGIN {
        printf "  %s: peak resident set (VmHWM) %.2f of the 24 MB target; of it, heap and stacks (RssAnon, sampled) %.2f\n",
            label, peak / 24576, anon / 24576
    }'
    tmux -S "$sock" kill-server 2>/dev/null || true
}

echo "peak memory during a whole demo walk, Enter through all 15 steps to the report (120x40):"
"$binary" demo --serve-only > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do grep -q "serving" "$work/serve.log" && break; sleep 0.1; done
answers=$(sed -n "s/.*the wizard's answers: //p" "$work/serve.log")
if [ -z "$answers" ]; then echo "  the demo cloud did not start:"; sed 's/^/    /' "$work/serve.log"; exit 0; fi
walk "the wizard (TUI), demo cloud in another process" "$binary" wizard --state-dir "$work/state-tui" --answers "$answers"
kill "$server"; wait "$server" 2>/dev/null || true; server=""
walk "atmo-connect demo, the wizard (its demo cloud in atmo-connect-demo)" "$binary" demo --state-dir "$work/state-demo"
