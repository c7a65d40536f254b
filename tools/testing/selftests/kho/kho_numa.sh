#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KHO on a 2-node NUMA guest (QEMU -numa, memory split evenly; 1 GiB) with
# the harness's CONFIG_NUMA + CONFIG_DEFERRED_STRUCT_PAGE_INIT kernel
# (KHO_KERNEL_NUMA) and test_kho.max_mem=128M, one kexec: the cold boot has
# 4 scratch areas (lowmem, global, node 0, node 1), logged as such; the next
# kernel keeps exactly these areas, runs deferred init on both nodes and
# test_kho PASSes with what was preserved, with revival and accounting as in
# kho_mem. A 256 MiB DIMM on node 1 is plugged in at start and onlined by
# ACPI memory hotplug as movable memory (memhp_default_state=online_movable,
# as hot-added memory usually is; the kernel's own allocations then stay
# out of it): the KUnit case kho_preserve_hotplugged_einval, run in both
# kernels, finds memory added after boot and KHO refuses to preserve it,
# while test_kho's folios elsewhere come back. Skipped without
# KHO_KERNEL_NUMA and KHO_INITRD_NUMA.

. "$(dirname "$0")/lib.sh"

# areas HOP: how many scratch areas hop HOP reported.
areas() { wc -w <<<"$(info scratch_phys "$1")"; }
# node1_line HOP: kernel HOP logged one "KHO: scratch 3: [mem 0x<16 hex>-0x<16
# hex>] node 1" line.
node1_line() {
	kmsg_match "$1" '^KHO: scratch 3:' \
		'^KHO: scratch 3: \[mem 0x[0-9a-f]{16}-0x[0-9a-f]{16}\] node 1$'
}

# hotplug_ok HOP: the KUnit case ran in HOP, found hot-added memory (no
# SKIP) and passed.
hotplug_ok() {
	kmsg "$1" | grep -qE '^ *ok [0-9]+ kho_preserve_hotplugged_einval$' && return 0
	diag_lines "hop $1:" "$(kmsg "$1" | grep 'kho_preserve_hotplugged_einval')"
	return 1
}

guest_numa kho_numa kho_mem 1 "kho=on test_kho.max_mem=128M kho_test.nodes=2 memhp_default_state=online_movable kunit.enable=1 kunit.filter_glob=kho_preserve.kho_preserve_hotplugged_einval" \
	-m 1024 -n 2 -d 256
expect "kho_numa: hop 1 was reached (2 kernels reported)" [ "$(hops_seen)" = 2 ]
expect "kho_numa: hop 0 has 4 scratch areas (out/scratch_phys)" same "hop 0 areas" "$(areas 0)" 4
expect "kho_numa: hop 0 logs 'KHO: scratch 3: [mem ...] node 1'" node1_line 0
expect "kho_numa: hop 0 logs its scratch areas as 'KHO: scratch <i>: [mem ...] <kind>' (lowmem, global, node 0, node 1)" \
	scratch_log_ok 0 ""
expect "kho_numa: hop 1 out/scratch_phys is identical to hop 0's" \
	same_info scratch_phys 1 scratch_phys 0
expect "kho_numa: hop 1 out/scratch_len is identical to hop 0's" \
	same_info scratch_len 1 scratch_len 0
expect "kho_numa: hop 1 logs its scratch areas as 'KHO: scratch <i>: [mem ...] <kind> (inherited)'" \
	scratch_log_ok 1 " (inherited)"
for n in 0 1; do
	expect "kho_numa: hop 1 ran deferred struct page init on node $n ('node $n deferred pages initialised in <n>ms')" \
		deferred_ok 1 $n
done
for h in 0 1; do
	expect "kho_numa: hop $h: KHO refuses to preserve memory hot-added after boot (KUnit kho_preserve_hotplugged_einval ok, not skipped)" \
		hotplug_ok $h
done
mem_cold_checks kho_numa $((128 * 1024))
mem_hop_checks kho_numa 1
expect "kho_numa: no 'KHO: disabling revival' line" no_revival_disabled
mem_summary kho_numa 1
ktap_done
