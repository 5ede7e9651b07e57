#!/usr/bin/env bash
# Keystroke-to-redrawn-screen time of the full-screen wizard, typing in a text field.
# Runs the given binary in tmux with ATMO_CONNECT_FRAME_TRACE, which records for each key the time
# from reading it to ncurses having written the new screen (reducer, layout, drawing, doupdate).
# Prints the median and 95th percentile as fractions of a 16 ms frame. Never fails the test suite.
set -euo pipefail
binary=${1:?usage: scripts/bench/tui-keys.sh PATH/TO/atmo-connect [KEYS]}
keys=${2:-300}
work=$(mktemp -d)
trap 'tmux -S "$work/sock" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
tmux -S "$work/sock" -f /dev/null new-session -d -s b -x 100 -y 30 \
    "env -u NO_COLOR TERM=tmux-256color LANG=C.UTF-8 ATMO_CONNECT_FRAME_TRACE=$work/frames $binary --state-dir $work/state"
for _ in $(seq 50); do tmux -S "$work/sock" capture-pane -p -t b | grep -q "Welcome and session" && break; sleep 0.1; done
# One key at a time, as a person types: each is read, reduced, laid out and drawn on its own.
letters=abcdefghijklmnopqrstuvwxyz
for i in $(seq "$keys"); do
    tmux -S "$work/sock" send-keys -t b -l "${letters:$((i % 26)):1}"
    if (( i % 40 == 0 )); then tmux -S "$work/sock" send-keys -t b C-u; fi
done
for _ in $(seq 50); do [ "$(wc -l < "$work/frames")" -ge "$keys" ] && break; sleep 0.1; done
sort -n "$work/frames" | awk -v keys="$keys" '
    { v[NR] = $1 }
    END {
        if (NR == 0) { print "no frames recorded"; exit 1 }
        median = v[int((NR + 1) / 2)]; p95 = v[int(NR * 0.95)]; max = v[NR]
        printf "keystroke to redrawn screen, %d keys typed in a text field (100x30):\n", NR
        printf "  median %.3f of the 16 ms frame budget; p95 %.3f of it; max %.3f of it\n", median / 16000, p95 / 16000, max / 16000
    }'
