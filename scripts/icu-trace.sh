#!/usr/bin/env bash
# The ICU data items a run of a binary asks for (name.type, counted), whether or not its package holds them: the list
# scripts/icu-data-subset.py keeps. Run it on a release build that still links the toolchain's full package
# (without CICUData) or on the shipped one, where an item missing from the subset shows here and nowhere else.
# Usage: scripts/icu-trace.sh BINARY ARGS...   (needs gdb and an unstripped binary)
bin=${1:?usage: scripts/icu-trace.sh BINARY ARGS...}; shift
script=$(mktemp)
cat > "$script" <<'GDB'
set pagination off
set startup-with-shell off
break *'doOpenChoice(char const*, char const*, char const*, signed char (*)(void*, char const*, char const*, UDataInfo const*), void*, UErrorCode*)'
commands 1
silent
printf "ICU-ITEM %s %s.%s\n", $rdi ? (char*)$rdi : "-", $rdx ? (char*)$rdx : "-", $rsi ? (char*)$rsi : "-"
continue
end
run
GDB
gdb -q -batch -x "$script" --args "$bin" "$@" 2>&1 | grep ICU-ITEM | sort | uniq -c
rm -f "$script"
