# SPDX-License-Identifier: GPL-2.0
# The "make run" demo: show what each kernel hands over and what the next
# one finds. Every line for a person starts with "DEMO: ".

KHO=/sys/kernel/debug/kho

demo() { echo "DEMO: $*"; }
demo_file() { sed 's/^/DEMO:     /' "$@"; }

# With liveupdate=on, a process keeps an 8 MiB memfd of random data in the
# session "demo" across every kexec; each kernel shows its checksum.
demo_luo()
{
	[ -c /dev/liveupdate ] || return 0
	if [ "$HOP" -gt 0 ]; then
		demo "   LUO: a process of kernel $((HOP + 1)) retrieves the memfd:"
		luo_kexec verify --seed "$HOP" demo=8M | grep '^LUO_TEST: verified' |
			demo_file
	fi
	[ "$HOP" -lt "$HOPS" ] || return 0
	demo "   LUO: a process of kernel $((HOP + 1)) preserves a memfd in session 'demo':"
	luo_kexec preserve --seed "$((HOP + 1))" demo=8M |
		grep '^LUO_TEST: preserved' | demo_file
}

hop_checks()
{
	demo "== kernel $((HOP + 1)) of $((HOPS + 1)) is up: $(uname -r)"
	if [ ! -d "$KHO" ]; then
		demo "   no $KHO: this kernel runs without KHO"
		return
	fi
	demo_luo
	if [ "$HOP" -gt 0 ] && [ -d "$KHO/in" ]; then
		demo "   it received this handover (in/fdt):"
		dtc -q -I dtb -O dts "$KHO/in/fdt" | demo_file
		for f in "$KHO"/in/sub_fdts/*; do
			[ -f "$f" ] && demo "   blob ${f##*/}: $(wc -c <"$f") bytes"
		done
		demo "   preserved memory (in/preserved):"
		demo_file "$KHO/in/preserved"
	fi
}

before_exec()
{
	[ -d "$KHO" ] || return 0
	demo "   kernel $((HOP + 1)) hands this over (out/fdt):"
	dtc -q -I dtb -O dts "$KHO/out/fdt" | demo_file
	paste "$KHO/out/scratch_phys" "$KHO/out/scratch_len" |
		while read -r a l; do demo "   scratch area at $a, $l bytes"; done
	demo "   kexec -s -l done; kexec -e into kernel $((HOP + 2))"
}
