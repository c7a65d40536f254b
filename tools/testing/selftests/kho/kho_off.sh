#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kho=off on both kernels of a kexec: neither has /sys/kernel/debug/kho
# (checked in the guest, with debugfs mounted), kexec -s still reaches the
# second kernel, and that kernel does not claim a KHO handover.

. "$(dirname "$0")/lib.sh"

guest kho_off kho_off 1 "kho=off"
expect "kho_off: kexec with kho=off reached hop 1 (2 kernels reported)" \
	[ "$(hops_seen)" = 2 ]
expect "kho_off: hop 1 logs no 'KHO: exec from' line" no_kmsg 1 'KHO: exec from'
ktap_done
