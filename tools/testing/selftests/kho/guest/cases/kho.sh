# SPDX-License-Identifier: GPL-2.0
# KHO core with kho=on on every hop: what each kernel hands over (out/) and,
# after a kexec, what it received (in/). The root FDTs and the
# kexec-metadata blobs there must be read-only, also for root (check_ro).
# Used by kho_cold.sh (no kexec), kho_kexec.sh (one) and kho_chain.sh
# (three). Reported for the host:
#   info scratch_phys, scratch_len  out/scratch_*, one word per area
#   info kernel_code                the "Kernel code" range of /proc/iomem
#   info in_fdt_sha, in_meta_sha    sha256 of in/fdt, in/sub_fdts/kexec-metadata
#   info out_fdt_sha, out_meta_sha  sha256 of out/fdt and
#                                   out/sub_fdts/kexec-metadata, right before
#                                   kexec -e
# Each hop passes its release to the next as kho_test.prev_release=.
# With kho_test.legacy=1 a hop also loads with the legacy kexec_load, which
# must warn that it cannot hand over, and unloads again.

hop_checks()
{
	kho_dir || return 0
	check_fdt out/fdt
	check_scratch
	# A cold boot writes count 1, a kernel that received N writes N + 1.
	check_meta out/sub_fdts/kexec-metadata "$(uname -r)" $((HOP + 1))
	check_ro out/fdt
	check_ro out/sub_fdts/kexec-metadata
	info kernel_code "$(kernel_code)"
	if has_arg kho_test.legacy=1; then
		# The legacy kexec_load cannot hand over: the kernel must say so.
		check "hop $HOP: legacy kexec -l (kexec_load) loads" \
			kexec -l /boot/bzImage --append="$(cat /proc/cmdline)"
		check "hop $HOP: kexec_load with KHO on warns that it cannot hand over" \
			sh -c 'dmesg | grep -q "KHO is on but kexec_load cannot hand over"'
		check "hop $HOP: kexec -u unloads it" kexec -u
	fi
	if [ "$HOP" = 0 ]; then
		check "hop 0: no $KHO/in/fdt on a cold boot" [ ! -e "$KHO/in/fdt" ]
		return 0
	fi
	check_fdt in/fdt
	check_meta in/sub_fdts/kexec-metadata "$(arg kho_test.prev_release)" "$HOP"
	info in_fdt_sha "$(sha_of in/fdt)"
	info in_meta_sha "$(sha_of in/sub_fdts/kexec-metadata)"
	check_ro in/fdt
	check_ro in/sub_fdts/kexec-metadata
}

next_cmdline()
{
	sed 's/ *kho_test\.prev_release=[^ ]*//' |
		sed "s/\$/ kho_test.prev_release=$(uname -r)/"
}

before_exec()
{
	info out_fdt_sha "$(sha_of out/fdt)"
	info out_meta_sha "$(sha_of out/sub_fdts/kexec-metadata)"
}
