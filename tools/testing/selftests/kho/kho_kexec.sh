#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# One KHO kexec (kho=on on both kernels): kernel B must receive exactly what
# kernel A handed over. B logs "KHO: exec from: <A's release> (count 1)",
# its in/fdt and in/sub_fdts/kexec-metadata are byte-identical to A's
# out/fdt and out/sub_fdts/kexec-metadata as they were right before
# kexec -e, and its own kexec-metadata has count 2 (checked in the guest,
# with everything kho_cold checks, on both kernels). With KASLR, B's kernel
# code lies inside a scratch area.

. "$(dirname "$0")/lib.sh"

guest kho_kexec kho 1 "kho=on"
expect "kho_kexec: hop 1 was reached (2 kernels reported)" [ "$(hops_seen)" = 2 ]
expect "kho_kexec: hop 1 logs exactly 'KHO: exec from: <release of hop 0> (count 1)'" \
	exec_from_ok 1
expect "kho_kexec: hop 0 (cold boot) logs no 'KHO: exec from'" \
	no_kmsg 0 'KHO: exec from'
expect "kho_kexec: hop 1 in/fdt is byte-identical to hop 0 out/fdt" \
	same_info in_fdt_sha 1 out_fdt_sha 0
expect "kho_kexec: hop 1 in/sub_fdts/kexec-metadata is byte-identical to hop 0 out/sub_fdts/kexec-metadata" \
	same_info in_meta_sha 1 out_meta_sha 0
expect "kho_kexec: hop 1 keeps hop 0's scratch addresses" \
	same_info scratch_phys 1 scratch_phys 0
expect "kho_kexec: hop 1 keeps hop 0's scratch lengths" \
	same_info scratch_len 1 scratch_len 0
expect "kho_kexec: hop 1 logs its scratch areas as 'KHO: scratch <i>: [mem ...] <kind> (inherited)'" \
	scratch_log_ok 1 " (inherited)"
code_in_scratch_check kho_kexec 1
expect "kho_kexec: no 'KHO: disabling revival' line" no_revival_disabled
ktap_done
