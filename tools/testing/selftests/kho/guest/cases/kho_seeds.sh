# SPDX-License-Identifier: GPL-2.0
# Seeds for the user-space fuzzers of tools/testing/kho/: what a real kernel
# hands over, printed for the host as "KHO-SEED: NAME HEX" lines, one per
# file, NAME being out/fdt or out/sub_fdts/BLOB (tools/testing/kho/seeds.sh
# turns them into files). Checked: every file was there and printed.

hop_checks()
{
	local f name

	kho_dir || return 0
	for f in "$KHO/out/fdt" "$KHO"/out/sub_fdts/*; do
		name=${f#"$KHO"/}
		check "hop $HOP: $name can be read" test -r "$f"
		echo "KHO-SEED: $name $(od -An -tx1 -v "$f" | tr -d ' \n')"
	done
}
