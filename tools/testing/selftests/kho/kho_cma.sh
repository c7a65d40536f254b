#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Preserved memory wins over a reservation at a fixed address: hop 0 hands
# over a 4 MiB reserve_mem= region used by ramoops (as kho_reserve_mem.sh)
# and kexecs with cma=4M@<the region's address> added to the next kernel's
# command line. KHO revives before cma= is reserved, so the CMA area is
# refused with one line ("cma: Failed to reserve 4 MiB on node -1"), the
# region is kept where it was and hop 0's marker is found in pstore. Runs on the
# harness's NUMA kernel (KHO_KERNEL_NUMA), which has CONFIG_DMA_CMA.

. "$(dirname "$0")/lib.sh"

RAMOOPS="ramoops.mem_name=oops ramoops.console_size=0x40000 ramoops.record_size=0"
RAMOOPS+=" ramoops.pmsg_size=0 ramoops.ftrace_size=0"

# region HOP WHAT: the "KHO: reserve_mem oops: [mem A-B] WHAT" line of
# kernel HOP; sets RS to A.
region() {
	RS=
	kmsg_match "$1" "^KHO: reserve_mem oops: .* $2\$" \
		"^KHO: reserve_mem oops: \\[mem (0x[0-9a-f]{16})-0x[0-9a-f]{16}\\] $2\$" || return 1
	RS=$((BASH_REMATCH[1]))
}
# cma_at_region: hop 0 asked for the CMA area at its region's address.
cma_at_region() {
	local at
	at=$(info cma_over 0)
	region 0 "handed over" >/dev/null || return 1
	[[ $at =~ ^0x[0-9a-f]+$ ]] && ((at == RS)) && return 0
	diag "hop 0 asked for cma= at '$at', its region starts at $(printf 0x%x "$RS")"
	return 1
}
# kept_same: hop 1 kept the region at hop 0's address.
kept_same() {
	local s0
	region 0 "handed over" >/dev/null || return 1
	s0=$RS
	region 1 "kept from the previous kernel" || return 1
	((RS == s0)) && return 0
	diag "hop 1 kept $(printf 0x%x "$RS"), hop 0 handed over $(printf 0x%x "$s0")"
	return 1
}

guest_numa kho_cma kho_reserve_mem 1 "kho=on reserve_mem=4M:4M:oops $RAMOOPS kho_test.cma_over=1" -m 1024
expect "kho_cma: both kernels reported (1 kexec)" [ "$(hops_seen)" = 2 ]
expect "kho_cma: hop 0 asked for cma=4M@<start of its reserve_mem region>" cma_at_region
expect "kho_cma: hop 1 logs exactly one 'cma: Failed to reserve 4 MiB[ on node <n>]'" \
	[ "$(kmsg 1 | grep -cE '^cma: Failed to reserve 4 MiB( on node -?[0-9]+)?$')" = 1 ]
expect "kho_cma: hop 1 reserves no CMA area ('cma: Reserved ...')" no_kmsg 1 '^cma: Reserved '
expect "kho_cma: hop 1 keeps the region at hop 0's address" kept_same
expect "kho_cma: no 'KHO: disabling revival' line" no_revival_disabled
ktap_done
