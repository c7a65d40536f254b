#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The KHO KUnit suites (kernel/liveupdate/kho_kunit.c), run inside the test
# kernel at boot: once with kho=on, once with kho=off (where preservation
# must be refused). Every KUnit result becomes a result here, and
# tools/testing/kunit/kunit.py parse must accept the output and find no
# failure. Outside QEMU: kunit.py run --arch=x86_64 --kunitconfig=kernel/liveupdate

. "$(dirname "$0")/lib.sh"

KUNIT_PY=${KHO_KUNIT_PY:-$KHO_DIR/../../kunit/kunit.py}

run_kunit() {
	local name=$1 kho=$2 ktap line suite=""

	guest "$name" kexec 0 "kho=$kho kunit.enable=1 kunit.filter_glob=kho*" -m 1024
	ktap=$KHO_LOGDIR/$name.ktap
	sed -n 's/^\[ *[0-9.]*\] //p' "$LOG" | sed -n '/^KTAP version/,/^ok [0-9]* kho_preserve$\|^not ok [0-9]* kho_preserve$/p' >"$ktap"
	expect "$name: KUnit ran the kho_radix and kho_preserve suites" \
		grep -qE '^(not )?ok [0-9]+ kho_preserve$' "$ktap"
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
run_kunit kho_kunit_off off
expect "kho_kunit_off: preservation refused with KHO off (the -EOPNOTSUPP test ran)" \
	grep -q '^    ok [0-9]* kho_preserve_off_eopnotsupp$' "$KHO_LOGDIR/kho_kunit_off.ktap"
ktap_done
