#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The main job: build the KHO kernel and show a live KHO kexec in QEMU.
# Kernel A boots with kho=on and test_kho preserving TEST_KHO_MEM (64M) of
# folios, loads the same bzImage with "kexec -s -l" and executes it; kernel B
# revives the handover, test_kho restores and checks every folio. With
# liveupdate=on, a process of A keeps an 8 MiB memfd in a session, and a
# process of B takes it back: both show its checksum.
# HOPS=n chains kexecs, MEM=MiB sizes the guest, ACCEL=auto tries KVM.
. "$(dirname "$0")/lib.sh"

hops=${HOPS:-1}
need qemu-system-x86_64 qemu-system-x86
bash "$TOP/harness/kernel.sh" test
kernel=$BUILD/obj/test/arch/x86/boot/bzImage
bash "$TOP/harness/initramfs.sh" "$kernel" "$BUILD/initramfs-test.cpio"
mkdir -p "$BUILD/logs"
log=$BUILD/logs/run.log

say ""
say "run: booting kernel A in QEMU (${ACCEL:-tcg}), then $hops kexec -s hop(s); serial log: $log"
rc=0
KHO_ACCEL=${ACCEL:-tcg} "$TOP/tools/testing/selftests/kho/vm.sh" -k "$kernel" \
	-i "$BUILD/initramfs-test.cpio" -l "$log.raw" -t 300 -m "${MEM:-768}" \
	-a "kho=on liveupdate=on test_kho.max_mem=${TEST_KHO_MEM:-64M} kho_test.case=demo kho_test.hop=0 kho_test.hops=$hops ${APPEND:-}" || rc=$?
tr -d '\r' <"$log.raw" >"$log"
rm -f "$log.raw"

# What a person wants to see, in boot order: each kernel, what it hands
# over, what the next one revives and restores.
sed -n -e 's/^DEMO: //p' \
	-e 's/^\[ *[0-9.]*\] \(Linux version [^ ]*\).*/  kernel: \1/p' \
	-e 's/^\[ *[0-9.]*\] \(KHO: .*\)/  kernel: \1/p' \
	-e 's/^\[ *[0-9.]*\] \(LUO: .*\)/  kernel: \1/p' \
	-e 's/^\[ *[0-9.]*\] \(KHO_TEST: .*\)/  kernel: \1/p' "$log"
say ""
if [ $rc = 0 ]; then
	say "run: kernel A kexec'd into kernel B with KHO and B reported in. Full log: $log"
else
	say "run: FAILED (vm.sh exit $rc). Full log: $log"
fi
exit $rc
