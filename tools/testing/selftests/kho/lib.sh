# SPDX-License-Identifier: GPL-2.0
#
# Host side of the KHO selftests: boot the test guest in QEMU through vm.sh,
# read what it reported and print KTAP.
#
# Environment (set by the harness, or by hand):
#   KHO_KERNEL   bzImage of the kernel under test
#   KHO_INITRD   initramfs built for it (harness/initramfs.sh)
#   KHO_LOGDIR   where serial logs go (default /tmp/kho-selftests)
#   KHO_TIMEOUT  seconds one guest run may take (default 300)
#   KHO_APPEND   more kernel command line for every guest run, after the
#                test's own (a module parameter given twice takes the last
#                value; default none)
#   KHO_VM_MEM   guest memory in MiB for every guest run, instead of the
#                size each test gives vm.sh with -m (default: the test's)
#   KHO_KCONFIG  .config of the kernel under test (default: the .config of the
#                build tree KHO_KERNEL is in, else this directory's "config")
#   KHO_KERNEL_NUMA, KHO_INITRD_NUMA
#                the kernel variant with CONFIG_NUMA and
#                CONFIG_DEFERRED_STRUCT_PAGE_INIT and its initramfs, for
#                guest_numa; the tests that need it SKIP without it
#   KHO_VM       the QEMU runner (default vm.sh of this directory)

KHO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KHO_LOGDIR=${KHO_LOGDIR:-/tmp/kho-selftests}
KHO_TIMEOUT=${KHO_TIMEOUT:-300}
KHO_VM=${KHO_VM:-$KHO_DIR/vm.sh}
mkdir -p "$KHO_LOGDIR"

_results=()
_failed=0
_skip=""

# result ok|fail|skip DESC [REASON]
result() {
	case $1 in
	ok)   _results+=("ok $(( ${#_results[@]} + 1 )) $2") ;;
	fail) _results+=("not ok $(( ${#_results[@]} + 1 )) $2${3:+ # $3}"); _failed=1 ;;
	skip) _results+=("ok $(( ${#_results[@]} + 1 )) $2 # SKIP $3") ;;
	esac
}
# expect DESC CMD...: a host-side check.
expect() {
	local desc=$1
	shift
	if "$@"; then result ok "$desc"; else result fail "$desc"; fi
}
diag() { printf '%s\n' "$*" | sed 's/^/# /'; }
# diag_lines LINE...: each argument as a diagnostic line of its own.
diag_lines() { printf '%s\n' "$@" | sed 's/^/# /'; }

# ktap_done: print the results of this test program as KTAP; exit status.
ktap_done() {
	local r
	echo "KTAP version 1"
	echo "1..${#_results[@]}"
	for r in "${_results[@]}"; do echo "$r"; done
	exit $_failed
}

need_guest() {
	if [ ! -f "${KHO_KERNEL:-}" ] || [ ! -f "${KHO_INITRD:-}" ]; then
		echo "KTAP version 1"
		echo "1..0 # SKIP KHO_KERNEL/KHO_INITRD not set: run through 'make check'"
		exit 4
	fi
}

# guest NAME CASE HOPS "APPEND" [vm.sh options]: one run of the guest.
# Sets LOG to its serial log, with carriage returns removed. The guest's own
# checks become results "NAME: DESC"; the run as a whole is one more.
guest() {
	local name=$1 case=$2 hops=$3 append=$4 rc line
	shift 4
	need_guest
	LOG=$KHO_LOGDIR/$name.log
	diag "$name: booting ($case, $hops kexec hops)"
	"$KHO_VM" -k "$KHO_KERNEL" -i "$KHO_INITRD" -l "$LOG.raw" \
		-t "$KHO_TIMEOUT" -a "kho_test.case=$case kho_test.hop=0 kho_test.hops=$hops $append${KHO_APPEND:+ $KHO_APPEND}" \
		"$@" ${KHO_VM_MEM:+-m "$KHO_VM_MEM"} 2>"$LOG.err"
	rc=$?
	tr -d '\r' <"$LOG.raw" >"$LOG"
	rm -f "$LOG.raw"
	while IFS= read -r line; do
		case $line in
		"KHO-TEST: ok "*) result ok "$name: ${line#KHO-TEST: ok }" ;;
		"KHO-TEST: not ok "*) result fail "$name: ${line#KHO-TEST: not ok }" ;;
		esac
	done <"$LOG"
	if [ $rc = 0 ]; then
		result ok "$name: guest ran to the end, no panic/oops/warning"
	else
		sed 's/^/# /' "$LOG.err"
		result fail "$name: guest run" "vm.sh exit $rc, log $LOG"
	fi
	rm -f "$LOG.err"
	return $rc
}

# guest_numa NAME CASE HOPS "APPEND" [vm.sh options]: guest, with the NUMA
# and deferred struct page init kernel KHO_KERNEL_NUMA and its initramfs
# KHO_INITRD_NUMA instead of KHO_KERNEL and KHO_INITRD. Without them the
# whole test program is skipped, so call it before any other result.
guest_numa() {
	if [ ! -f "${KHO_KERNEL_NUMA:-}" ] || [ ! -f "${KHO_INITRD_NUMA:-}" ]; then
		echo "KTAP version 1"
		echo "1..0 # SKIP KHO_KERNEL_NUMA/KHO_INITRD_NUMA not set or not files: they are the harness's kernel with CONFIG_NUMA and CONFIG_DEFERRED_STRUCT_PAGE_INIT and its initramfs"
		exit 4
	fi
	local KHO_KERNEL=$KHO_KERNEL_NUMA KHO_INITRD=$KHO_INITRD_NUMA
	guest "$@"
}

# info KEY [HOP]: the value a hop reported with "KHO-TEST: info KEY VALUE"
# (the first hop that did, unless HOP is given).
info() {
	local key=$1 hop=${2:-}
	awk -v k="$key" -v want="$hop" '
		/^KHO-TEST: hop / { split($3, a, "/"); h = a[1] }
		$1 == "KHO-TEST:" && $2 == "info" && $3 == k && (want == "" || want == h) {
			sub(/^KHO-TEST: info [^ ]* /, ""); print; exit }' "$LOG"
}
# hops: how many hops the last run started.
hops_seen() { grep -c '^KHO-TEST: hop ' "$LOG"; }
# klog REGEX: kernel log lines of the last run that match.
klog() { grep -E "$1" "$LOG"; }

# kmsg HOP: the log of kernel HOP (0 = the cold boot) of the last run, with
# the printk timestamps removed. Kernels are told apart by their
# "Linux version" banner, the first line each of them prints.
kmsg() {
	awk -v want="$1" '/^\[ *[0-9.]+\] Linux version / { k++ } k - 1 == want' "$LOG" |
		sed 's/^\[ *[0-9.]*\] //'
}
# release_of HOP: the release (uname -r) hop HOP reported.
release_of() {
	awk -v h="$1" '$1 == "KHO-TEST:" && $2 == "hop" && index($3, h "/") == 1 &&
		$4 == "release" { print $5; exit }' "$LOG"
}
# kconfig OPTION: the value of OPTION for the kernel under test (see
# KHO_KCONFIG above); empty when not set.
kconfig() {
	local cfg=${KHO_KCONFIG:-}
	[ -n "$cfg" ] || cfg=${KHO_KERNEL%/arch/x86/boot/bzImage}/.config
	[ -f "$cfg" ] || cfg=$KHO_DIR/config
	sed -n "s/^$1=//p" "$cfg"
}

# same WHAT A B: A is not empty and equals B (else say why).
same() {
	[ -n "$2" ] && [ "$2" = "$3" ] && return 0
	diag "$1: '$2' vs '$3'"
	return 1
}
# same_info KEY1 HOP1 KEY2 HOP2: what HOP1 reported as KEY1 is not empty, not
# "missing", and equals what HOP2 reported as KEY2.
same_info() {
	local a b
	a=$(info "$1" "$2") b=$(info "$3" "$4")
	if [ "$a" = missing ]; then
		diag "hop $2 reported $1 'missing'"
		return 1
	fi
	same "hop $2 $1 vs hop $4 $3" "$a" "$b"
}
# no_kmsg HOP REGEX: kernel HOP did boot and logged no line matching REGEX.
no_kmsg() {
	local k
	k=$(kmsg "$1")
	if [ -z "$k" ]; then
		diag "no kernel log for hop $1"
		return 1
	fi
	k=$(grep -E "$2" <<<"$k") || return 0
	diag_lines "hop $1 logged:" "$k"
	return 1
}
# kmsg_has HOP TEXT: kernel HOP logged a line containing TEXT.
kmsg_has() {
	kmsg "$1" | grep -qF -- "$2" && return 0
	diag "hop $1 logged no line with '$2'"
	return 1
}
# no_revival_disabled: the last run has a log and no "KHO: disabling revival:".
no_revival_disabled() {
	local l
	[ -s "$LOG" ] || { diag "empty log $LOG"; return 1; }
	l=$(klog 'KHO: disabling revival:') || return 0
	diag "$l"
	return 1
}
# exec_from_ok HOP: kernel HOP logged exactly one line about where it came
# from, exactly "KHO: exec from: <release of hop HOP-1> (count HOP)".
exec_from_ok() {
	local want got rel
	rel=$(release_of $(($1 - 1)))
	want="KHO: exec from: ${rel:-?} (count $1)"
	got=$(kmsg "$1" | grep 'exec from')
	[ -n "$rel" ] && [ "$got" = "$want" ] && return 0
	diag_lines "hop $1: want '$want', got:" "${got:-(no such line)}"
	return 1
}
# scratch_log_ok HOP SUFFIX: the "KHO: scratch <i>: ..." lines of kernel HOP
# are exactly one per area it reported (info scratch_phys, scratch_len), in
# order: "KHO: scratch <i>: [mem 0x<first byte>-0x<last byte>] <kind>SUFFIX",
# kind lowmem, global, then "node <n>".
scratch_log_ok() {
	local hop=$1 suffix=$2 phys lens i kind want="" got
	read -ra phys <<<"$(info scratch_phys "$hop")"
	read -ra lens <<<"$(info scratch_len "$hop")"
	if [ ${#phys[@]} = 0 ] || [ ${#phys[@]} != ${#lens[@]} ]; then
		diag "hop $hop: no usable scratch report (phys '${phys[*]}', len '${lens[*]}')"
		return 1
	fi
	for i in "${!phys[@]}"; do
		if ! [[ ${phys[i]} =~ ^0x[0-9a-f]+$ && ${lens[i]} =~ ^0x[0-9a-f]+$ ]]; then
			diag "hop $hop: scratch area $i is '${phys[i]}' '${lens[i]}'"
			return 1
		fi
		case $i in
		0) kind=lowmem ;;
		1) kind=global ;;
		*) kind="node $((i - 2))" ;;
		esac
		want+=$(printf 'KHO: scratch %d: [mem 0x%016x-0x%016x] %s%s' "$i" \
			"${phys[i]}" "$((phys[i] + lens[i] - 1))" "$kind" "$suffix")$'\n'
	done
	want=${want%$'\n'}
	got=$(kmsg "$hop" | grep -E '^KHO: scratch [0-9]+:')
	[ "$got" = "$want" ] && return 0
	diag_lines "hop $hop: want scratch lines:" "$want" "got:" "${got:-(none)}"
	return 1
}
# code_in_scratch HOP: the kernel code range hop HOP reported (info
# kernel_code, from /proc/iomem) lies inside one of its scratch areas.
code_in_scratch() {
	local code s e i p l phys lens
	code=$(info kernel_code "$1")
	read -ra phys <<<"$(info scratch_phys "$1")"
	read -ra lens <<<"$(info scratch_len "$1")"
	if ! [[ $code =~ ^0x[0-9a-f]+-0x[0-9a-f]+$ ]]; then
		diag "hop $1: no kernel code range reported ('$code')"
		return 1
	fi
	s=$((${code%-*})) e=$((${code#*-}))
	for i in "${!phys[@]}"; do
		[[ ${phys[i]} =~ ^0x[0-9a-f]+$ && ${lens[i]:-} =~ ^0x[0-9a-f]+$ ]] || continue
		p=$((phys[i])) l=$((lens[i]))
		((s >= p && e < p + l)) && return 0
	done
	diag "hop $1: kernel code $code is in no scratch area (phys '${phys[*]}', len '${lens[*]}')"
	return 1
}
# code_in_scratch_check NAME HOP: the result "NAME: hop HOP kernel code ... in
# scratch"; a SKIP when the kernel does not randomize its physical address.
code_in_scratch_check() {
	local desc="$1: hop $2 kernel code (/proc/iomem) lies inside one scratch area"
	if [ "$(kconfig CONFIG_RANDOMIZE_BASE)" != y ]; then
		result skip "$desc" "kernel built without CONFIG_RANDOMIZE_BASE"
	elif kmsg "$2" | grep -qE '^Command line: (.* )?nokaslr( |$)'; then
		result skip "$desc" "nokaslr on the command line of hop $2"
	else
		expect "$desc" code_in_scratch "$2"
	fi
}

# ---- Memory preservation: test_kho (test_kho.max_mem=), revival and the
# accounting of preserved memory. The parsers below set globals for the
# checks that use them (they run in this shell, not in a subshell).

# kmsg_match HOP FILTER ERE: kernel HOP logged exactly one line matching the
# ERE FILTER, and that line matches the ERE in full; its groups are then in
# BASH_REMATCH. Else says what it found.
kmsg_match() {
	local hop=$1 filter=$2 re=$3 l n
	l=$(kmsg "$hop")
	if [ -z "$l" ]; then
		diag "no kernel log for hop $hop"
		return 1
	fi
	l=$(grep -E -- "$filter" <<<"$l")
	n=$(grep -c . <<<"$l")
	if [ "$n" != 1 ]; then
		diag "hop $hop: want exactly one line matching '$filter', got $n"
		[ "$n" = 0 ] || diag_lines "$(head -n 5 <<<"$l")"
		return 1
	fi
	[[ $l =~ $re ]] && return 0
	diag_lines "hop $hop: not of the expected form:" "$l"
	return 1
}

# mem_preserved HOP: the one "KHO_TEST: preserved <n> folios (<KiB> KiB),
# orders 0-<max>, for the next kernel" line of kernel HOP; sets P_N P_KIB
# P_MAX.
mem_preserved() {
	P_N= P_KIB= P_MAX=
	kmsg_match "$1" '^KHO_TEST: preserved ' \
		'^KHO_TEST: preserved ([0-9]+) folios \(([0-9]+) KiB\), orders 0-([0-9]+), for the next kernel$' ||
		return 1
	P_N=${BASH_REMATCH[1]} P_KIB=${BASH_REMATCH[2]} P_MAX=${BASH_REMATCH[3]}
}
# mem_verdict HOP: the one verdict of test_kho in kernel HOP (a line
# "KHO_TEST: PASS...", "KHO_TEST: FAIL..." or "KHO_TEST: no data...") is
# "KHO_TEST: PASS: restored <n> folios (<KiB> KiB), orders 0-<max>"; sets
# V_N V_KIB V_MAX.
mem_verdict() {
	V_N= V_KIB= V_MAX=
	kmsg_match "$1" '^KHO_TEST: (PASS|FAIL|no data)' \
		'^KHO_TEST: PASS: restored ([0-9]+) folios \(([0-9]+) KiB\), orders 0-([0-9]+)$' ||
		return 1
	V_N=${BASH_REMATCH[1]} V_KIB=${BASH_REMATCH[2]} V_MAX=${BASH_REMATCH[3]}
}
# mem_revived HOP: the one "KHO: revived ..." line of kernel HOP; sets
# R_BLOCKS R_KIB R_PAGES R_REGIONS R_US.
mem_revived() {
	R_BLOCKS= R_KIB= R_PAGES= R_REGIONS= R_US=
	kmsg_match "$1" '^KHO: revived ' \
		'^KHO: revived ([0-9]+) preserved blocks \(([0-9]+) KiB\) from ([0-9]+) radix pages into ([0-9]+) memblock regions in ([0-9]+) us$' ||
		return 1
	R_BLOCKS=${BASH_REMATCH[1]} R_KIB=${BASH_REMATCH[2]} R_PAGES=${BASH_REMATCH[3]}
	R_REGIONS=${BASH_REMATCH[4]} R_US=${BASH_REMATCH[5]}
}
# mem_account HOP: the one "KHO: preserved memory from the previous kernel:
# ..." line of kernel HOP; sets A_B A_BKIB A_R A_RKIB A_U A_UKIB.
mem_account() {
	A_B= A_BKIB= A_R= A_RKIB= A_U= A_UKIB=
	kmsg_match "$1" '^KHO: preserved memory from the previous kernel' \
		'^KHO: preserved memory from the previous kernel: ([0-9]+) blocks \(([0-9]+) KiB\), ([0-9]+) restored \(([0-9]+) KiB\), ([0-9]+) unclaimed \(([0-9]+) KiB\)$' ||
		return 1
	A_B=${BASH_REMATCH[1]} A_BKIB=${BASH_REMATCH[2]} A_R=${BASH_REMATCH[3]}
	A_RKIB=${BASH_REMATCH[4]} A_U=${BASH_REMATCH[5]} A_UKIB=${BASH_REMATCH[6]}
}
IN_KEYS="blocks bytes restored_blocks restored_bytes unclaimed_blocks unclaimed_bytes"
# mem_in_preserved HOP: what hop HOP reported of in/preserved (info
# in_preserved, "KEY N" pairs); sets IN[KEY] for each key of IN_KEYS.
declare -A IN
mem_in_preserved() {
	local w i k
	IN=()
	read -ra w <<<"$(info in_preserved "$1")"
	for ((i = 0; i + 1 < ${#w[@]}; i += 2)); do
		[[ ${w[i + 1]} =~ ^[0-9]+$ ]] && IN[${w[i]}]=${w[i + 1]}
	done
	for k in $IN_KEYS; do
		[ -n "${IN[$k]:-}" ] && continue
		diag "hop $1: no '$k N' in its in/preserved report '${w[*]}'"
		return 1
	done
}

# preserved_ok HOP MAX_KIB: kernel HOP logged one well-formed preserved line
# with at least one folio and at most MAX_KIB KiB, and its KiB is possible
# for that many folios of orders 0..max (4 KiB << order each).
preserved_ok() {
	mem_preserved "$1" || return 1
	if ((P_N > 0 && P_KIB <= $2 && P_KIB >= 4 * P_N && P_KIB <= (4 << P_MAX) * P_N)); then
		return 0
	fi
	diag "hop $1: preserved $P_N folios ($P_KIB KiB), orders 0-$P_MAX; limit $2 KiB"
	return 1
}
# pass_ok HOP: test_kho's only verdict in kernel HOP is PASS, and it restored
# exactly the folio count and KiB kernel HOP-1 preserved.
pass_ok() {
	local p=$(($1 - 1))
	mem_verdict "$1" || return 1
	if ! mem_preserved $p >/dev/null; then
		diag "hop $p has no usable 'KHO_TEST: preserved' line to compare with"
		return 1
	fi
	[ "$V_N" = "$P_N" ] && [ "$V_KIB" = "$P_KIB" ] && return 0
	diag "hop $1 restored $V_N folios ($V_KIB KiB), hop $p preserved $P_N ($P_KIB KiB)"
	return 1
}
# cold_verdict_ok HOP: test_kho's only verdict in kernel HOP is exactly
# "KHO_TEST: no data from a previous kernel".
cold_verdict_ok() {
	kmsg_match "$1" '^KHO_TEST: (PASS|FAIL|no data)' \
		'^KHO_TEST: no data from a previous kernel$'
}
# revived_ok HOP: kernel HOP logged one well-formed revival line, with at
# least as many blocks and KiB as kernel HOP-1 preserved folios with
# test_kho, from at least one radix page into at least one region.
revived_ok() {
	local p=$(($1 - 1))
	mem_revived "$1" || return 1
	if ! mem_preserved $p >/dev/null; then
		diag "hop $p has no usable 'KHO_TEST: preserved' line to compare with"
		return 1
	fi
	((R_BLOCKS >= P_N && R_KIB >= P_KIB && R_PAGES > 0 && R_REGIONS > 0)) && return 0
	diag "hop $1 revived $R_BLOCKS blocks ($R_KIB KiB) from $R_PAGES radix pages" \
		"into $R_REGIONS regions; hop $p preserved $P_N folios ($P_KIB KiB)"
	return 1
}
# account_ok HOP: kernel HOP logged one well-formed accounting line, with
# blocks = restored + unclaimed (for the count and for KiB), and the blocks
# and KiB of its revival line.
account_ok() {
	mem_account "$1" || return 1
	if ((A_B != A_R + A_U || A_BKIB != A_RKIB + A_UKIB)); then
		diag "hop $1: $A_B blocks ($A_BKIB KiB) != $A_R restored ($A_RKIB KiB) + $A_U unclaimed ($A_UKIB KiB)"
		return 1
	fi
	if ! mem_revived "$1" >/dev/null; then
		diag "hop $1 has no usable revival line to compare with"
		return 1
	fi
	((A_B == R_BLOCKS && A_BKIB == R_KIB)) && return 0
	diag "hop $1: accounting $A_B blocks ($A_BKIB KiB), revived $R_BLOCKS blocks ($R_KIB KiB)"
	return 1
}
# account_restored_ok HOP: the accounting of kernel HOP counts as restored at
# least the folios (and KiB) test_kho restored.
account_restored_ok() {
	mem_account "$1" >/dev/null || { diag "hop $1 has no usable accounting line"; return 1; }
	mem_verdict "$1" >/dev/null || { diag "hop $1 has no test_kho PASS line"; return 1; }
	((A_R >= V_N && A_RKIB >= V_KIB)) && return 0
	diag "hop $1: $A_R blocks ($A_RKIB KiB) restored, test_kho restored $V_N folios ($V_KIB KiB)"
	return 1
}
# in_preserved_ok HOP: in/preserved of hop HOP holds the figures of its
# accounting line (bytes = KiB * 1024).
in_preserved_ok() {
	mem_in_preserved "$1" || return 1
	mem_account "$1" >/dev/null || { diag "hop $1 has no usable accounting line"; return 1; }
	if ((IN[blocks] == A_B && IN[restored_blocks] == A_R && IN[unclaimed_blocks] == A_U &&
	     IN[bytes] == A_BKIB * 1024 && IN[restored_bytes] == A_RKIB * 1024 &&
	     IN[unclaimed_bytes] == A_UKIB * 1024)); then
		return 0
	fi
	diag_lines "hop $1: in/preserved: $(info in_preserved "$1")" \
		"hop $1: log: $A_B blocks ($A_BKIB KiB), $A_R restored ($A_RKIB KiB), $A_U unclaimed ($A_UKIB KiB)"
	return 1
}
# in_preserved_sum_ok HOP: in/preserved of hop HOP has blocks =
# restored_blocks + unclaimed_blocks and bytes = restored_bytes +
# unclaimed_bytes.
in_preserved_sum_ok() {
	mem_in_preserved "$1" || return 1
	((IN[blocks] == IN[restored_blocks] + IN[unclaimed_blocks] &&
	  IN[bytes] == IN[restored_bytes] + IN[unclaimed_bytes])) && return 0
	diag "hop $1: in/preserved: $(info in_preserved "$1")"
	return 1
}
# deferred_ok HOP NODE: kernel HOP logged "node NODE deferred pages
# initialised in <n>ms" (mm/mm_init.c: deferred struct page init ran).
deferred_ok() {
	kmsg "$1" | grep -qE "^node $2 deferred pages initialised in [0-9]+ms$" && return 0
	diag "hop $1: no 'node $2 deferred pages initialised in <n>ms' line"
	return 1
}

# mem_cold_checks NAME MAX_KIB: the results for the cold boot (hop 0) of a
# test_kho run: it preserved folios and claims no handover.
mem_cold_checks() {
	expect "$1: hop 0 logs one 'KHO_TEST: preserved <n> folios (<KiB> KiB), orders 0-<max>, for the next kernel', n > 0, at most $2 KiB" \
		preserved_ok 0 "$2"
	expect "$1: hop 0 (cold boot) has the one test_kho verdict 'KHO_TEST: no data from a previous kernel'" \
		cold_verdict_ok 0
	expect "$1: hop 0 (cold boot) logs no 'KHO: revived' line" no_kmsg 0 '^KHO: revived '
	expect "$1: hop 0 (cold boot) logs no 'KHO: preserved memory from the previous kernel' line" \
		no_kmsg 0 '^KHO: preserved memory from the previous kernel'
}
# mem_hop_checks NAME HOP: the results for a KHO boot HOP of a test_kho run.
mem_hop_checks() {
	local n=$1 h=$2 p=$(($2 - 1))
	expect "$n: hop $h has the one test_kho verdict 'KHO_TEST: PASS: restored <n> folios (<KiB> KiB), ...' with hop $p's preserved count and KiB" \
		pass_ok $h
	expect "$n: hop $h logs one 'KHO: revived <blocks> preserved blocks (<KiB> KiB) from <pages> radix pages into <regions> memblock regions in <us> us', blocks and KiB >= hop $p's test_kho folios and KiB" \
		revived_ok $h
	expect "$n: hop $h logs one 'KHO: preserved memory from the previous kernel: ...' line, blocks = restored + unclaimed, same blocks and KiB as revived" \
		account_ok $h
	expect "$n: hop $h accounting has restored blocks and KiB >= what test_kho restored" \
		account_restored_ok $h
	expect "$n: hop $h in/preserved has the figures of its accounting line" \
		in_preserved_ok $h
	expect "$n: hop $h in/preserved: blocks = restored_blocks + unclaimed_blocks, bytes = restored_bytes + unclaimed_bytes" \
		in_preserved_sum_ok $h
}
# mem_diag NAME HOP: the test_kho, revival and accounting lines of kernel HOP
# and what it reported of in/preserved, as diagnostic lines.
mem_diag() {
	local l
	l=$(kmsg "$2" | grep -E '^KHO_TEST: |^KHO: (revived |preserved memory from the previous kernel)') ||
		l="(no test_kho, revival or accounting line)"
	while IFS= read -r l; do diag "$1: hop $2: $l"; done <<<"$l"
	[ "$2" = 0 ] || diag "$1: hop $2: in/preserved: $(info in_preserved "$2")"
}
# mem_summary NAME HOP: one diagnostic line with the figures of KHO boot HOP:
# the folios test_kho preserved in hop HOP-1 and restored in HOP, the
# revival (blocks, KiB, radix pages, memblock regions, microseconds) and the
# accounting ("?" for what HOP did not log).
mem_summary() {
	local h=$2
	mem_preserved $((h - 1)) >/dev/null
	mem_verdict "$h" >/dev/null
	mem_revived "$h" >/dev/null
	mem_account "$h" >/dev/null
	diag "$1: figures: hop $((h - 1)) preserved ${P_N:-?} folios (${P_KIB:-?} KiB, orders 0-${P_MAX:-?});" \
		"hop $h restored ${V_N:-?} folios (${V_KIB:-?} KiB), revived ${R_BLOCKS:-?} blocks (${R_KIB:-?} KiB)" \
		"from ${R_PAGES:-?} radix pages into ${R_REGIONS:-?} memblock regions in ${R_US:-?} us;" \
		"accounting ${A_B:-?} blocks, ${A_R:-?} restored (${A_RKIB:-?} KiB), ${A_U:-?} unclaimed (${A_UKIB:-?} KiB)"
}
