# SPDX-License-Identifier: GPL-2.0
# The handover freezes at kexec -e (test_kho.defer=1): every hop but the
# first checks the churn of its predecessor (test_kho/churn_check), every
# hop but the last starts a thread that preserves and unpreserves folios
# until the kexec freezes the handover (test_kho/churn), lets it run, and
# kexecs while it runs.

TK=/sys/kernel/debug/test_kho

# churn_verdict: test_kho's last churn verdict line.
churn_verdict() {
	dmesg | sed 's/^<[0-9]*>//; s/^\[[^]]*\] //' |
		grep -E '^KHO_TEST: churn: (PASS|FAIL)' | tail -n 1
}

hop_checks()
{
	local v

	if [ ! -e "$TK/churn" ] || [ ! -e "$TK/churn_check" ]; then
		nok "hop $HOP: $TK/churn and $TK/churn_check exist (test_kho.defer=1)"
		return 0
	fi
	if [ "$HOP" -gt 0 ]; then
		check "hop $HOP: echo 1 > $TK/churn_check" sh -c "echo 1 > $TK/churn_check"
		v=$(churn_verdict)
		case $v in
		"KHO_TEST: churn: PASS: "*) ok "hop $HOP: the churn of hop $((HOP - 1)) came back as recorded: ${v#KHO_TEST: churn: }" ;;
		*) nok "hop $HOP: the churn of hop $((HOP - 1)) came back as recorded (got '${v:-nothing}')" ;;
		esac
	fi
	[ "$HOP" -lt "$HOPS" ] || return 0
	check "hop $HOP: echo 1 > $TK/churn" sh -c "echo 1 > $TK/churn"
	sleep 1
}
