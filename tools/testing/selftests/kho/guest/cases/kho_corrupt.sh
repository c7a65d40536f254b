# SPDX-License-Identifier: GPL-2.0
# A damaged handover (CONFIG_KEXEC_HANDOVER_DEBUG): right before kexec,
# hop 0 damages its outgoing handover as kho_test.corrupt= says; hop 1 must
# refuse it and boot as if there had been no handover.

hop_checks()
{
	if [ "$HOP" = 0 ]; then
		check "hop 0: $KHO/out/corrupt exists (CONFIG_KEXEC_HANDOVER_DEBUG)" \
			[ -e "$KHO/out/corrupt" ]
		return 0
	fi
	check "hop $HOP: no $KHO/in: the handover was refused" [ ! -e "$KHO/in" ]
	check "hop $HOP: KHO still hands over (out/fdt)" [ -e "$KHO/out/fdt" ]
}

before_exec()
{
	what=$(arg kho_test.corrupt)
	check "hop $HOP: damage the outgoing handover: $what" \
		sh -c "echo $what > $KHO/out/corrupt"
	# The scratch array is copied into the image at load: load again.
	if [ "$what" = scratch-small ]; then
		check "hop $HOP: kexec -s -u" kexec -s -u
		check "hop $HOP: kexec -s -l of hop $((HOP + 1)) with the damaged array" \
			kexec -s -l /boot/bzImage --initrd=/tmp/initrd --append="$next"
	fi
}
