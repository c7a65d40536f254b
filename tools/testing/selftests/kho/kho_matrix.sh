#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every corrupted incoming structure. Debugfs out/corrupt
# (CONFIG_KEXEC_HANDOVER_DEBUG, kernel/liveupdate/kho_corrupt.c) damages one
# field of one structure of the outgoing handover right before kexec -e (the
# scratch array before kexec -s -l), and the next kernel must reach /init,
# with no panic, oops or warning (vm.sh), say why in exactly one line and
# lose only what is damaged:
#  - a bad root FDT, memory map, radix table, leaf or scratch array: one
#    "KHO: disabling revival: <reason>", nothing revived, and test_kho starts
#    afresh ("KHO_TEST: no data from a previous kernel");
#  - a bad node or blob of one owner: revival as usual, one line of that
#    owner, and test_kho's data PASS; when the blob is test_kho's own index,
#    its FAIL line instead.
# The cases run as chains of kexecs, hop H injecting case H
# (kho_test.matrix=), in 768 MiB guests with kho=on test_kho.max_mem=16M and
# two reserve_mem= regions of the same size. A memblock case needs a kernel
# that handed both regions over: a cold boot, or a kernel whose handover was
# refused before revival, which is a cold boot for KHO (a kernel that
# refuses a memory map or a tree allocates its regions in scratch, where
# they cannot be preserved). The runs are laid out for that.

. "$(dirname "$0")/lib.sh"
need_guest

APPEND="kho=on test_kho.max_mem=16M reserve_mem=1M:4096:oops reserve_mem=1M:4096:oops2"

# ---- What each case must make the next kernel log.
declare -A KIND WANT
# refused CASE REASON: the whole handover, "KHO: disabling revival: REASON".
refused() { KIND[$1]=refused WANT[$1]=$2; }
# owner CASE ERE: one owner, one line matching the ERE in full.
owner() { KIND[$1]=owner WANT[$1]=$2; }
# victim CASE ERE: test_kho's own index; its only verdict matches the ERE.
victim() { KIND[$1]=victim WANT[$1]=$2; }

refused fdt-magic "FDT header invalid"
refused fdt-totalsize-big "FDT header invalid"
refused fdt-totalsize-small "FDT header invalid"
refused fdt-struct-offset "FDT header invalid"
refused fdt-strings-offset "FDT header invalid"
refused compatible "FDT not compatible with kho-v3"
refused memory-map-zero "FDT without a valid preserved-memory-map"
refused memory-map-unaligned "bad preserved-memory-map"
refused memory-map-outside "bad preserved-memory-map"
refused memory-map "bad preserved-memory-map"
refused memory-map-blob "radix tree page outside RAM or in scratch"
refused memory-map-preserved "radix tree page inside a preserved block"
refused radix "radix tree page outside RAM or in scratch"
refused radix-unaligned "radix tree page outside RAM or in scratch"
refused radix-cycle "radix tree page reached twice or in use"
refused radix-shared "radix tree page reached twice or in use"
refused radix-in-block "radix tree page inside a preserved block"
refused leaf-outside "preserved block outside RAM or in scratch"
refused leaf-scratch "preserved block outside RAM or in scratch"
refused leaf-overlap "preserved blocks overlap"
refused leaf-order "preserved block of impossible order"
refused scratch-empty "scratch area empty or not page aligned"
refused scratch-overlap "scratch areas overlap"
refused scratch-outside "scratch area outside RAM"
refused scratch-small "scratch areas too small to boot from"
refused setup-data-length "setup_data of 40 bytes, expected 48"

NO_META='KHO: no valid kexec-metadata blob \(-22\): previous kernel unknown'
owner subtree-no-data "$NO_META"
owner subtree-bad-length "$NO_META"
owner subtree-outside "$NO_META"
owner subtree-scratch "$NO_META"
owner subtree-huge "$NO_META"
owner subtree-past 'KHO: no valid kexec-metadata blob \(-2\): previous kernel unknown'
owner subtree-size-zero "$NO_META"
owner metadata-short 'KHO: kexec-metadata blob of 72 bytes, expected 73: ignored'
owner metadata-long 'KHO: kexec-metadata blob of 74 bytes, expected 73: ignored'
owner metadata-version 'KHO: kexec-metadata version 2, expected 1: ignored'
owner metadata-release 'KHO: kexec-metadata release is not a printable string: ignored'

owner setup-data-duplicate 'KHO: ignoring a second setup_data entry'
owner memblock-not-fdt 'KHO: memblock blob is not a valid memblock-v1 FDT: ignored'
H='0x[0-9a-f]+'
RMEM="KHO: reserve_mem [^ ]+: the previous kernel.s region \\($H bytes at $H\\) does not fit $H bytes aligned to $H: allocating a new one"
owner memblock-outside "$RMEM"
owner memblock-scratch "$RMEM"
owner memblock-overlap "$RMEM"
owner memblock-size-zero "$RMEM"

INDEX='KHO_TEST: FAIL: cannot restore the index of [0-9]+ folios'
victim vmalloc-loop "$INDEX"
victim vmalloc-count "$INDEX"
victim vmalloc-unpreserved "$INDEX"
victim vmalloc-total "$INDEX"
victim vmalloc-order "$INDEX"
victim vmalloc-flags "$INDEX"

# ---- The runs: one QEMU guest each, one kexec per case. Each memblock case
# follows a cold boot or a case refused before revival (fdt-*, compatible,
# memory-map-zero, scratch-*).
RUNS=(
	"memblock-not-fdt fdt-magic memblock-outside fdt-totalsize-big
	 memblock-scratch fdt-totalsize-small memblock-overlap fdt-struct-offset
	 memblock-size-zero fdt-strings-offset compatible memory-map-zero"
	"scratch-empty scratch-overlap scratch-outside scratch-small
	 memory-map-unaligned memory-map-outside memory-map memory-map-blob
	 memory-map-preserved radix radix-unaligned radix-cycle"
	"radix-shared radix-in-block leaf-outside leaf-scratch leaf-overlap
	 leaf-order subtree-no-data subtree-bad-length subtree-outside
	 subtree-scratch subtree-huge subtree-past"
	"subtree-size-zero metadata-short metadata-long metadata-version
	 metadata-release vmalloc-loop vmalloc-count vmalloc-unpreserved
	 vmalloc-total vmalloc-order vmalloc-flags setup-data-duplicate
	 setup-data-length"
)

# ---- Checks of one case, injected by hop P = H - 1 and received by hop H.

# count HOP ERE: how many lines of kernel HOP match the ERE in full.
count() { kmsg "$1" | grep -cxE -- "$2"; }
# reached HOP: hop HOP of the last run started /init.
reached() { grep -q "^KHO-TEST: hop $1/" "$LOG"; }
# injected CASE HOP: hop HOP reported that it injected CASE, and its kernel
# logged it once.
injected() {
	local got n
	got=$(info inject "$2")
	n=$(kmsg "$2" | grep -cF "KHO: debugfs: outgoing handover corrupted ($1) on purpose")
	[ "$got" = "$1 ok" ] && [ "$n" = 1 ] && return 0
	diag "hop $2 reported inject '$got' and logged the injection of $1 $n times"
	return 1
}
# handover HOP IN: hop HOP reported "info handover IN" (in or none).
handover() {
	local got
	got=$(info handover "$1")
	[ "$got" = "$2" ] && return 0
	diag "hop $1 reported handover '$got', want '$2'"
	return 1
}
# refused_once HOP REASON: kernel HOP logged exactly one "KHO: disabling
# revival:" line, and it is "KHO: disabling revival: REASON".
refused_once() {
	local l
	l=$(kmsg "$1" | grep '^KHO: disabling revival:')
	[ "$l" = "KHO: disabling revival: $2" ] && return 0
	diag_lines "hop $1: want the one line 'KHO: disabling revival: $2', got:" "${l:-(none)}"
	return 1
}
# one_line HOP ERE [N]: exactly N (default 1) lines of kernel HOP match ERE.
one_line() {
	local n
	n=$(count "$1" "$2")
	[ "$n" = "${3:-1}" ] && return 0
	diag "hop $1: $n lines match '$2', want ${3:-1}; its KHO lines:"
	kmsg "$1" | grep -E '^(KHO|KHO_TEST): ' | grep -v '^KHO: scratch ' |
		head -n 12 | sed "s/^/# hop $1: /"
	return 1
}
# no_line HOP ERE: no line of kernel HOP matches ERE.
no_line() { one_line "$1" "$2" 0; }

# check_case RUN CASE HOP
check_case() {
	local c=$2 h=$3 p=$(($3 - 1)) n="$1: $2"
	expect "$n: hop $p injected it ('KHO: debugfs: outgoing handover corrupted ($c) on purpose ...')" \
		injected "$c" $p
	expect "$n: hop $h reached /init" reached $h
	case ${KIND[$c]} in
	refused)
		expect "$n: hop $h logs exactly one 'disabling revival' line, 'KHO: disabling revival: ${WANT[$c]}'" \
			refused_once $h "${WANT[$c]}"
		expect "$n: hop $h revives nothing (no 'KHO: revived' line)" no_line $h 'KHO: revived .*'
		expect "$n: hop $h has no kho/in in debugfs" handover $h none
		expect "$n: hop $h: test_kho starts afresh ('KHO_TEST: no data from a previous kernel')" \
			cold_verdict_ok $h
		;;
	owner | victim)
		expect "$n: hop $h logs no 'KHO: disabling revival' line" no_line $h 'KHO: disabling revival: .*'
		expect "$n: hop $h revives the handover (one 'KHO: revived' line)" \
			one_line $h 'KHO: revived .*'
		expect "$n: hop $h has kho/in in debugfs" handover $h in
		expect "$n: hop $h logs exactly one line '${WANT[$c]}'" one_line $h "${WANT[$c]}"
		if [ "${KIND[$c]}" = victim ]; then
			expect "$n: hop $h: that FAIL line is test_kho's only verdict" \
				kmsg_match $h '^KHO_TEST: (PASS|FAIL|no data)' "^${WANT[$c]}\$"
		else
			expect "$n: hop $h: test_kho's data of hop $p PASS" pass_ok $h
		fi
		;;
	*)
		result fail "$n: the case has an expectation in kho_matrix.sh"
		;;
	esac
}

# every_case_once: every case of the table runs exactly once.
every_case_once() {
	local c all dup missing unknown
	all=$(printf '%s\n' "${RUNS[@]}" | tr -s ' \t' '\n\n' | sed '/^$/d' | sort)
	dup=$(uniq -d <<<"$all")
	missing=$(for c in "${!KIND[@]}"; do grep -qx -- "$c" <<<"$all" || echo "$c"; done)
	unknown=$(while read -r c; do [ -n "${KIND[$c]:-}" ] || echo "$c"; done <<<"$all")
	[ -z "$dup$missing$unknown" ] && return 0
	diag "twice: '$dup'; in no run: '$missing'; without expectation: '$unknown'"
	return 1
}

expect "kho_matrix: every case of the table is in exactly one run" every_case_once

boots=0 cases=0
for r in "${!RUNS[@]}"; do
	read -ra list <<<"$(echo ${RUNS[r]})"
	name=kho_matrix_$((r + 1))
	hops=${#list[@]}
	t=$((60 + 25 * hops))
	[ "$t" -ge "$KHO_TIMEOUT" ] || t=$KHO_TIMEOUT
	guest "$name" kho_matrix $hops "$APPEND kho_test.matrix=$(IFS=,; echo "${list[*]}")" \
		-m 768 -t $t
	boots=$((boots + 1))
	expect "$name: all $((hops + 1)) kernels reported ($hops kexecs)" [ "$(hops_seen)" = $((hops + 1)) ]
	for i in "${!list[@]}"; do
		check_case "$name" "${list[i]}" $((i + 1))
		cases=$((cases + 1))
	done
done

(ktap_done)
rc=$?
diag "kho_matrix: $cases cases in $boots boots"
exit $rc
