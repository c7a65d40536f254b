#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build matrix, as a test suite printing KTAP:
#  - every variant of harness/configs/ builds, with no compiler warning in
#    any build of its tree (obj/VARIANT/.kho-warnings: a variant built by an
#    earlier suite is only brought up to date here);
#  - the files of the series build without warnings at W=1 (in the test
#    kernel's tree: those objects are rebuilt with W=1, then normally again).
# Logs: build/logs/build-VARIANT.log, build/logs/build-W1.log.
. "$(dirname "$0")/lib.sh"
set +e

LOGDIR=$BUILD/logs
mkdir -p "$LOGDIR"
variants=$(cd "$TOP/harness/configs" && ls *.config | sed 's/\.config$//')
n=0
results=()
res() { n=$((n + 1)); results+=("$1 $n $2"); }

for v in $variants; do
	log=$LOGDIR/build-$v.log
	start=$(date +%s)
	bash "$TOP/harness/kernel.sh" "$v" >"$log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	if [ $rc != 0 ]; then
		res "not ok" "variant $v builds # exit $rc after ${secs}s, see $log"
	elif grep -q 'warning:' "$log" "$BUILD/obj/$v/.kho-warnings" 2>/dev/null; then
		res "not ok" "variant $v builds # compiler warnings, see $BUILD/obj/$v/.kho-warnings"
	else
		res ok "variant $v builds without warnings # ${secs}s"
	fi
done

# W=1 on every file the series adds or patches that a configuration
# compiles (the test kernel, and the NUMA one for what only it has). The
# objects are rebuilt with W=1, then normally again.
w1() {
	local v=$1 objs="" f log new rc
	bash "$TOP/harness/kernel.sh" "$v" >/dev/null 2>&1
	for f in $(cd "$SRC" && git diff --name-only base -- '*.c'); do
		[ -f "$BUILD/obj/$v/${f%.c}.o" ] && objs="$objs ${f%.c}.o"
	done
	log=$LOGDIR/build-W1-$v.log
	make -s -C "$SRC" O="$BUILD/obj/$v" ARCH=x86_64 W=1 -j"$JOBS" $objs >"$log" 2>&1
	rc=$?
	# New warnings only: those on a line the series adds (base files such
	# as the x86 decompressor have W=1 warnings of their own).
	new=$log.new
	: >"$new"
	grep -E '^[^ :]+:[0-9]+:[0-9]+: warning:' "$log" | while IFS=: read -r file line _; do
		rel=${file#"$SRC"/}
		if git -C "$SRC" diff -U0 base -- "$rel" | awk -v want="$line" '
			/^@@/ { split($3, a, ","); s = substr(a[1], 2); c = (a[2] == "" ? 1 : a[2]);
				if (want >= s && want < s + c) found = 1 }
			END { exit !found }'; then
			grep -F "$rel:$line:" "$log" >>"$new"
		fi
	done
	if [ $rc != 0 ]; then
		res "not ok" "series files of $v build at W=1 # exit $rc, see $log"
	elif [ -s "$new" ]; then
		res "not ok" "series files of $v build at W=1 without new warnings # see $new"
	else
		res ok "series files of $v build at W=1 without new warnings ($(echo $objs | wc -w) objects; base warnings: $(grep -c 'warning:' "$log"))"
	fi
	bash "$TOP/harness/kernel.sh" "$v" >/dev/null 2>&1
}
w1 test
w1 numa

echo "KTAP version 1"
echo "1..$n"
fail=0
for r in "${results[@]}"; do
	echo "$r"
	case $r in "not ok"*) fail=1 ;; esac
done
exit $fail
