#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test of the benchmark (make bench): the bench guest case with small
# loads, none,0:contig:64M,0:sparse:32M,r:contig:64M, in a 1 GiB guest (4
# kexecs, test_kho.defer=1). Each hop preserves its load from /init and
# times a kexec -s -l; the next one restores and verifies it. Then the
# benchmark's parser (harness/bench.py --check) reads the log: every load
# must be verified (PASS; for "none", test_kho must have had no data) and
# every figure of its table must be there. No timing is asserted.
#
# KHO_BENCH_PY is the parser, harness/bench.py of the KHO repository
# (harness/check.sh sets it); without it the test is skipped.

. "$(dirname "$0")/lib.sh"

loads=none,0:contig:64M,0:sparse:32M,r:contig:64M
if [ ! -f "${KHO_BENCH_PY:-}" ] || ! command -v python3 >/dev/null; then
	echo "KTAP version 1"
	echo "1..0 # SKIP KHO_BENCH_PY not set or not a file, or no python3: it is harness/bench.py of the KHO repository (make check sets it)"
	exit 4
fi

guest kho_bench bench 4 "kho_bench.loads=$loads kho=on test_kho.defer=1" -m 1024
expect "kho_bench: all 5 kernels reported (4 kexecs)" [ "$(hops_seen)" = 5 ]
expect "kho_bench: no 'KHO: disabling revival' line" no_revival_disabled

# The parser's verdicts, "check ok|fail DESC", become results; the rest of
# what it says (its table, why it failed) becomes diagnostic lines.
out=$(python3 "$KHO_BENCH_PY" --check "$LOG" "$loads" 2>&1)
rc=$?
checked=0 failed=0
while IFS= read -r line; do
	case $line in
	"check ok "*) result ok "kho_bench: ${line#check ok }"; checked=$((checked + 1)) ;;
	"check fail "*) result fail "kho_bench: ${line#check fail }"
		checked=$((checked + 1)) failed=$((failed + 1)) ;;
	*) diag "$line" ;;
	esac
done <<<"$out"
# One result per load and one for the figures; a parser that died or
# disagrees with itself fails too.
if [ $checked != 5 ] || { [ $rc = 0 ] && [ $failed != 0 ]; } ||
   { [ $rc != 0 ] && [ $failed = 0 ]; }; then
	result fail "kho_bench: bench.py --check gave one verdict per load and one for the figures" \
		"exit $rc, $checked verdicts, $failed failed"
fi
ktap_done
