#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A damaged handover is refused with one "KHO: disabling revival: <reason>"
# line and the next kernel boots normally. Kernel A damages its outgoing
# handover through debugfs out/corrupt (CONFIG_KEXEC_HANDOVER_DEBUG) right
# before kexec -e: a wrong FDT compatible, a preserved-memory-map inside
# scratch, a radix table pointing outside RAM, scratch areas too small to
# boot from.

. "$(dirname "$0")/lib.sh"

refused() {
	local what=$1 why=$2 name=kho_corrupt_$1

	guest "$name" kho_corrupt 1 "kho=on kho_test.corrupt=$what"
	expect "$name: both kernels booted" [ "$(hops_seen)" = 2 ]
	expect "$name: kernel B logs exactly 'KHO: disabling revival: $why'" \
		[ "$(kmsg 1 | grep -c "^KHO: disabling revival: $why\$")" = 1 ]
	expect "$name: kernel B logs no other 'disabling revival' line" \
		[ "$(kmsg 1 | grep -c '^KHO: disabling revival:')" = 1 ]
	expect "$name: kernel B logs no 'KHO: exec from' line" no_kmsg 1 'KHO: exec from'
	expect "$name: kernel B revives nothing" no_kmsg 1 'KHO: revived'
}

refused compatible "FDT not compatible with kho-v3"
refused memory-map "bad preserved-memory-map"
refused radix "radix tree page outside RAM or in scratch"
refused scratch-small "scratch areas too small to boot from"
ktap_done
