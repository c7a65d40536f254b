#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Memory preservation across one KHO kexec with deferred struct page init:
# kho_mem (test_kho.max_mem=128M, 1 GiB guest) on the harness's kernel with
# CONFIG_NUMA and CONFIG_DEFERRED_STRUCT_PAGE_INIT (KHO_KERNEL_NUMA), one
# NUMA node. Both kernels must log that deferred init of node 0 ran, and
# the preserved folios must come through it intact (test_kho PASS with the
# count and size preserved, revival and accounting as in kho_mem).
# Skipped without KHO_KERNEL_NUMA and KHO_INITRD_NUMA.

. "$(dirname "$0")/lib.sh"

guest_numa kho_mem_deferred kho_mem 1 \
	"kho=on test_kho.max_mem=128M kho_test.nodes=1" -m 1024 -n 1
expect "kho_mem_deferred: hop 1 was reached (2 kernels reported)" [ "$(hops_seen)" = 2 ]
for h in 0 1; do
	expect "kho_mem_deferred: hop $h ran deferred struct page init ('node 0 deferred pages initialised in <n>ms')" \
		deferred_ok $h 0
done
mem_cold_checks kho_mem_deferred $((128 * 1024))
mem_hop_checks kho_mem_deferred 1
expect "kho_mem_deferred: no 'KHO: disabling revival' line" no_revival_disabled
mem_summary kho_mem_deferred 1
ktap_done
