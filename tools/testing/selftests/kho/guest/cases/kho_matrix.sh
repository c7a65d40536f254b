# SPDX-License-Identifier: GPL-2.0
# Every corrupted incoming structure (kho_matrix.sh; needs
# CONFIG_KEXEC_HANDOVER_DEBUG): a chain of kexecs in which hop H damages its
# outgoing handover with case H of kho_test.matrix=CASE0,CASE1,... through
# debugfs out/corrupt, right before kexec -e, and hop H + 1 boots from it.
# The host reads from the kernel logs how each hop took it. A case that
# cannot be injected is reported, not fatal: the chain goes on with an
# intact handover. The scratch array (cases scratch-*) is copied, and the
# x86 setup_data entry (setup-data-*) written, when the next kernel is
# loaded: those cases unload it and load it again.
# Reported for the host:
#   info inject CASE ok|failed   hop H: what it did before its kexec
#   info handover in|none        hop H: whether it revived a handover ($KHO/in)

MATRIX=$(arg kho_test.matrix) || MATRIX=

# case_of H: case H (from 0) of kho_test.matrix.
case_of() { echo "$MATRIX" | tr ',' '\n' | sed -n "$(($1 + 1))p"; }
nr_cases() { echo "$MATRIX" | tr ',' '\n' | grep -c .; }

hop_checks()
{
	check "hop $HOP: kho_test.matrix has one case per kexec ($HOPS): '$MATRIX'" \
		[ "$(nr_cases)" = "$HOPS" ]
	if [ -d "$KHO/in" ]; then
		info handover in
	else
		info handover none
	fi
	[ "$HOP" -lt "$HOPS" ] || return 0
	check "hop $HOP: $KHO/out/corrupt exists (CONFIG_KEXEC_HANDOVER_DEBUG)" \
		[ -e "$KHO/out/corrupt" ]
}

before_exec()
{
	local what

	what=$(case_of "$HOP")
	# Nothing reads out/fdt from here on: a damaged header may lie about
	# its size.
	if ! sh -c "echo $what > $KHO/out/corrupt" 2>/dev/null; then
		info inject "$what failed"
		return 0
	fi
	info inject "$what ok"
	case $what in
	scratch-* | setup-data-*)
		check "hop $HOP: kexec -s -u (the scratch array and setup_data are made at load)" \
			kexec -s -u
		check "hop $HOP: kexec -s -l of hop $((HOP + 1)) with the damaged $what" \
			kexec -s -l /boot/bzImage --initrd=/tmp/initrd --append="$next"
		;;
	esac
}
