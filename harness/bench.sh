#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: what a KHO kexec costs per GiB preserved. One QEMU guest walks
# a chain of kexecs, one per load of LOADS: hop H preserves load H with
# test_kho (test_kho.defer=1, driven from the guest's /init, see
# tools/testing/selftests/kho/guest/cases/bench.sh) and times its kexec -s
# -l; kernel H+1 revives it, restores it and verifies every page.
# harness/bench.py reads the serial log (build/logs/bench.log) and writes
# build/bench/bench.csv and build/bench/bench.png, and prints a table.
# MEM=MiB sizes the guest (16384), LOADS=none,ORDER:PATTERN:SIZE,... the
# loads (see README.md), TIMEOUT=seconds the whole run (1800), ACCEL=auto
# tries KVM.
. "$(dirname "$0")/lib.sh"

loads=${LOADS:-none,0:contig:1G,0:contig:4G,0:contig:12G,9:contig:8G,r:contig:8G,0:sparse:1G,none}
mem=${MEM:-16384}
timeout=${TIMEOUT:-1800}
# Before anything long: the loads must be well formed.
IFS=, read -ra list <<<"$loads"
for l in "${list[@]}"; do
	[[ $l =~ ^(none|(10|[0-9]|r):(contig|sparse):[0-9]+[KMGTkmgt]?)$ ]] ||
		die "LOADS: '$l' is not 'none' or ORDER:PATTERN:SIZE (ORDER 0..10 or r, PATTERN contig or sparse, SIZE like 64M)"
done
[ ${#list[@]} -gt 0 ] || die "LOADS is empty"
[[ $mem =~ ^[0-9]+$ ]] || die "MEM: '$mem' is not a number of MiB"
[[ $timeout =~ ^[0-9]+$ ]] || die "TIMEOUT: '$timeout' is not a number of seconds"

need qemu-system-x86_64 qemu-system-x86
need python3 python3
need gnuplot gnuplot-nox
bash "$TOP/harness/kernel.sh" test
kernel=$BUILD/obj/test/arch/x86/boot/bzImage
bash "$TOP/harness/initramfs.sh" "$kernel" "$BUILD/initramfs-test.cpio"
mkdir -p "$BUILD/logs" "$BUILD/bench"
log=$BUILD/logs/bench.log

say ""
say "bench: booting a ${mem} MiB guest in QEMU (${ACCEL:-tcg}), then ${#list[@]} kexec -s hop(s), one per load: $loads"
say "bench: serial log: $log"
rc=0
KHO_ACCEL=${ACCEL:-tcg} "$TOP/tools/testing/selftests/kho/vm.sh" -k "$kernel" \
	-i "$BUILD/initramfs-test.cpio" -l "$log.raw" -t "$timeout" -m "$mem" \
	-a "kho_test.case=bench kho_test.hop=0 kho_test.hops=${#list[@]} kho_bench.loads=$loads kho=on test_kho.defer=1" || rc=$?
tr -d '\r' <"$log.raw" >"$log"
rm -f "$log.raw"

# The figures, even of a failed run: what it got to.
say ""
prc=0
python3 "$TOP/harness/bench.py" --out "$BUILD/bench" "$log" "$loads" || prc=$?
say ""
if [ $rc != 0 ]; then
	say "bench: FAILED: the guest run failed (vm.sh exit $rc). Full log: $log"
elif [ $prc != 0 ]; then
	say "bench: FAILED: a load did not verify or figures are missing (see above). Full log: $log"
else
	say "bench: done. Table above; $BUILD/bench/bench.csv and bench.png"
fi
[ $rc = 0 ] && [ $prc = 0 ]
