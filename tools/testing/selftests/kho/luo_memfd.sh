#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Live Update Orchestrator (liveupdate=on kho=on), one kexec: the
# device tests of /dev/liveupdate (liveupdate_test), then memfds kept in
# sessions across the kexec with luo_kexec: one session with one memfd;
# a session without files; a session of several memfds, one of them
# empty and one with a hole; and a session closed before the kexec, which
# the next kernel must not have. Every file must come back with its size,
# position and contents (checksum), and only once.

. "$(dirname "$0")/lib.sh"

specs="one=64K/empty=/multi=0,12K,3M,1/-closed"
guest luo_memfd luo 1 "kho=on liveupdate=on kho_test.luo=$specs kho_test.luo_dev=1" -m 768
expect "luo_memfd: both kernels reported (1 kexec)" [ "$(hops_seen)" = 2 ]
expect "luo_memfd: hop 0 logs 'LUO: handing over 3 sessions (live update 1)'" \
	kmsg_has 0 'LUO: handing over 3 sessions (live update 1)'
expect "luo_memfd: hop 1 logs 'LUO: 3 sessions from the previous kernel wait to be retrieved ...'" \
	kmsg_has 1 'LUO: 3 sessions from the previous kernel wait to be retrieved'
ktap_done
