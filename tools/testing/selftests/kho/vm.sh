#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run one KHO test guest in QEMU and turn its verdict into an exit status.
#
#   vm.sh -k bzImage -i initrd.cpio [-a "extra cmdline"] [-m MiB] [-c cpus]
#         [-n numa-nodes] [-d dimm-MiB] [-t timeout-seconds] [-l serial.log]
#         [-A tcg|kvm|auto]
#
# -d plugs a DIMM (pc-dimm, on the last node) of that size in at start: it
# is not in the boot memory map, the guest adds it through ACPI memory
# hotplug (boot with memhp_default_state=online to online it).
#
# The guest's serial console goes to the log file (as lines, see below).
# The guest reports with lines "KHO-TEST: ..." (see guest/init); its last
# word is "KHO-TEST: verdict pass" or "... fail". QEMU runs with -no-reboot, so the
# guest's final reboot (and a panic, with panic=-1) ends QEMU. Exit status:
# 0 pass, 1 fail (guest verdict, panic or oops), 2 usage, 124 timeout.

set -u
kernel= initrd= append= mem=512 cpus=1 nodes=0 dimm=0 timeout=180 log= accel=${KHO_ACCEL:-tcg}
while getopts "k:i:a:m:c:n:d:t:l:A:h" o; do
	case $o in
	k) kernel=$OPTARG ;;
	i) initrd=$OPTARG ;;
	a) append=$OPTARG ;;
	m) mem=$OPTARG ;;
	c) cpus=$OPTARG ;;
	n) nodes=$OPTARG ;;
	d) dimm=$OPTARG ;;
	t) timeout=$OPTARG ;;
	l) log=$OPTARG ;;
	A) accel=$OPTARG ;;
	*) sed -n '4,21s/^# \{0,1\}//p' "$0"; exit 2 ;;
	esac
done
[ -f "$kernel" ] || { echo "vm.sh: no kernel image '$kernel'" >&2; exit 2; }
[ -f "$initrd" ] || { echo "vm.sh: no initramfs '$initrd'" >&2; exit 2; }
[ -n "$log" ] || log=$(mktemp /tmp/kho-vm.XXXXXX.log)
command -v qemu-system-x86_64 >/dev/null ||
	{ echo "vm.sh: qemu-system-x86_64 missing (apt-get install qemu-system-x86)" >&2; exit 2; }

# KVM only when asked for and a probe boot really reaches the kernel.
if [ "$accel" = auto ]; then
	accel=tcg
	if [ -w /dev/kvm ]; then
		probe=$(mktemp)
		timeout -k 2 20 qemu-system-x86_64 -accel kvm -m 256 -display none \
			-no-reboot -serial "file:$probe" -monitor none -kernel "$kernel" \
			-append "console=ttyS0 panic=-1 rdinit=/nonexistent" \
			>/dev/null 2>&1 && grep -q 'Linux version' "$probe" && accel=kvm
		rm -f "$probe"
	fi
fi

numa=()
if [ "$nodes" -gt 0 ]; then
	per=$((mem / nodes))
	for ((n = 0; n < nodes; n++)); do
		numa+=(-object "memory-backend-ram,id=m$n,size=${per}M"
		       -numa "node,nodeid=$n,memdev=m$n")
	done
	mem=$((per * nodes))
fi

memarg=$mem
if [ "$dimm" -gt 0 ]; then
	memarg="$mem,slots=2,maxmem=$((mem + dimm))M"
	numa+=(-object "memory-backend-ram,id=dimm0,size=${dimm}M"
	       -device "pc-dimm,id=dimm0,memdev=dimm0$([ "$nodes" -gt 0 ] && echo ",node=$((nodes - 1))")")
fi

pidfile=$(mktemp)
cleanup() {
	local pid
	pid=$(cat "$pidfile" 2>/dev/null)
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	rm -f "$pidfile"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

: >"$log"
start=$(date +%s)
timeout -k 5 "$timeout" qemu-system-x86_64 -accel "$accel" -m "$memarg" \
	-smp "$cpus" "${numa[@]}" -display none -monitor none -no-reboot \
	-serial "file:$log" -pidfile "$pidfile" -kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 earlyprintk=serial panic=-1 oops=panic retain_initrd rdinit=/init $append" \
	</dev/null >>"$log.qemu" 2>&1
rc=$?
secs=$(( $(date +%s) - start ))

# The log as lines, carriage returns removed. The kernel writes each message
# whole, but may write it in the middle of a line that userspace is writing
# (kexec -e's own messages race with those of the kernel it calls): such a
# message goes on a line of its own, and the userspace line is joined again
# around it.
perl -i -ne 's/\r//g;
	$_ = $held . $_; $held = "";
	while (/^(.+?)(\[ *[0-9]+\.[0-9]{6}\] .*\n)/s) {
		print $2; $held .= $1; $_ = substr($_, length($1) + length($2));
	}
	if ($held ne "" && $_ ne "") { print $held . $_; $held = ""; }
	else { print $_; }
	END { print "$held\n" if $held ne ""; }' "$log"

fail() {
	echo "vm.sh: $1 after ${secs}s; full serial log: $log" >&2
	tail -n 25 "$log" | sed 's/^/  | /' >&2
	[ -s "$log.qemu" ] && sed 's/^/  qemu: /' "$log.qemu" >&2
	exit "$2"
}
[ $rc = 124 ] || [ $rc = 137 ] && fail "guest timed out (limit ${timeout}s)" 124
[ $rc = 0 ] || fail "qemu failed (exit $rc)" 1
grep -qE 'Kernel panic|BUG:|Oops|WARNING:|general protection fault' "$log" &&
	fail "guest kernel panicked, oopsed or warned" 1
[ -s "$log" ] || fail "guest printed nothing" 1
grep -q '^KHO-TEST: verdict pass' "$log" || fail "guest verdict is not pass" 1
rm -f "$log.qemu"
exit 0
