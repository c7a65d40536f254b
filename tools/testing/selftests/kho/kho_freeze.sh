#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The handover is frozen at kexec -e: along a chain of three kexecs (2 CPUs,
# test_kho.defer=1), each kernel but the last runs a thread that preserves
# and unpreserves 256 folios, one change after another, while the kexec
# happens. kernel_kexec() freezes the handover first, so the next kernel
# gets exactly the folios the thread recorded as preserved (but for the one
# change in flight), each with its contents, and revives and accounts for
# them consistently.

. "$(dirname "$0")/lib.sh"

guest kho_freeze kho_freeze 3 "kho=on test_kho.defer=1" -c 2
expect "kho_freeze: all 4 kernels reported (3 kexecs)" [ "$(hops_seen)" = 4 ]
for h in 0 1 2; do
	expect "kho_freeze: hop $h logs 'KHO: handover frozen for kexec'" \
		[ "$(kmsg $h | grep -c '^KHO: handover frozen for kexec$')" = 1 ]
done
for h in 1 2 3; do
	expect "kho_freeze: hop $h accounts for what it revived (blocks = restored + unclaimed, as revived)" \
		account_ok $h
done
expect "kho_freeze: no 'KHO: disabling revival' line" no_revival_disabled
ktap_done
