#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test_kho does not take the machine down: in a 1 GiB guest, with
# test_kho.max_mem=2G (more than there is), kernel A preserves what it can
# while leaving free memory to the rest of the boot, and says how much it
# fell short ("KHO_TEST: stopped <KiB> KiB short of max_mem, to leave memory
# to the system"). Both kernels boot to /init (no OOM panic in a later
# initcall), and kernel B restores and verifies all of it.

. "$(dirname "$0")/lib.sh"

# short_ok: hop 0 logged one "stopped <KiB> KiB short" line, and what it
# preserved plus that shortfall is max_mem.
short_ok() {
	local short
	kmsg_match 0 '^KHO_TEST: stopped ' \
		'^KHO_TEST: stopped ([0-9]+) KiB short of max_mem, to leave memory to the system$' || return 1
	short=${BASH_REMATCH[1]}
	mem_preserved 0 || return 1
	((short > 0 && P_KIB + short == 2 * 1024 * 1024)) && return 0
	diag "hop 0 preserved $P_KIB KiB and stopped $short KiB short of 2 GiB"
	return 1
}

guest kho_headroom kho_mem 1 "kho=on test_kho.max_mem=2G" -m 1024
expect "kho_headroom: both kernels reached /init (2 kernels reported)" [ "$(hops_seen)" = 2 ]
expect "kho_headroom: hop 0 says how far short of max_mem it stopped, and preserved the rest" short_ok
mem_cold_checks kho_headroom $((1024 * 1024))
mem_hop_checks kho_headroom 1
expect "kho_headroom: no 'KHO: disabling revival' line" no_revival_disabled
mem_summary kho_headroom 1
ktap_done
