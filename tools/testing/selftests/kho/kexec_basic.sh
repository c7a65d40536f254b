#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Basic kexec round trip with the real kexec tool: kernel A (cold boot)
# loads the same bzImage with "kexec -s -l" and executes it; kernel B must
# find the marker A put on its command line.

. "$(dirname "$0")/lib.sh"

guest kexec_basic kexec 1 ""
expect "kexec_basic: both kernels reported (2 hops)" [ "$(hops_seen)" = 2 ]
expect "kexec_basic: two kernels booted in one QEMU run" \
	[ "$(grep -c '^\[ *[0-9.]*\] Linux version' "$LOG")" = 2 ]
ktap_done
