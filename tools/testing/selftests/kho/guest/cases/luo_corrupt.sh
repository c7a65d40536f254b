# SPDX-License-Identifier: GPL-2.0
# Every corrupted incoming LUO structure (luo_corrupt.sh; needs
# CONFIG_KEXEC_HANDOVER_DEBUG and CONFIG_LIVEUPDATE): a chain of kexecs in
# which the kernel of hop H (from 1) boots with luo_corrupt= case H of
#
#   kho_test.luo_cases=CASE,CASE,...   one per kexec; "none" for none, '+'
#                                      between the cases of one kernel
#
# which damages the LUO handover it was given before LUO reads it. Before a
# kexec into a kernel with "sessions", a hop preserves the sessions of
#
#   kho_test.luo_bad=SPEC/SPEC/...     luo_kexec's SPECs, with the errnos
#                                      the next kernel must refuse with
#
# and before any other, those of kho_test.luo_good=SPEC/SPEC/... (no
# errnos). Hop H verifies what hop H - 1 preserved: after "sessions", with
# the errnos of kho_test.luo_bad; after "none" or "number", all of it;
# after any other case (which costs every session), that every session is
# gone. It reports KHO's in/preserved before and after (info
# in_preserved_before, in_preserved_after) and luo_kexec prints how many
# preserved blocks each FINISH released.

. /cases/luo.sh

LUO_BAD=$(arg kho_test.luo_bad | tr '/' ' ')
LUO_GOOD=$(arg kho_test.luo_good | tr '/' ' ')
LUO_CASES=$(arg kho_test.luo_cases) || LUO_CASES=

# luo_case H: the case of hop H (from 1), with '+' between its parts.
luo_case() { echo "$LUO_CASES" | tr ',' '\n' | sed -n "${1}p"; }
has_sessions() { case "+$1+" in *+sessions+*) return 0 ;; esac; return 1; }
# keeps_sessions CASE: CASE costs no session as a whole.
keeps_sessions() {
	case $1 in
	none | number | sessions | sessions+number | number+sessions) return 0 ;;
	esac
	return 1
}
# all_lost SPEC...: the same sessions, each expected to be gone.
all_lost() {
	local s
	for s in "$@"; do echo "${s%%=*}:ENOENT=${s#*=}"; done
}
# in_preserved: KHO's in/preserved as "KEY N" pairs on one line.
in_preserved() {
	if [ -f "$KHO/in/preserved" ]; then
		tr '\n' ' ' <"$KHO/in/preserved" | sed 's/ *$//'
	else
		echo missing
	fi
}

hop_checks()
{
	local rc c got specs

	check "hop $HOP: /dev/liveupdate exists (liveupdate=on)" [ -c /dev/liveupdate ]
	check "hop $HOP: kho_test.luo_cases has one case per kexec ($HOPS): '$LUO_CASES'" \
		[ "$(echo "$LUO_CASES" | tr ',' '\n' | grep -c .)" = "$HOPS" ]
	if [ "$HOP" -gt 0 ]; then
		c=$(luo_case "$HOP")
		got=$(arg luo_corrupt) || got=none
		check "hop $HOP: booted with luo_corrupt=$(echo "$c" | tr '+' ',')" \
			[ "$got" = "$(echo "$c" | tr '+' ',')" ]
		if has_sessions "$c"; then
			specs=$LUO_BAD
		elif keeps_sessions "$c"; then
			specs=$LUO_GOOD
		else
			specs=$(all_lost $LUO_GOOD)
		fi
		info in_preserved_before "$(in_preserved)"
		luo_kexec verify --seed "$HOP" --preserved "$KHO/in/preserved" \
			$specs >/tmp/verify.out 2>&1
		rc=$?
		info in_preserved_after "$(in_preserved)"
		luo_ktap "hop $HOP: verify: " </tmp/verify.out
		check "hop $HOP: luo_kexec verify passes (what hop $((HOP - 1)) preserved came back, or was refused, as expected)" \
			[ $rc = 0 ]
	fi
	[ "$HOP" -lt "$HOPS" ] || return 0
	if has_sessions "$(luo_case $((HOP + 1)))"; then
		specs=$LUO_BAD
	else
		specs=$LUO_GOOD
	fi
	luo_kexec preserve --seed "$((HOP + 1))" $specs >/tmp/preserve.out 2>&1
	rc=$?
	cat /tmp/preserve.out
	check "hop $HOP: luo_kexec preserve of '$specs'" [ $rc = 0 ]
}

# The next kernel's luo_corrupt=, instead of this one's.
next_cmdline()
{
	local c

	c=$(luo_case $((HOP + 1)) | tr '+' ',')
	if [ -z "$c" ] || [ "$c" = none ]; then
		sed 's/ *luo_corrupt=[^ ]*//'
	else
		sed "s/ *luo_corrupt=[^ ]*//; s/\$/ luo_corrupt=$c/"
	fi
}
