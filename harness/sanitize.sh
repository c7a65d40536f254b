#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The selftests on the sanitizer kernel, as a test suite printing KTAP:
#  - the variant "sanitize" (harness/configs/sanitize.config: KASAN, UBSAN,
#    KFENCE, kmemleak, lockdep, DEBUG_VM, DEBUG_PAGEALLOC, PAGE_POISONING)
#    builds without compiler warnings;
#  - kho_mem.sh, kho_mem_chain.sh, kho_corrupt.sh, kho_kunit.sh (with the
#    LUO suites), luo_memfd.sh and luo_corrupt.sh pass on it (their KTAP
#    nested, one result each);
#  - every guest serial log of those runs has no sanitizer report (one
#    result per log), every kernel in it had KASAN, KFENCE and kmemleak
#    running, and kmemleak was checked at the end of every hop (guest/init).
#
#   harness/sanitize.sh                 all of the above
#   harness/sanitize.sh --scan LOG...   only the scan of these serial logs
#
# Environment: SANITIZE_TESTS (the selftests to run), SANITIZE_JOBS (how
# many at a time, default one per CPU), and what the selftests take
# (lib.sh); here KHO_VM_MEM defaults to 512, KHO_TIMEOUT to 900, and
# KHO_APPEND gets the options below in front.
# Logs: build/logs/sanitize/ (serial logs, each selftest's KTAP),
# build/logs/sanitize-build.log.
. "$(dirname "$0")/lib.sh"
set +e

# A sanitizer report, or anything else a healthy guest never prints. ERE,
# matched anywhere in a line: a console line may be cut into by another.
REPORT_RE='BUG:|WARNING:|UBSAN:|Oops|Kernel panic|kernel BUG at|general protection fault'
# slab debugging ("BUG kmalloc-64 (Not tainted): ..."), a dumped stack
REPORT_RE+='|BUG [^ ]+ \((Not t|T)ainted\)|Call Trace:'
# lockdep and RCU (most lockdep reports also say WARNING: or BUG:)
REPORT_RE+='|possible circular locking|possible recursive locking|inconsistent lock state'
REPORT_RE+='|DEBUG_LOCKS_WARN_ON|suspicious RCU usage|INFO: trying to register non-static key'
REPORT_RE+='|turning off the locking correctness validator|detected stalls? on CPU|self-detected stall'
# kmemleak: what guest/init prints after its second scan (not the kernel's
# "N new suspected memory leaks" of a first scan: those may be gone by the
# second), and kmemleak switching itself off (it would then find nothing)
REPORT_RE+='|KMEMLEAK: (unreferenced object|hop [0-9]+: scan failed)'
REPORT_RE+='|kmemleak: (Kernel memory leak detector disabled|Memory pool empty)'
# page poisoning
REPORT_RE+='|pagealloc: (memory corruption|single bit error)'

# Printed once by every kernel that runs the sanitizer (arch/x86/mm,
# mm/kfence, mm/kmemleak.c).
ACTIVE_RE=('kasan: KernelAddressSanitizer initialized$'
	   'kfence: initialized - using '
	   'kmemleak: Kernel memory leak detector initialized ')

n=0
results=()
# res ok|"not ok" DESC [DIAG...]: one result of this suite, after its
# diagnostic lines (nested KTAP or "# ..." lines).
res() {
	local r=$1 d=$2
	shift 2
	n=$((n + 1))
	results+=("$(printf '%s\n' "$@" | sed '/^$/d')"$'\n'"$r $n $d")
}
ktap() {
	local r fail=0
	echo "KTAP version 1"
	echo "1..$n"
	for r in "${results[@]}"; do
		printf '%s\n' "$r" | sed '/^$/d'
		case ${r##*$'\n'} in "not ok"*) fail=1 ;; esac
	done
	exit $fail
}

# scan LOG: the result "no sanitizer report in LOG".
scan() {
	local log=$1 name=${1##*/} boots hops scans hits re c miss=""
	if [ ! -s "$log" ]; then
		res "not ok" "no sanitizer report in $name # empty or missing log"
		return
	fi
	boots=$(grep -cE '^\[ *[0-9.]+\] Linux version ' "$log")
	hops=$(grep -c '^KHO-TEST: hop ' "$log")
	scans=$(grep -cE 'KMEMLEAK: hop [0-9]+: (scanned|scan failed)' "$log")
	hits=$(grep -nE "$REPORT_RE" "$log")
	for re in "${ACTIVE_RE[@]}"; do
		c=$(grep -cE "$re" "$log")
		[ "$c" = "$boots" ] || miss+="${miss:+; }'$re' in $c of $boots kernels"
	done
	if [ -n "$hits" ]; then
		res "not ok" "no sanitizer report in $name # $(grep -c . <<<"$hits") report lines, log $log" \
			"$(head -n 20 <<<"$hits" | sed 's/^/# /')"
	elif [ -n "$miss" ]; then
		res "not ok" "no sanitizer report in $name # sanitizers not running: $miss"
	elif [ "$scans" != "$hops" ]; then
		res "not ok" "no sanitizer report in $name # kmemleak checked $scans times in $hops hops"
	else
		res ok "no sanitizer report in $name ($boots kernels, $scans kmemleak checks)"
	fi
}

if [ "${1:-}" = --scan ]; then
	shift
	for log in "$@"; do scan "$log"; done
	ktap
fi

LOGDIR=$BUILD/logs/sanitize
rm -rf "$LOGDIR"
mkdir -p "$LOGDIR"
need qemu-system-x86_64 qemu-system-x86
need python3 python3

# The kernel: built once (harness/matrix.sh builds it too; the second of
# the two builds has nothing left to do).
blog=$BUILD/logs/sanitize-build.log
start=$(date +%s)
bash "$TOP/harness/kernel.sh" sanitize >"$blog" 2>&1
rc=$?
secs=$(( $(date +%s) - start ))
if [ $rc != 0 ]; then
	res "not ok" "variant sanitize builds # exit $rc after ${secs}s, see $blog" \
		"$(tail -n 20 "$blog" | sed 's/^/# /')"
	ktap
elif grep -q 'warning:' "$blog" "$BUILD/obj/sanitize/.kho-warnings" 2>/dev/null; then
	# .kho-warnings: every build of the tree (kernel.sh), so that a no-op
	# build does not hide the warnings of the build before
	res "not ok" "variant sanitize builds without warnings # see $blog" \
		"$(grep -h 'warning:' "$blog" "$BUILD/obj/sanitize/.kho-warnings" 2>/dev/null |
			head -n 20 | sed 's/^/# /')"
else
	res ok "variant sanitize builds without warnings # ${secs}s"
fi
kernel=$BUILD/obj/sanitize/arch/x86/boot/bzImage
initrd=$BUILD/initramfs-sanitize.cpio
if ! bash "$TOP/harness/initramfs.sh" "$kernel" "$initrd" >"$LOGDIR/initramfs.log" 2>&1; then
	res "not ok" "initramfs of the sanitize kernel # see $LOGDIR/initramfs.log"
	ktap
fi

export KHO_KERNEL=$kernel KHO_INITRD=$initrd KHO_LOGDIR=$LOGDIR
export KHO_TIMEOUT=${KHO_TIMEOUT:-900}
# Every guest gets 512 MiB (the tests ask for 512 to 1024): under TCG the
# sanitizers make each boot about 4 times slower, and more so the more
# memory there is to poison, shadow and scan. In it:
#  - page_poison=1: page poisoning is only checked when asked for;
#  - kho_scratch=40%: the default 200% of what the kernel has reserved
#    when it sizes scratch, counted for each of the 3 areas of a 1-node
#    guest, does not fit: the KASAN shadow (1/8 of RAM) makes that 145 MiB
#    here, so 3 areas of 290 MiB; 3 of 58 MiB hold the next kernel, its
#    initramfs and its own 145 MiB of early allocations;
#  - test_kho.max_mem=64M (kho_mem.sh asks for 256M): what is left
#    outside scratch; the same code paths, a quarter of the time.
export KHO_VM_MEM=${KHO_VM_MEM:-512}
export KHO_APPEND="page_poison=1 kho_scratch=40% test_kho.max_mem=64M${KHO_APPEND:+ $KHO_APPEND}"
unset KHO_KERNEL_NUMA KHO_INITRD_NUMA
KSFT=$SRC/tools/testing/selftests/kho
# One guest has one vCPU, which TCG runs on one host thread: the selftests
# run side by side, SANITIZE_JOBS at a time (default: one per CPU), the
# longest first. Each in a process group of its own, so that an interrupted
# suite stops its guests (vm.sh kills QEMU on SIGTERM).
tests=(${SANITIZE_TESTS:-luo_corrupt.sh kho_corrupt.sh kho_mem_chain.sh luo_memfd.sh kho_mem.sh kho_kunit.sh})
lanes=${SANITIZE_JOBS:-$JOBS}
pids=()
trap 'for p in "${pids[@]}"; do kill -TERM -- -"$p" 2>/dev/null; done' EXIT
selftest() {
	local t=$1 start rc
	start=$(date +%s)
	bash "$KSFT/$t" >"$LOGDIR/${t%.sh}.ktap" 2>&1
	rc=$?
	echo "$rc $(( $(date +%s) - start ))" >"$LOGDIR/${t%.sh}.rc"
}
running=0
for t in "${tests[@]}"; do
	if [ $running -ge "$lanes" ]; then
		wait -n
		running=$((running - 1))
	fi
	setsid bash -c "$(declare -f selftest); KSFT='$KSFT' LOGDIR='$LOGDIR' selftest '$t'" &
	pids+=($!)
	running=$((running + 1))
done
wait
pids=()
for t in "${tests[@]}"; do
	out=$LOGDIR/${t%.sh}.ktap
	read -r rc secs <"$LOGDIR/${t%.sh}.rc" 2>/dev/null || rc=? secs=?
	f=$(grep -cE '^not ok [0-9]+ ' "$out")
	sk=$(grep -cE '^ok [0-9]+ .*# SKIP' "$out")
	if [ "$rc" = 0 ] && [ "$f" = 0 ] && grep -qE '^ok [0-9]+ ' "$out"; then
		res ok "$t # ${secs}s, $(grep -cE '^ok [0-9]+ ' "$out") results, $sk skipped" \
			"$(sed 's/^/    /' "$out")"
	else
		res "not ok" "$t # exit $rc, $f failed, ${secs}s" "$(sed 's/^/    /' "$out")"
	fi
done

for log in "$LOGDIR"/*.log; do
	[ -e "$log" ] || continue
	[ "$log" = "$LOGDIR/initramfs.log" ] && continue
	scan "$log"
done
ktap
