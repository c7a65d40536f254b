#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The KUnit suites of KHO and LUO (kernel/liveupdate/tests/, one file per
# unit), run inside the test kernel at boot with liveupdate=on: once with
# kho=on, once with kho=off (where preservation must be refused and the
# LUO suites skip, LUO being off). Each suite must have run its cases, every
# KUnit result becomes a result here, and tools/testing/kunit/kunit.py parse
# must accept the output and find no failure.
# Outside QEMU: kunit.py run --arch=x86_64 --kunitconfig=kernel/liveupdate \
#		--kernel_args=liveupdate=on

. "$(dirname "$0")/lib.sh"

KUNIT_PY=${KHO_KUNIT_PY:-$KHO_DIR/../../kunit/kunit.py}
SUITES="kho_radix kho_preserve kho_restore kho_revive kho_vmalloc"
# Those of a kernel with LUO, which says so at boot given liveupdate=on
# ("/dev/liveupdate ready", or with kho=off "liveupdate=on needs kho=on").
LUO_SUITES="luo_session luo_memfd"

# ktap_of LOG: the KUnit output of a serial log, without timestamps: from
# its "KTAP version 1" to the result of its last suite, by its plan.
ktap_of() {
	sed -n 's/^\[ *[0-9.]*\] //p' "$1" | awk '
		!on && !/^KTAP version 1$/ { next }
		{ on = 1; print }
		plan == "" && /^1\.\.[0-9]+$/ { plan = substr($0, 4); next }
		plan != "" && $0 ~ ("^(not )?ok " plan " ") { exit }'
}

# suite_ran KTAP SUITE: SUITE ended with a result of its own, after as many
# case results as its plan announced, at least one.
suite_ran() {
	awk -v s="$2" '
		$0 == "    # Subtest: " s { on = 1; next }
		!on { next }
		/^    1\.\.[0-9]+$/ { plan = substr($0, 8) + 0 }
		/^    (not )?ok [0-9]+ / { cases++ }
		/^(not )?ok [0-9]+ / { end = $0; exit }
		END {
			if (plan > 0 && cases == plan && end ~ ("^(not )?ok [0-9]+ " s "( # SKIP.*)?$"))
				exit 0
			printf "# %s: plan %d, %d case results, end \"%s\"\n", s, plan, cases, end
			exit 1
		}' "$1"
}

run_kunit() {
	local name=$1 kho=$2 ktap line suite="" suites

	# kho_* and luo_*: the suites of kernel/liveupdate/tests/ only.
	guest "$name" kexec 0 "kho=$kho liveupdate=on kunit.enable=1 kunit.filter_glob=[kl][hu]o_*" -m 1024
	ktap=$KHO_LOGDIR/$name.ktap
	ktap_of "$LOG" >"$ktap"
	suites=$SUITES
	klog 'LUO: ' >/dev/null && suites+=" $LUO_SUITES"
	for suite in $suites; do
		expect "$name: KUnit ran the $suite suite and all its cases" \
			suite_ran "$ktap" "$suite"
	done
	while IFS= read -r line; do
		case $line in
		"    # Subtest: "*) suite=${line#    # Subtest: } ;;
		"    ok "*"# SKIP"*) result skip "$name: $suite.$(echo "${line#    ok }" | sed 's/^[0-9]* //; s/ # SKIP.*//')" \
				"$(echo "$line" | sed 's/.*# SKIP //')" ;;
		"    ok "*) result ok "$name: $suite.${line#    ok [0-9]* }" ;;
		"    not ok "*) result fail "$name: $suite.$(echo "${line#    not ok }" | sed 's/^[0-9]* //')" ;;
		esac
	done < <(sed -E 's/^(    (not )?ok )([0-9]+) /\1\3 /' "$ktap")
	if command -v python3 >/dev/null && [ -f "$KUNIT_PY" ]; then
		expect "$name: kunit.py parse accepts the output and finds no failure" \
			sh -c "python3 '$KUNIT_PY' parse '$ktap' >'$ktap.parsed' 2>&1"
	else
		result skip "$name: kunit.py parse" "no python3 or no $KUNIT_PY"
	fi
}

run_kunit kho_kunit_on on
if klog 'LUO: ' >/dev/null; then
	for t in luo_session_round_trip luo_memfd_retrieve_revived; do
		expect "kho_kunit_on: $t ran (LUO on, not skipped)" \
			grep -q "^    ok [0-9]* $t\$" "$KHO_LOGDIR/kho_kunit_on.ktap"
	done
fi
run_kunit kho_kunit_off off
expect "kho_kunit_off: preservation refused with KHO off (the -EOPNOTSUPP test ran)" \
	grep -q '^    ok [0-9]* kho_preserve_off_eopnotsupp$' "$KHO_LOGDIR/kho_kunit_off.ktap"
ktap_done
