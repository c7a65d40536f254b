# SPDX-License-Identifier: GPL-2.0
# The Live Update Orchestrator (liveupdate=on): memfds in sessions across
# every kexec of the run, with luo_kexec (tools/testing/selftests/liveupdate).
#
#   kho_test.luo=SPEC/SPEC/...   the sessions, as luo_kexec takes them
#                                ('/' between sessions)
#   kho_test.luo_dev=1           hop 0 also runs the device tests
#                                (liveupdate_test)
#
# Hop 0 preserves the sessions; every later hop verifies what the hop
# before preserved, finishes it, and (but the last) preserves the same
# sessions again with a new seed.

LUO_SPECS=$(arg kho_test.luo | tr '/' ' ')

# luo_ktap PREFIX: the KTAP results of a test program, as checks of the run.
luo_ktap() {
	awk -v p="$1" '
	/^ok [0-9]+ / { sub(/^ok [0-9]+ /, ""); print "KHO-TEST: ok " p $0; next }
	/^not ok [0-9]+ / { sub(/^not ok [0-9]+ /, ""); print "KHO-TEST: not ok " p $0; next }
	{ print }'
}


# uptime_s: seconds since boot; took T0: seconds since T0, for the
# timings of preserve and verify.
uptime_s() { cut -d' ' -f1 /proc/uptime; }
took() { awk -v a="$1" -v b="$(uptime_s)" 'BEGIN { print b - a }'; }

hop_checks()
{
	local rc t0

	check "hop $HOP: /dev/liveupdate exists (liveupdate=on)" [ -c /dev/liveupdate ]
	if [ "$HOP" = 0 ] && [ "$(arg kho_test.luo_dev)" = 1 ]; then
		liveupdate_test >/tmp/dev.out 2>&1
		rc=$?
		luo_ktap "hop $HOP: liveupdate_test: " </tmp/dev.out
		check "hop $HOP: liveupdate_test exits 0 (every device test passed)" [ $rc = 0 ]
	fi
	if [ "$HOP" -gt 0 ]; then
		t0=$(uptime_s)
		luo_kexec verify --seed "$HOP" $LUO_SPECS >/tmp/verify.out 2>&1
		rc=$?
		echo "LUO_TIME: hop $HOP: verify took $(took "$t0") s"
		luo_ktap "hop $HOP: verify: " </tmp/verify.out
		check "hop $HOP: luo_kexec verify passes (hop $((HOP - 1))'s files came back)" \
			[ $rc = 0 ]
	fi
	if [ "$HOP" -lt "$HOPS" ]; then
		t0=$(uptime_s)
		luo_kexec preserve --seed "$((HOP + 1))" $LUO_SPECS >/tmp/preserve.out 2>&1
		rc=$?
		echo "LUO_TIME: hop $HOP: preserve took $(took "$t0") s"
		cat /tmp/preserve.out
		check "hop $HOP: luo_kexec preserve of '$LUO_SPECS'" [ $rc = 0 ]
	fi
}
