# SPDX-License-Identifier: GPL-2.0
# Scratch area sizes (kho_scratch=): report this kernel's kho_scratch= value
# (info kho_scratch, "none" without one) and its scratch areas (info
# scratch_phys, scratch_len), checking their form.
# kho_test.next_scratch=V on the command line makes the next hop boot with
# kho_scratch=V instead of this hop's value.

hop_checks()
{
	info kho_scratch "$(arg kho_scratch || echo none)"
	kho_dir || return 0
	check_scratch
}

next_cmdline()
{
	local ns
	if ns=$(arg kho_test.next_scratch); then
		sed "s/ kho_scratch=[^ ]*/ kho_scratch=$ns/"
	else
		cat
	fi
}
