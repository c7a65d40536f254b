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
#   KHO_KCONFIG  .config of the kernel under test (default: the .config of the
#                build tree KHO_KERNEL is in, else this directory's "config")

KHO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KHO_LOGDIR=${KHO_LOGDIR:-/tmp/kho-selftests}
KHO_TIMEOUT=${KHO_TIMEOUT:-300}
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
	"$KHO_DIR/vm.sh" -k "$KHO_KERNEL" -i "$KHO_INITRD" -l "$LOG.raw" \
		-t "$KHO_TIMEOUT" -a "kho_test.case=$case kho_test.hop=0 kho_test.hops=$hops $append" \
		"$@" 2>"$LOG.err"
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
