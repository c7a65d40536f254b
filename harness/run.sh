#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The main job: build the KHO kernel and show a live KHO kexec in QEMU.
# Kernel A boots with kho=on, loads the same bzImage with "kexec -s -l",
# executes it, and kernel B reports what it received.
. "$(dirname "$0")/lib.sh"

hops=${HOPS:-1}
bash "$TOP/harness/kernel.sh" test
kernel=$BUILD/obj/test/arch/x86/boot/bzImage
bash "$TOP/harness/initramfs.sh" "$kernel" "$BUILD/initramfs-test.cpio"
mkdir -p "$BUILD/logs"
log=$BUILD/logs/run.log

say ""
say "run: booting kernel A in QEMU (${ACCEL:-tcg}), then $hops kexec -s hop(s); serial log: $log"
rc=0
KHO_ACCEL=${ACCEL:-tcg} "$TOP/tools/testing/selftests/kho/vm.sh" -k "$kernel" \
	-i "$BUILD/initramfs-test.cpio" -l "$log.raw" -t 300 -m "${MEM:-512}" \
	-a "kho=on kho_test.case=demo kho_test.hop=0 kho_test.hops=$hops ${APPEND:-}" || rc=$?
tr -d '\r' <"$log.raw" >"$log"
rm -f "$log.raw"

# What a person wants to see: each kernel, what went over, what came back.
grep -E '^====|^---- |^scratch area|^blob |^KHO-TEST: (hop|kexec|verdict)|\] (Linux version|KHO:|Command line:)|^[/ ]|^\s+[a-z-]+ = ' "$log" |
	sed -e 's/^\[ *[0-9.]*\] /  kernel: /' -e 's/^KHO-TEST: /  guest: /'
if [ $rc = 0 ]; then
	say "run: kernel A kexec'd into kernel B and B reported in. Full log: $log"
else
	say "run: FAILED (vm.sh exit $rc). Full log: $log"
fi
exit $rc
