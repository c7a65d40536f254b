#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Live Update Orchestrator with a large memfd: 1 GiB of seeded random
# data (with a hole in its second page) in one session, kept across one
# kexec in a 2 GiB guest, and verified byte for byte and by checksum by a
# process of the next kernel. The guest logs how long preserve and verify
# took.

. "$(dirname "$0")/lib.sh"

guest luo_big luo 1 "kho=on liveupdate=on kho_test.luo=big=1G" -m 2048
expect "luo_big: both kernels reported (1 kexec)" [ "$(hops_seen)" = 2 ]
expect "luo_big: hop 0 logs 'LUO: handing over 1 sessions (live update 1)'" \
	kmsg_has 0 'LUO: handing over 1 sessions (live update 1)'
ktap_done
