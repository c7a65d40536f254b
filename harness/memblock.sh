#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The memblock simulator of the assembled tree (tools/testing/memblock): the
# kernel's own user-space tests of mm/memblock.c, with the series' cases
# (memblock_reserve_sorted()) among them. Prints KTAP, one line per case.
. "$(dirname "$0")/lib.sh"

need gcc gcc
need make make
dpkg -s liburcu-dev >/dev/null 2>&1 || apt_install liburcu-dev ||
	die "missing liburcu-dev; tried: apt-get install -y liburcu-dev"

bash "$TOP/harness/assemble.sh" >&2
dir=$SRC/tools/testing/memblock
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! make -s -C "$dir" -j"$JOBS" >"$log" 2>&1; then
	echo "KTAP version 1"
	echo "1..1"
	sed 's/^/# /' "$log"
	echo "not ok 1 memblock simulator builds"
	exit 1
fi
# A failed check aborts the simulator (assert()): the status says so.
"$dir/main" -v >"$log" 2>&1
rc=$?
echo "KTAP version 1"
echo "1..$(grep -cE '^(ok|not ok) [0-9]+ : ' "$log")"
sed -nE -e 's/^(ok|not ok) ([0-9]+) : (.*)$/\1 \2 \3/p' -e 's/^([^on].*)$/# \1/p' "$log"
if [ $rc != 0 ]; then
	echo "not ok $(( $(grep -cE '^(ok|not ok) [0-9]+ : ' "$log") + 1 )) memblock simulator ran to the end (exit $rc)"
	exit 1
fi
