#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A chain of three KHO kexecs (kho=on on all four kernels): hop N logs
# "KHO: exec from: <release of hop N-1> (count N)", receives byte for byte
# what hop N-1 handed over, and keeps the cold boot's scratch areas
# unchanged; with KASLR its kernel code lies inside one of them. The guest
# checks on every hop what kho_cold and kho_kexec check (its own
# kexec-metadata has count N+1).

. "$(dirname "$0")/lib.sh"

guest kho_chain kho 3 "kho=on"
expect "kho_chain: all 4 kernels reported (3 kexecs)" [ "$(hops_seen)" = 4 ]
expect "kho_chain: hop 0 (cold boot) logs no 'KHO: exec from'" \
	no_kmsg 0 'KHO: exec from'
expect "kho_chain: hop 0 logs its scratch areas as 'KHO: scratch <i>: [mem ...] <kind>'" \
	scratch_log_ok 0 ""
for h in 1 2 3; do
	p=$((h - 1))
	expect "kho_chain: hop $h logs exactly 'KHO: exec from: <release of hop $p> (count $h)'" \
		exec_from_ok $h
	expect "kho_chain: hop $h in/fdt is byte-identical to hop $p out/fdt" \
		same_info in_fdt_sha $h out_fdt_sha $p
	expect "kho_chain: hop $h in/sub_fdts/kexec-metadata is byte-identical to hop $p out/sub_fdts/kexec-metadata" \
		same_info in_meta_sha $h out_meta_sha $p
	expect "kho_chain: hop $h out/scratch_phys is identical to hop 0's" \
		same_info scratch_phys $h scratch_phys 0
	expect "kho_chain: hop $h out/scratch_len is identical to hop 0's" \
		same_info scratch_len $h scratch_len 0
	expect "kho_chain: hop $h logs its scratch areas as 'KHO: scratch <i>: [mem ...] <kind> (inherited)'" \
		scratch_log_ok $h " (inherited)"
	code_in_scratch_check kho_chain $h
done
expect "kho_chain: no 'KHO: disabling revival' line" no_revival_disabled
ktap_done
