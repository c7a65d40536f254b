# SPDX-License-Identifier: GPL-2.0
# kho=off: no KHO debugfs at all, and kexec -s works all the same.

kho_absent() { debugfs_mounted && [ ! -e "$KHO" ]; }

hop_checks()
{
	check "hop $HOP: booted with kho=off" has_arg kho=off
	check "hop $HOP: debugfs is mounted on /sys/kernel/debug" debugfs_mounted
	check "hop $HOP: no $KHO with kho=off" kho_absent
}
