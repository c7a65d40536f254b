# SPDX-License-Identifier: GPL-2.0
# reserve_mem= across kexec, proved with ramoops: the region named by
# ramoops.mem_name= holds ramoops's copy of the console log, so what one
# kernel printed can be read in the next one through pstore. Each hop prints
# a marker unique to the run into the kernel log (/dev/kmsg) and gives it to
# the next hop as kho_test.prev_mark=; from hop 1 on, a hop mounts pstore and
# looks for the previous hop's marker in console-ramoops-0. Reported for the
# host:
#   info mark       the marker this hop printed
#   info prev_mark  the marker it looked for (hop 1 on; "none" without one)

PSTORE=/sys/fs/pstore
MARK=

# new_mark: a marker no other hop or run prints.
new_mark() {
	echo "kho_test_mark_hop${HOP}_$(od -An -tx1 -N8 /dev/urandom 2>/dev/null | tr -d ' \n')"
}
# has_mark MARK FILE: FILE has the kernel log line of MARK.
has_mark() { [ -n "$1" ] && [ -f "$2" ] && grep -qF "kho_test: marker $1" "$2"; }

hop_checks()
{
	local prev f=$PSTORE/console-ramoops-0

	if [ "$HOP" -gt 0 ]; then
		prev=$(arg kho_test.prev_mark) || prev=
		info prev_mark "${prev:-none}"
		check "hop $HOP: hop $((HOP - 1)) passed its marker on (kho_test.prev_mark=)" [ -n "$prev" ]
		check "hop $HOP: mount -t pstore none $PSTORE" mount -t pstore none $PSTORE
		echo "pstore: $(ls $PSTORE 2>/dev/null | tr '\n' ' ')"
		check "hop $HOP: $f exists" [ -f "$f" ]
		[ -n "$prev" ] && grep -F "kho_test: marker $prev" "$f" 2>/dev/null | sed 's/^/pstore: /'
		check "hop $HOP: $f holds hop $((HOP - 1))'s marker line 'kho_test: marker <mark>'" \
			has_mark "$prev" "$f"
	fi
	MARK=$(new_mark)
	echo "kho_test: marker $MARK" >/dev/kmsg
	info mark "$MARK"
}

# With kho_test.cma_over=1 (kho_cma.sh), the next kernel also gets a CMA
# area at the address of the region: cma=4M@<start of the region>.
next_cmdline()
{
	local start=

	if [ "$(arg kho_test.cma_over)" = 1 ]; then
		start=$(dmesg | sed -n 's/.*KHO: reserve_mem oops: \[mem \(0x[0-9a-f]*\)-0x[0-9a-f]*\] handed over$/\1/p' | tail -n 1)
		# stdout is the next command line: report on stderr.
		info cma_over "${start:-none}" >&2
	fi
	sed 's/ *kho_test\.prev_mark=[^ ]*//; s/ *cma=[^ ]*//' |
		sed "s/\$/ kho_test.prev_mark=$MARK${start:+ cma=4M@$start}/"
}
