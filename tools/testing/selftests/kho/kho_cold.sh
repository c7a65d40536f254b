#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KHO on a cold boot (kho=on, no kexec): the guest checks what the kernel
# prepares to hand over in /sys/kernel/debug/kho/out: the root FDT (dtc
# decodes it, compatible "kho-v3", preserved-memory-map, kexec-metadata node),
# the scratch areas (3, 2 MiB aligned, non-zero) and the kexec-metadata blob
# (73 bytes, version 1, its own release, count 1). The host checks that the
# boot log announces exactly these scratch areas. It also loads a kernel
# with the legacy kexec_load, which must warn that it cannot hand over.

. "$(dirname "$0")/lib.sh"

guest kho_cold kho 0 "kho=on kho_test.legacy=1"
expect "kho_cold: one 'KHO: scratch <i>: [mem <first>-<last>] <kind>' boot line per area, as in out/scratch_phys and out/scratch_len" \
	scratch_log_ok 0 ""
expect "kho_cold: no 'KHO: exec from' line on a cold boot" \
	no_kmsg 0 'KHO: exec from'
expect "kho_cold: no 'KHO: disabling revival' line" no_revival_disabled
ktap_done
