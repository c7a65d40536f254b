# SPDX-License-Identifier: GPL-2.0
# The "make run" demo: show what kernel A hands over and what kernel B finds.

KHO=/sys/kernel/debug/kho

show_fdt()
{
	echo "---- $1 ----"
	if [ -f "$1" ]; then dtc -q -I dtb -O dts "$1"; else echo "(none)"; fi
}

hop_checks()
{
	echo "==== kernel $((HOP + 1)) of $((HOPS + 1)): $(uname -r), cmdline: $(cat /proc/cmdline)"
	if [ ! -d "$KHO" ]; then
		echo "==== no $KHO: this kernel runs without KHO"
		return
	fi
	if [ "$HOP" -gt 0 ]; then
		echo "==== what the previous kernel handed over:"
		show_fdt $KHO/in/fdt
		for f in $KHO/in/sub_fdts/*; do
			[ -f "$f" ] && echo "blob ${f##*/}: $(wc -c <"$f") bytes"
		done
	fi
}

before_exec()
{
	[ -d "$KHO" ] || return 0
	echo "==== what this kernel hands over:"
	show_fdt $KHO/out/fdt
	paste $KHO/out/scratch_phys $KHO/out/scratch_len 2>/dev/null |
		while read -r a l; do echo "scratch area at $a, $l bytes"; done
}
