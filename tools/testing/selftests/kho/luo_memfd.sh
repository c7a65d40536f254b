#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Live Update Orchestrator (liveupdate=on kho=on) along a chain of three
# kexecs: the device tests of /dev/liveupdate (liveupdate_test) on the first
# kernel, then memfds kept in sessions with luo_kexec: one session with one
# memfd; a session without files; a session of several memfds, one empty,
# one of 1 byte, two with a hole; and a session closed before the kexec,
# which the next kernel must not have. Every kernel but the first checks
# that every file came back with its size, position and contents
# (checksum), once, finishes the sessions, and preserves them again with
# new contents for the next one.

. "$(dirname "$0")/lib.sh"

specs="one=64K/empty=/multi=0,12K,3M,1/-closed"
guest luo_memfd luo 3 "kho=on liveupdate=on kho_test.luo=$specs kho_test.luo_dev=1" -m 768
expect "luo_memfd: all 4 kernels reported (3 kexecs)" [ "$(hops_seen)" = 4 ]
for h in 0 1 2; do
	expect "luo_memfd: hop $h logs 'LUO: handing over 3 sessions (live update $((h + 1)))'" \
		kmsg_has $h "LUO: handing over 3 sessions (live update $((h + 1)))"
done
for h in 1 2 3; do
	expect "luo_memfd: hop $h logs 'LUO: 3 sessions from the previous kernel wait to be retrieved ...'" \
		kmsg_has $h 'LUO: 3 sessions from the previous kernel wait to be retrieved'
	expect "luo_memfd: hop $h logs 'LUO: live update $h: took in the sessions of the previous kernel'" \
		kmsg_has $h "LUO: live update $h: took in the sessions of the previous kernel"
	expect "luo_memfd: hop $h drops no session of the previous kernel" \
		no_kmsg $h 'LUO: session .* dropped'
done
ktap_done
