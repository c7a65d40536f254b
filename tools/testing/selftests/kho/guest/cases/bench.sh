# SPDX-License-Identifier: GPL-2.0
# The benchmark (make bench, kho_bench.sh): what a KHO kexec costs per GiB
# preserved. test_kho runs with test_kho.defer=1, so it does nothing at
# boot; each hop drives it through debugfs:
#   1. hop H > 0 restores and verifies the load of hop H-1 (a load "none"
#      is restored too: test_kho must then report that it has no data);
#   2. hop H < N sets the parameters of load H in
#      /sys/module/test_kho/parameters/ and preserves it (nothing for
#      "none"), then times a kexec -s -l of the next hop and unloads it
#      (/init then loads it again, for real).
# The kernels log the figures (test_kho's preserve/restore lines, the
# revival lines, "Memory:", "Run /init"); harness/bench.py reads them.
#
# Kernel command line, besides kho=on test_kho.defer=1:
#   kho_bench.loads=L0,L1,...  load H is preserved by hop H; one per kexec.
#                              A load is "none" or ORDER:PATTERN:SIZE: ORDER
#                              0..10 or r (random orders), PATTERN contig or
#                              sparse, SIZE for test_kho.max_mem (1G, 64M)
#   tsc_early_khz=KHZ          added by hop 0 for all later hops: the TSC
#                              frequency hop 0 found, so that the clock (and
#                              so the revival times) runs from early boot
# Reported for the host:
#   info tsc_khz KHZ           hop 0: the TSC frequency, or "none"
#   info bench_load LOAD       the load this hop preserved
#   info kexec_load_ms MS      how long the timed kexec -s -l took
#   info kexec_load_clock C    its clock: "ns" (date +%s%N) or "uptime"
#                              (/proc/uptime, 10 ms resolution)

PARAMS=/sys/module/test_kho/parameters
TK=/sys/kernel/debug/test_kho
LOADS=$(arg kho_bench.loads) || LOADS=
TSC_KHZ=

# load_of H: load H (from 0) of kho_bench.loads; nothing when there is none.
load_of() { echo "$LOADS" | tr ',' '\n' | sed -n "$(($1 + 1))p"; }
nr_loads() { echo "$LOADS" | tr ',' '\n' | grep -c .; }

# step DESC CMD...: check, and return the status of CMD.
step() {
	local d=$1
	shift
	if "$@"; then
		ok "$d"
		return 0
	fi
	nok "$d"
	return 1
}
# write_to FILE VALUE: write VALUE to FILE (fails when the kernel refuses it).
write_to() { echo "$2" >"$1"; }
defer_files() { [ -e "$TK/restore" ] && [ -e "$TK/preserve" ]; }

# kmsg_lines: the kernel log, without levels and timestamps.
kmsg_lines() { dmesg | sed 's/^<[0-9]*>//; s/^\[[^]]*\] //'; }
# verdict: test_kho's last verdict line ("KHO_TEST: PASS...", "KHO_TEST:
# FAIL..." or "KHO_TEST: no data...").
verdict() { kmsg_lines | grep -E '^KHO_TEST: (PASS|FAIL|no data)' | tail -n 1; }

# tsc_khz: the TSC frequency in kHz from the kernel log, the refined
# calibration when there is one (it comes about a second after boot: wait
# for it up to 3 s), else the early one; nothing when neither is there.
tsc_khz() {
	local l i=0
	while :; do
		l=$(dmesg | grep -o 'tsc: Refined TSC clocksource calibration: [0-9]*\.[0-9]* MHz' | tail -n 1)
		[ -n "$l" ] && break
		[ $i -ge 3 ] && break
		sleep 1
		i=$((i + 1))
	done
	[ -n "$l" ] || l=$(dmesg | grep -o 'tsc: Detected [0-9]*\.[0-9]* MHz' | tail -n 1)
	echo "bench: TSC frequency from '${l:-nothing}'" >&2
	echo "$l" | sed -n 's/.* \([0-9][0-9]*\)\.\([0-9][0-9][0-9]\) MHz$/\1\2/p' | sed 's/^0*//'
}

# A clock for the timed kexec load: busybox's date may lack %N.
case $(date +%s%N 2>/dev/null) in
*[!0-9]* | "") CLOCK=uptime ;;
*) CLOCK=ns ;;
esac
# now_ms: milliseconds on CLOCK.
now_ms() {
	if [ $CLOCK = ns ]; then
		echo $(($(date +%s%N) / 1000000))
	else
		awk '{ printf "%d\n", $1 * 1000 + 0.5 }' /proc/uptime
	fi
}

# bench_restore LOAD: restore and verify LOAD, what the previous hop
# preserved.
bench_restore() {
	local load=$1 prev=$((HOP - 1)) v
	step "hop $HOP: echo 1 > $TK/restore (load $load of hop $prev)" \
		write_to "$TK/restore" 1
	v=$(verdict)
	if [ "$load" = none ]; then
		check "hop $HOP: hop $prev preserved nothing (load none): 'KHO_TEST: no data from a previous kernel'" \
			[ "$v" = "KHO_TEST: no data from a previous kernel" ]
	else
		case $v in
		"KHO_TEST: PASS: "*) ok "hop $HOP: test_kho verified load $load of hop $prev: PASS" ;;
		*) nok "hop $HOP: test_kho verified load $load of hop $prev: PASS (got '${v:-nothing}')" ;;
		esac
	fi
}

# bench_preserve LOAD: set test_kho's parameters to LOAD and preserve it.
bench_preserve() {
	local load=$1 order pattern size
	if [ "$load" = none ]; then
		echo "bench: hop $HOP preserves nothing (load none)"
		return 0
	fi
	if ! echo "$load" | grep -qxE '(10|[0-9]|r):(contig|sparse):[0-9]+[KMGTkmgt]?'; then
		nok "hop $HOP: load '$load' is 'none' or ORDER:PATTERN:SIZE (ORDER 0..10 or r, PATTERN contig or sparse, SIZE like 64M)"
		return 1
	fi
	order=${load%%:*} size=${load##*:}
	pattern=${load#*:}
	pattern=${pattern%:*}
	[ "$order" != r ] || order=-1
	step "hop $HOP: test_kho max_mem=$size" write_to "$PARAMS/max_mem" "$size" || return 1
	step "hop $HOP: test_kho order=$order" write_to "$PARAMS/order" "$order" || return 1
	step "hop $HOP: test_kho pattern=$pattern" write_to "$PARAMS/pattern" "$pattern" || return 1
	# Cheap to fill and check: a pattern derived from each page's address.
	if [ -e "$PARAMS/fill" ]; then
		step "hop $HOP: test_kho fill=address" write_to "$PARAMS/fill" address || return 1
	fi
	step "hop $HOP: test_kho preserves load $load (echo 1 > $TK/preserve)" \
		write_to "$TK/preserve" 1
}

# kexec_load_time: time a kexec -s -l of the next hop, exactly as /init will
# do it, and unload it again.
kexec_load_time() {
	local next t0 t1
	if ! cat /sys/firmware/initrd >/tmp/initrd 2>/dev/null; then
		nok "hop $HOP: /sys/firmware/initrd, for the timed kexec -s -l"
		return 1
	fi
	next=$(sed "s/kho_test\.hop=$HOP\b/kho_test.hop=$((HOP + 1))/" /proc/cmdline | next_cmdline)
	t0=$(now_ms)
	step "hop $HOP: timed kexec -s -l of hop $((HOP + 1))" \
		kexec -s -l /boot/bzImage --initrd=/tmp/initrd --append="$next" || return 1
	t1=$(now_ms)
	step "hop $HOP: kexec -s -u after the timed load" kexec -s -u || return 1
	info kexec_load_ms $((t1 - t0))
	info kexec_load_clock $CLOCK
}

hop_checks()
{
	local load

	if [ "$HOP" = 0 ]; then
		TSC_KHZ=$(tsc_khz)
		info tsc_khz "${TSC_KHZ:-none}"
	else
		TSC_KHZ=$(arg tsc_early_khz) || TSC_KHZ=
	fi
	check "hop $HOP: kho_bench.loads has one load per hop ($HOPS): '$LOADS'" \
		[ "$(nr_loads)" = "$HOPS" ]
	step "hop $HOP: $TK/restore and $TK/preserve exist (test_kho.defer=1)" \
		defer_files || return 0
	[ "$HOP" = 0 ] || bench_restore "$(load_of $((HOP - 1)))"
	[ "$HOP" -lt "$HOPS" ] && [ $FAILED = 0 ] || return 0
	load=$(load_of "$HOP")
	bench_preserve "$load" || return 0
	info bench_load "$load"
	kexec_load_time
}

# Every later hop runs with hop 0's TSC frequency.
next_cmdline()
{
	if [ -n "$TSC_KHZ" ]; then
		sed 's/ *tsc_early_khz=[^ ]*//g' | sed "s/\$/ tsc_early_khz=$TSC_KHZ/"
	else
		cat
	fi
}
