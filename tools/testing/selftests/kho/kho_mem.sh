#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Memory preservation across one KHO kexec, with test_kho: kernel A (cold
# boot, kho=on test_kho.max_mem=256M, 1 GiB guest) preserves folios of random
# orders, up to 256 MiB, and logs how many; kernel B restores and verifies
# them and must log PASS with exactly that count and size. B's revival line
# must account for at least these blocks, its accounting of preserved memory
# (boot log and in/preserved) must agree with itself and with the revival
# (blocks = restored + unclaimed) and count test_kho's folios as restored.
# The figures (folios, blocks, radix pages, revival time) are printed as
# diagnostic lines.

. "$(dirname "$0")/lib.sh"

guest kho_mem kho_mem 1 "kho=on test_kho.max_mem=256M" -m 1024
expect "kho_mem: hop 1 was reached (2 kernels reported)" [ "$(hops_seen)" = 2 ]
mem_cold_checks kho_mem $((256 * 1024))
mem_hop_checks kho_mem 1
expect "kho_mem: no 'KHO: disabling revival' line" no_revival_disabled
mem_diag kho_mem 0
mem_diag kho_mem 1
mem_summary kho_mem 1
ktap_done
