#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Memory preservation along a chain of three KHO kexecs (kho=on
# test_kho.max_mem=64M on all four kernels, 768 MiB guest): hops 0, 1 and 2
# each preserve a new random set of folios, up to 64 MiB; hops 1, 2 and 3
# each restore and verify the set of their predecessor and log PASS with its
# count and size, revive at least these blocks, and account for preserved
# memory consistently (boot log, in/preserved, revival line).

. "$(dirname "$0")/lib.sh"

guest kho_mem_chain kho_mem 3 "kho=on test_kho.max_mem=64M" -m 768
expect "kho_mem_chain: all 4 kernels reported (3 kexecs)" [ "$(hops_seen)" = 4 ]
mem_cold_checks kho_mem_chain $((64 * 1024))
for h in 1 2 3; do
	if [ $h -lt 3 ]; then
		expect "kho_mem_chain: hop $h logs one 'KHO_TEST: preserved <n> folios (<KiB> KiB), orders 0-<max>, for the next kernel', n > 0, at most 65536 KiB" \
			preserved_ok $h $((64 * 1024))
	fi
	mem_hop_checks kho_mem_chain $h
done
expect "kho_mem_chain: no 'KHO: disabling revival' line" no_revival_disabled
for h in 1 2 3; do
	mem_summary kho_mem_chain $h
done
ktap_done
