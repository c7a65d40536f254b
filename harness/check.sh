#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run every test of the series and print KTAP, then "N passed, N failed".
#   harness/check.sh [SUITE...]     (default: all; see "suites" below)
# Each suite is a program that prints KTAP; its results are nested here, and
# the closing count adds up the results of all suites.
. "$(dirname "$0")/lib.sh"

LOGDIR=$BUILD/logs
mkdir -p "$LOGDIR"

selftests=$(sed -n 's/^TEST_PROGS := //p' "$TOP/tools/testing/selftests/kho/Makefile")
# These run in the suite sanitize, on the test kernel plus sanitizers, and
# not a second time on the test kernel by default: the same code under the
# same configuration, with every report checked (make selftest T=... runs
# them on the test kernel).
on_sanitizer="kho_mem_chain.sh kho_corrupt.sh kho_kunit.sh"
suites=("$@")
if [ ${#suites[@]} = 0 ]; then
	suites=(memblock_sim layers series fuzz)
	for t in $selftests; do
		case " $on_sanitizer " in *" $t "*) ;; *) suites+=("$t") ;; esac
	done
	suites+=(sanitize build_matrix)
fi

need qemu-system-x86_64 qemu-system-x86
need python3 python3

# Build what the suites need: the test kernel, the NUMA + deferred struct
# page init variant, and an initramfs for each (it holds the kernel).
for v in test numa; do
	bash "$TOP/harness/kernel.sh" $v >&2
	bash "$TOP/harness/initramfs.sh" "$BUILD/obj/$v/arch/x86/boot/bzImage" \
		"$BUILD/initramfs-$v.cpio" >&2
done
# The kernels that only later suites need build meanwhile, one after the
# other, on the core that a TCG guest leaves idle (-j1): the sanitizer
# kernel, then the other variants of the build matrix. A suite that needs
# them waits for them first (each suite still builds what it needs: if a
# build here failed, it fails there, with its log).
prebuild=()
for s in "${suites[@]}"; do
	case $s in
	sanitize) prebuild+=(sanitize) ;;
	build_matrix)
		for c in "$TOP"/harness/configs/*.config; do
			c=${c##*/}
			c=${c%.config}
			case " test numa sanitize " in *" $c "*) ;; *) prebuild+=("$c") ;; esac
		done ;;
	esac
done
prebuild_pid=
if [ ${#prebuild[@]} -gt 0 ]; then
	mkdir -p "$LOGDIR"
	# Its own process group, so that an early exit stops the whole build.
	JOBS=1 setsid bash -c 'for v; do bash "$0" "$v" || true; done' \
		"$TOP/harness/kernel.sh" "${prebuild[@]}" >"$LOGDIR/prebuild.log" 2>&1 &
	prebuild_pid=$!
fi
prebuilt() {
	[ -n "$prebuild_pid" ] || return 0
	wait "$prebuild_pid"
	prebuild_pid=
}
trap '[ -z "$prebuild_pid" ] || kill -- -"$prebuild_pid" 2>/dev/null' EXIT

export KHO_KERNEL=$BUILD/obj/test/arch/x86/boot/bzImage
export KHO_INITRD=$BUILD/initramfs-test.cpio
export KHO_KERNEL_NUMA=$BUILD/obj/numa/arch/x86/boot/bzImage
export KHO_INITRD_NUMA=$BUILD/initramfs-numa.cpio
export KHO_LOGDIR=$LOGDIR
# The benchmark's parser, for its smoke test kho_bench.sh.
export KHO_BENCH_PY=$TOP/harness/bench.py
# The selftests as kselftest runs them: from the assembled tree, next to
# tools/testing/kunit/.
KSFT=$SRC/tools/testing/selftests/kho

set +e
pass=0 fail=0 skip=0
echo "KTAP version 1"
echo "1..${#suites[@]}"
n=0
for s in "${suites[@]}"; do
	n=$((n + 1))
	out=$LOGDIR/$s.ktap
	start=$(date +%s)
	case $s in
	*.sh) bash "$KSFT/$s" >"$out" 2>&1 ;;
	build_matrix) prebuilt; bash "$TOP/harness/matrix.sh" >"$out" 2>&1 ;;
	memblock_sim) bash "$TOP/harness/memblock.sh" >"$out" 2>&1 ;;
	layers) bash "$TOP/harness/layers.sh" >"$out" 2>&1 ;;
	series) bash "$TOP/harness/series-check.sh" --quick >"$out" 2>&1 ;;
	fuzz) bash "$TOP/harness/fuzz.sh" --check >"$out" 2>&1 ;;
	sanitize) prebuilt; bash "$TOP/harness/sanitize.sh" >"$out" 2>&1 ;;
	*) echo "not ok 1 unknown suite $s" >"$out"; false ;;
	esac
	rc=$?
	secs=$(( $(date +%s) - start ))
	sed 's/^/    /' "$out"
	p=$(grep -cE '^ok [0-9]+ ' "$out")
	sk=$(grep -cE '^ok [0-9]+ .*# SKIP' "$out")
	f=$(grep -cE '^not ok [0-9]+ ' "$out")
	pass=$((pass + p - sk)) skip=$((skip + sk)) fail=$((fail + f))
	if [ $rc = 4 ]; then
		skip=$((skip + 1))
		echo "ok $n $s # SKIP $(sed -n 's/^1\.\.0 # SKIP //p' "$out")"
	elif [ $rc = 0 ] && [ "$f" = 0 ] && [ "$p" -gt 0 ]; then
		echo "ok $n $s # ${secs}s"
	else
		# A suite that died without reporting a failure still fails.
		[ "$f" = 0 ] && fail=$((fail + 1))
		echo "not ok $n $s # exit $rc, ${secs}s, log in $LOGDIR"
	fi
done
echo "# logs: $LOGDIR"
if [ $skip -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ $fail = 0 ]
