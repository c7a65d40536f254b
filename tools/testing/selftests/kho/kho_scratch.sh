#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Scratch area sizes and kho_scratch=, in 7 short guest runs:
#  - default sizes (no kho_scratch=), the reference for the others;
#  - kho_scratch=16M,64M,32M gives exactly those lengths; kexec'd with
#    kho_scratch=32M,128M,64M the next kernel still has the areas it
#    inherited (same addresses and lengths), logged "(inherited)";
#  - kho_scratch=50% gives a smaller global area than the default (200%);
#  - malformed values each print "KHO: kho_scratch=<value>: <why> ...
#    using defaults" and the kernel boots with the default lengths.
# The guest checks the form of the areas (3, 2 MiB aligned, non-zero).

. "$(dirname "$0")/lib.sh"

SZ16="0x1000000 0x4000000 0x2000000"	# 16M,64M,32M

# is_hex_list LIST: one or more 0x<hex> words.
is_hex_list() { [[ $1 =~ ^0x[0-9a-f]+( 0x[0-9a-f]+)*$ ]]; }
# global_smaller LIST1 LIST2: the global area (second) of LIST1 is smaller.
global_smaller() {
	local a b
	is_hex_list "$1" && is_hex_list "$2" || { diag "lengths '$1' vs '$2'"; return 1; }
	read -r _ a _ <<<"$1"
	read -r _ b _ <<<"$2"
	[ -n "$a" ] && [ -n "$b" ] && ((a < b)) && return 0
	diag "global area $a is not smaller than $b"
	return 1
}
# warned_defaults HOP VALUE: kernel HOP logged "KHO: kho_scratch=VALUE: ",
# a reason, and "using defaults" at the end of the line.
warned_defaults() {
	local line
	while IFS= read -r line; do
		case $line in
		"KHO: kho_scratch=$2: "?*"using defaults") return 0 ;;
		esac
	done < <(kmsg "$1")
	diag_lines "hop $1 logged no such line; its KHO lines:" \
		"$(kmsg "$1" | grep 'KHO' | grep -v '^KHO-TEST')"
	return 1
}
no_warning() { no_kmsg "$1" 'KHO: kho_scratch='; }

guest kho_scratch_default kho_scratch 0 "kho=on"
def=$(info scratch_len 0)
diag "default scratch lengths: ${def:-none}"
expect "kho_scratch_default: default scratch lengths reported" is_hex_list "$def"
expect "kho_scratch_default: boot lines 'KHO: scratch <i>: ...' match out/scratch_*" \
	scratch_log_ok 0 ""
expect "kho_scratch_default: no 'KHO: kho_scratch=' warning without kho_scratch=" \
	no_warning 0

guest kho_scratch_sizes kho_scratch 1 \
	"kho=on kho_scratch=16M,64M,32M kho_test.next_scratch=32M,128M,64M"
expect "kho_scratch_sizes: kho_scratch=16M,64M,32M gives lengths exactly $SZ16" \
	same "hop 0 lengths" "$(info scratch_len 0)" "$SZ16"
expect "kho_scratch_sizes: no 'KHO: kho_scratch=' warning for 16M,64M,32M" \
	no_warning 0
expect "kho_scratch_sizes: hop 0 boot lines 'KHO: scratch <i>: ...' match out/scratch_*" \
	scratch_log_ok 0 ""
expect "kho_scratch_sizes: hop 1 was booted with kho_scratch=32M,128M,64M" \
	same "hop 1 kho_scratch" "$(info kho_scratch 1)" 32M,128M,64M
expect "kho_scratch_sizes: hop 1 keeps the inherited lengths $SZ16, not its own kho_scratch=" \
	same "hop 1 lengths" "$(info scratch_len 1)" "$SZ16"
expect "kho_scratch_sizes: hop 1 keeps the inherited addresses of hop 0" \
	same_info scratch_phys 1 scratch_phys 0
expect "kho_scratch_sizes: hop 1 logs 'KHO: scratch <i>: [mem ...] <kind> (inherited)'" \
	scratch_log_ok 1 " (inherited)"
expect "kho_scratch_sizes: no 'KHO: disabling revival' line" no_revival_disabled

guest kho_scratch_half kho_scratch 0 "kho=on kho_scratch=50%"
expect "kho_scratch_half: kho_scratch=50% gives a smaller global area than the default (200%)" \
	global_smaller "$(info scratch_len 0)" "$def"
expect "kho_scratch_half: no 'KHO: kho_scratch=' warning for 50%" no_warning 0

n=0
for v in abc 16M,64M 0,0,0 150%x; do
	n=$((n + 1))
	name=kho_scratch_bad$n
	guest $name kho_scratch 0 "kho=on kho_scratch=$v"
	expect "$name: kho_scratch=$v is reported as 'KHO: kho_scratch=$v: <why> ... using defaults'" \
		warned_defaults 0 "$v"
	expect "$name: kho_scratch=$v gives the default scratch lengths" \
		same "kho_scratch=$v lengths vs default" "$(info scratch_len 0)" "$def"
done

# Scratch that cannot be reserved (8G global area in a 512M guest): one
# clear line, KHO off, and the boot goes on.
guest kho_scratch_toobig kho_absent 0 "kho=on kho_scratch=16M,8G,16M"
expect "kho_scratch_toobig: 'KHO: cannot reserve the global scratch area of 8192 MiB, disabling KHO'" \
	grep -q 'KHO: cannot reserve the global scratch area of 8192 MiB, disabling KHO$' "$LOG"
expect "kho_scratch_toobig: no scratch area announced" no_kmsg 0 'KHO: scratch [0-9]'
ktap_done
