#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The KHO and LUO parsers fuzzed in user space (tools/testing/kho/), as a suite
# printing KTAP: one result per fuzz target.
#
#   harness/fuzz.sh             make fuzz: FUZZ_TIME seconds in all (600),
#                               FUZZ_JOBS targets at a time (nproc), or
#                               FUZZ_RUNS runs of each target; then the
#                               line coverage of each parser file;
#                               FUZZ_TARGETS="radix vmalloc" fuzzes only those
#   harness/fuzz.sh --check     make check: FUZZ_CHECK_TIME seconds (4) a
#                               target, over the corpus and fresh inputs
#
# The corpus of a target grows in build/fuzz/corpus/TARGET; it starts from
# the seeds mkseeds makes (valid handovers, and the real one of
# tools/testing/kho/corpus/real/) and the committed regression inputs of
# tools/testing/kho/corpus/TARGET/. A crash is kept in build/fuzz/crashes/
# and reproduced with: build/fuzz/fuzz_TARGET FILE.
. "$(dirname "$0")/lib.sh"

mode=fuzz
[ "${1:-}" = --check ] && mode=check
FUZZ_TIME=${FUZZ_TIME:-600}
FUZZ_CHECK_TIME=${FUZZ_CHECK_TIME:-4}
FUZZ_JOBS=${FUZZ_JOBS:-$JOBS}

need clang-14 clang-14
need_file /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a \
	libclang-rt-14-dev
[ $mode = fuzz ] && need_file /usr/lib/llvm-14/bin/llvm-cov llvm-14
need perl perl
need python3 python3

bash "$TOP/harness/assemble.sh" >&2
out=$BUILD/fuzz
kho=$SRC/tools/testing/kho
targets=$(sed -n 's/^TARGETS := //p' "$kho/Makefile")
if [ -n "${FUZZ_TARGETS:-}" ]; then
	for t in $FUZZ_TARGETS; do
		grep -qw -- "$t" <<<"$targets" || die "fuzz: no target '$t' (targets: $targets)"
	done
	targets=$FUZZ_TARGETS
fi
mkdir -p "$out/crashes"
say "fuzz: building the targets in $out"
make -s -C "$kho" O="$out" -j"$JOBS" >&2 || die "fuzz: build failed"
rm -rf "$out/seeds"
"$out/mkseeds" "$kho/corpus/real" "$out/seeds" || die "fuzz: mkseeds failed"

# The largest input of a target: what it accepts, but for the radix tree,
# which is cut at 16 pages (the valid seeds have 6 to 48): three times the
# runs a second, and what the walk does for a 17th page it does for a 2nd.
max_len() {
	case $1 in
	radix) echo $((16 * 4096)) ;;
	handover) echo $((40 + 3 * 4096 + 64 * 4096 + 5 * 4096)) ;;
	scratch) echo 16500 ;;
	vmalloc) echo $((16 + 4 * 4096)) ;;
	luo) echo $((24 + 6 * 4096)) ;;
	memfd) echo $((48 + 4 * 4096)) ;;
	*) echo 4096 ;;
	esac
}

# run TARGET SECONDS: fuzz it; its log is $out/TARGET.log.
run() {
	local t=$1 secs=$2 corpus=$out/corpus/$1 regress=$kho/corpus/$1 dirs
	mkdir -p "$corpus" "$out/crashes/$t"
	dirs=("$corpus" "$out/seeds/$t")
	[ -d "$regress" ] && dirs+=("$regress")
	local limit=-max_total_time="$secs"
	[ -n "${FUZZ_RUNS:-}" ] && [ $mode = fuzz ] && limit=-runs=$FUZZ_RUNS
	"$out/fuzz_$t" "$limit" -max_len="$(max_len "$t")" \
		-timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
		-artifact_prefix="$out/crashes/$t/" "${dirs[@]}" >"$out/$t.log" 2>&1
}

per=$FUZZ_CHECK_TIME
if [ $mode = fuzz ]; then
	n=$(echo $targets | wc -w)
	per=$(( FUZZ_TIME * FUZZ_JOBS / n ))
	[ $per -gt 0 ] || per=1
fi
if [ -n "${FUZZ_RUNS:-}" ] && [ $mode = fuzz ]; then
	say "fuzz: $(echo $targets | wc -w) targets, $FUZZ_RUNS runs each, $FUZZ_JOBS at a time"
else
	say "fuzz: $(echo $targets | wc -w) targets, ${per}s each, $FUZZ_JOBS at a time"
fi
running=0
for t in $targets; do
	run "$t" "$per" &
	running=$((running + 1))
	if [ $running -ge "$FUZZ_JOBS" ]; then
		wait -n || true
		running=$((running - 1))
	fi
done
wait || true

echo "KTAP version 1"
echo "1..$(echo $targets | wc -w)"
i=0 fail=0
for t in $targets; do
	i=$((i + 1))
	log=$out/$t.log
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	corpus=$(ls "$out/corpus/$t" | wc -l)
	crash=$(ls "$out/crashes/$t" 2>/dev/null | head -1)
	if [ -n "$crash" ] || grep -qE '^==[0-9]+==ERROR|runtime error:|kho-sim: ' "$log"; then
		fail=1
		grep -E 'ERROR|runtime error|kho-sim: |SUMMARY' "$log" | head -5 | sed 's/^/# /'
		echo "not ok $i fuzz_$t # reproduce: $out/fuzz_$t $out/crashes/$t/$crash (log $log)"
	elif [ -z "$execs" ] || [ "$execs" = 0 ]; then
		fail=1
		echo "not ok $i fuzz_$t # no run reported, see $log"
	else
		echo "ok $i fuzz_$t # $execs execs ($speed/s), corpus $corpus, 0 crashes"
	fi
done

if [ $mode = fuzz ]; then
	say "fuzz: line coverage of the parsers over the corpora (tools/testing/kho/coverage.py)"
	make -s -C "$kho" O="$out" -j"$JOBS" cov >&2 || die "fuzz: coverage build failed"
	rm -rf "$out/cov/profiles"
	mkdir -p "$out/cov/profiles"
	bins=()
	for t in $targets; do
		LLVM_PROFILE_FILE="$out/cov/profiles/$t.profraw" \
			"$out/cov/fuzz_$t" -runs=0 -max_len="$(max_len "$t")" \
			"$out/corpus/$t" "$out/seeds/$t" >/dev/null 2>&1 || true
		bins+=(-object "$out/cov/fuzz_$t")
	done
	/usr/lib/llvm-14/bin/llvm-profdata merge -o "$out/cov/all.profdata" \
		"$out"/cov/profiles/*.profraw
	/usr/lib/llvm-14/bin/llvm-cov show -instr-profile="$out/cov/all.profdata" \
		"${bins[@]:1}" 2>/dev/null | python3 "$kho/coverage.py" | sed 's/^/# /'
fi
exit $fail
