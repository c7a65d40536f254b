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
diag() { echo "# $*"; }

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
