#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# reserve_mem= regions across two KHO kexecs (kho=on reserve_mem=1M:4096:oops
# on all three kernels), proved with ramoops on the region (its console
# log): every kernel logs "KHO: reserve_mem oops: [mem <first>-<last>]
# handed over", hops 1 and 2 also "... kept from the previous kernel", and
# all of these lines and ramoops's "ramoops: using <size>@<address>" give the
# same 1 MiB region on all three kernels. A marker each hop prints into its
# kernel log is found by the next hop in /sys/fs/pstore/console-ramoops-0,
# so the region's contents survive each kexec (checked in the guest).

. "$(dirname "$0")/lib.sh"

RAMOOPS="ramoops.mem_name=oops ramoops.console_size=0x40000 ramoops.record_size=0"
RAMOOPS+=" ramoops.pmsg_size=0 ramoops.ftrace_size=0"
SIZE=$((1 << 20))

# region HOP WHAT: kernel HOP logged one line "KHO: reserve_mem oops: [mem
# 0x<16 hex>-0x<16 hex>] WHAT"; sets RS and RL to its first and last byte.
region() {
	RS= RL=
	kmsg_match "$1" "^KHO: reserve_mem oops: .* $2\$" \
		"^KHO: reserve_mem oops: \\[mem (0x[0-9a-f]{16})-(0x[0-9a-f]{16})\\] $2\$" || return 1
	RS=$((BASH_REMATCH[1])) RL=$((BASH_REMATCH[2]))
}
# region0: the region hop 0 handed over; sets S0 and L0.
region0() {
	S0= L0=
	region 0 "handed over" >/dev/null || { diag "no usable 'handed over' line in hop 0"; return 1; }
	S0=$RS L0=$RL
}
# region_form: the region hop 0 handed over is 1 MiB, 4 KiB aligned.
region_form() {
	region 0 "handed over" || return 1
	((RL - RS + 1 == SIZE && RS % 4096 == 0)) && return 0
	diag "hop 0 handed over [mem $(printf '0x%016x-0x%016x' $RS $RL)]"
	return 1
}
# same_region HOP WHAT: the line "... WHAT" of kernel HOP gives the region
# hop 0 handed over.
same_region() {
	local s l
	region "$1" "$2" || return 1
	s=$RS l=$RL
	region0 || return 1
	((s == S0 && l == L0)) && return 0
	diag "hop $1 $2 [mem $(printf '0x%016x-0x%016x' $s $l)]," \
		"hop 0 handed over [mem $(printf '0x%016x-0x%016x' $S0 $L0)]"
	return 1
}
# ramoops_ok HOP: kernel HOP logged one "ramoops: using 0x<size>@0x<address>,
# ecc: <n>" line, with the size and address of the region hop 0 handed over.
ramoops_ok() {
	local s a
	kmsg_match "$1" '^ramoops: using 0x' \
		'^ramoops: using (0x[0-9a-f]+)@(0x[0-9a-f]+), ecc: [0-9]+$' || return 1
	s=$((BASH_REMATCH[1])) a=$((BASH_REMATCH[2]))
	region0 || return 1
	((a == S0 && s == L0 - S0 + 1)) && return 0
	diag "hop $1: ramoops uses $(printf '0x%x@0x%x' $s $a)," \
		"hop 0 handed over [mem $(printf '0x%016x-0x%016x' $S0 $L0)]"
	return 1
}
# mark_ok HOP: hop HOP reported a marker of its own (kho_test_mark_hop<HOP>_
# and 16 random hex digits) and its kernel logged "kho_test: marker <it>".
mark_ok() {
	local m
	m=$(info mark "$1")
	if ! [[ $m =~ ^kho_test_mark_hop$1_[0-9a-f]{16}$ ]]; then
		diag "hop $1 reported the marker '$m'"
		return 1
	fi
	kmsg "$1" | grep -qxF "kho_test: marker $m" && return 0
	diag "hop $1: no kernel log line 'kho_test: marker $m'"
	return 1
}

guest kho_reserve_mem kho_reserve_mem 2 "kho=on reserve_mem=1M:4096:oops $RAMOOPS"
expect "kho_reserve_mem: all 3 kernels reported (2 kexecs)" [ "$(hops_seen)" = 3 ]
expect "kho_reserve_mem: hop 0 hands over a 1 MiB, 4 KiB aligned region: 'KHO: reserve_mem oops: [mem 0x<16 hex>-0x<16 hex>] handed over'" \
	region_form
expect "kho_reserve_mem: hop 0 (cold boot) logs no 'KHO: reserve_mem oops: ... kept from the previous kernel'" \
	no_kmsg 0 '^KHO: reserve_mem oops: .* kept from the previous kernel'
for h in 0 1 2; do
	if [ $h -gt 0 ]; then
		expect "kho_reserve_mem: hop $h logs one 'KHO: reserve_mem oops: [mem ...] kept from the previous kernel' with hop 0's region" \
			same_region $h "kept from the previous kernel"
		expect "kho_reserve_mem: hop $h logs one 'KHO: reserve_mem oops: [mem ...] handed over' with hop 0's region" \
			same_region $h "handed over"
	fi
	expect "kho_reserve_mem: hop $h logs one 'ramoops: using 0x<size>@0x<address>, ecc: <n>' with hop 0's region" \
		ramoops_ok $h
	if [ $h -lt 2 ]; then
		expect "kho_reserve_mem: hop $h printed its marker 'kho_test: marker <mark>' into the kernel log" \
			mark_ok $h
		expect "kho_reserve_mem: hop $((h + 1)) looked for the marker of hop $h in pstore" \
			same_info prev_mark $((h + 1)) mark $h
	fi
done
expect "kho_reserve_mem: no 'KHO: disabling revival' line" no_revival_disabled
ktap_done
