# SPDX-License-Identifier: GPL-2.0
# KHO asked for but off (e.g. scratch could not be reserved): no KHO debugfs.

hop_checks()
{
	check "hop $HOP: debugfs is mounted on /sys/kernel/debug" debugfs_mounted
	check "hop $HOP: no $KHO: KHO turned itself off" [ ! -e "$KHO" ]
}
