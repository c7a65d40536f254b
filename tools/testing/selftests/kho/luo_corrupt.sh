#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every corrupted incoming LUO structure is refused without a panic, and
# costs only its owner. The kernel parameter luo_corrupt=
# (CONFIG_KEXEC_HANDOVER_DEBUG, kernel/liveupdate/luo_corrupt.c) damages the
# LUO handover a kernel was given, before LUO reads it. One guest run, a
# chain of kexecs (guest/cases/luo_corrupt.sh), liveupdate=on kho=on:
#  - hop 1 boots with luo_corrupt=sessions,number. Of the sessions hop 0
#    preserved, each "bad-<case>" is damaged as its name says: one case of
#    a session entry, a file entry or a memfd each. The good sessions
#    beside them come back intact (luo_kexec verify: sizes, positions,
#    contents); a lost session fails RETRIEVE_SESSION with ENOENT, a lost
#    file RETRIEVE_FD with ENOENT, a file whose handler is unknown with
#    EOPNOTSUPP, a bad memfd with EINVAL, twice; every session that is
#    left finishes, releasing the folios it still can. Only the count of
#    live updates is lost with liveupdate-number;
#  - hops 2 to 7 boot each with one case that costs every session: the
#    LUO FDT's magic and compatible, the luo-session node's compatible,
#    the session header's length, address and count. Every session is
#    gone (ENOENT), and the kernel hands over new ones;
#  - hop 8 boots with none: everything comes back.
# Each kernel logs the damage ("LUO: corrupt: <case>: ...") and the line
# LUO or the memfd handler refuses it with, exactly once, and no panic,
# oops or warning. What is lost stays reserved: KHO's accounting shows it
# unclaimed after the sessions are finished, while a sound handover is
# claimed in full.

. "$(dirname "$0")/lib.sh"
need_guest

GOOD="keep=64K,0,1/empty=/big=3M,12K"
# Errnos after ':' are for verify (luo_kexec); preserve ignores them.
BAD=(
	good-a=64K,1
	bad-dup:ENOENT=8K
	bad-name:ENOENT=8K
	bad-files-addr=8K:ENOENT,4K:ENOENT
	bad-files-count=8K:ENOENT,4K:ENOENT
	bad-compat=8K:ENOENT,12K
	bad-token=8K,4K:ENOENT
	bad-handler=8K:EOPNOTSUPP,4K
	bad-memfd-addr=8K:EINVAL,4K
	bad-memfd-size=8K:EINVAL
	bad-memfd-nr=8K:EINVAL
	bad-memfd-flags=64K:EINVAL
	bad-memfd-index=64K:EINVAL
	bad-memfd-pfn=64K:EINVAL
	bad-memfd-vmalloc=64K:EINVAL
	good-b=
	good-c=3M,12K
)
# The luo_corrupt= of hops 1, 2, ...
CASES=(sessions+number fdt compatible session-compatible header-length
       header-unpreserved header-count none)
HOPS=${#CASES[@]}

guest luo_corrupt luo_corrupt "$HOPS" \
	"kho=on liveupdate=on kho_test.luo_cases=$(IFS=,; echo "${CASES[*]}") kho_test.luo_good=$GOOD kho_test.luo_bad=$(IFS=/; echo "${BAD[*]}")" \
	-m 768 -t $((120 + 40 * HOPS))
expect "luo_corrupt: all $((HOPS + 1)) kernels reported ($HOPS kexecs)" \
	[ "$(hops_seen)" = $((HOPS + 1)) ]

H='0x[0-9a-f]+'
G=

# one_match HOP ERE: exactly one line of kernel HOP matches the ERE in full;
# its groups are then in BASH_REMATCH.
one_match() {
	local l n
	l=$(kmsg "$1" | grep -xE -- "$2")
	n=$(grep -c . <<<"$l")
	if [ "$n" != 1 ]; then
		diag "hop $1: $n lines match '$2', want 1; its LUO lines:"
		kmsg "$1" | grep -E '^LUO' | head -n 40 | sed "s/^/# hop $1: /"
		return 1
	fi
	[[ $l =~ ^$2$ ]]
}
# damaged HOP CASE WHAT: kernel HOP logged "LUO: corrupt: CASE: WHAT" (WHAT
# an ERE) exactly once; G is then its first group.
damaged() {
	G=
	one_match "$1" "LUO: corrupt: $2: $3" || return 1
	G=${BASH_REMATCH[1]:-}
}
# logged HOP N ERE: exactly N lines of kernel HOP match the ERE in full,
# where "@G" stands for G, what the last "damaged" found.
logged() {
	local re=${3//@G/$G} n
	n=$(kmsg "$1" | grep -cxE -- "$re")
	[ "$n" = "$2" ] && return 0
	diag "hop $1: $n lines match '$re', want $2"
	return 1
}
# entry NAME: the index of session NAME in BAD, its entry in the handover.
entry() {
	local i
	for i in "${!BAD[@]}"; do
		[ "${BAD[i]%%[:=]*}" = "$1" ] && { echo "$i"; return; }
	done
	echo "?"
}
# token NAME I: the token luo_kexec gives file I (from 0) of session NAME.
token() { echo $((1000 * ($2 + 1) + $(entry "$1"))); }
# in_after HOP KEY: KEY of KHO's in/preserved in hop HOP after verify.
in_after() {
	local w i
	read -ra w <<<"$(info in_preserved_after "$1")"
	for ((i = 0; i + 1 < ${#w[@]}; i += 2)); do
		[ "${w[i]}" = "$2" ] && { echo "${w[i + 1]}"; return; }
	done
	echo "?"
}
# unclaimed HOP some|none|N: after verify, hop HOP's in/preserved counts
# some unclaimed blocks, none, or exactly N.
unclaimed() {
	local u
	u=$(in_after "$1" unclaimed_blocks)
	if [[ $u =~ ^[0-9]+$ ]]; then
		case $2 in
		some) ((u > 0)) && return 0 ;;
		none) ((u == 0)) && return 0 ;;
		*) ((u == $2)) && return 0 ;;
		esac
	fi
	diag "hop $1: in/preserved after verify: $(info in_preserved_after "$1")"
	return 1
}

# ---- Hop 1: one damaged session per case, good ones beside them.
n="luo_corrupt: hop 1 (luo_corrupt=sessions,number)"
# session CASE WHAT ERE [N]: session bad-CASE was damaged as WHAT says
# and the kernel refused it with N (default 1) lines matching ERE.
session() {
	local s=bad-$1 e
	e=$(entry "$s")
	# The descriptions without the backslashes of the EREs.
	expect "$n: damaged session $s: 'LUO: corrupt: $1: session '$s' (entry $e): ${2//\\/}'" \
		damaged 1 "$1" "session '$s' \\(entry $e\\): $2"
	expect "$n: refused session $s with ${4:-1} line(s) '${3//\\/}'" logged 1 "${4:-1}" "$3"
}
T0() { token "bad-$1" 0; }
T1() { token "bad-$1" 1; }

session dup "renamed 'good-a', the name of entry $(($(entry bad-dup) - 1))" \
	"LUO: session 'good-a' appears twice: the second is lost"
session name "its 64 name bytes set to 'x', no NUL" \
	"LUO: session $(entry bad-name) has a bad name: it is lost"
session files-addr "file list moved from $H to ($H), not preserved" \
	"LUO: session 'bad-files-addr': its file list at @G is not preserved memory: its 2 files are lost"
session files-count "file count 2 -> 65, one more than its list's block of 4096 bytes holds" \
	"LUO: session 'bad-files-count': 65 files do not fit their list of 4096 bytes: its files are lost"
session compat "file 0 \\(token $(T0 compat)\\): its 48 compatible bytes set to 'x', no NUL" \
	"LUO: session 'bad-compat': file 0 has a bad type: lost"
session token "file 1: token $(T1 token) -> $(T0 token), the token of file 0" \
	"LUO: session 'bad-token': token $(T0 token) appears twice: the second file is lost"
# Once per RETRIEVE_FD, then once at FINISH.
session handler "file 0 \\(token $(T0 handler)\\): compatible 'memfd-v1' -> 'memfd-v0', which no handler has" \
	"LUO: no handler for file $(T0 handler) of type 'memfd-v0'" 2
expect "$n: FINISH of bad-handler says 'LUO: file $(T0 handler) of type 'memfd-v0' has no handler: its memory stays reserved'" \
	logged 1 1 "LUO: file $(T0 handler) of type 'memfd-v0' has no handler: its memory stays reserved"
session memfd-addr "file 0 \\(token $(T0 memfd-addr)\\): its memfd_luo_ser moved from $H to ($H), not preserved" \
	"LUO: memfd: @G: not a preserved block: memfd lost"
session memfd-size "file 0 \\(token $(T0 memfd-size)\\): memfd size 8192 -> 9223372036854775808, past MAX_LFS_FILESIZE" \
	"LUO: memfd: $H: size 9223372036854775808 or position 2730 out of range"
session memfd-nr "file 0 \\(token $(T0 memfd-nr)\\): memfd of 2 pages: nr_folios 2 -> 3" \
	"LUO: memfd: $H: 3 folios in a file of 2 pages"
session memfd-flags "file 0 \\(token $(T0 memfd-flags)\\): folio 0 flags 0x3 -> 0x7" \
	"LUO: memfd: $H: bad folio 0: flags 0x7, page 0 of 16"
session memfd-index "file 0 \\(token $(T0 memfd-index)\\): folio 1 index 1 -> 0, the index of folio 0" \
	"LUO: memfd: $H: bad folio 1: flags 0x3, page 0 of 16"
session memfd-pfn "file 0 \\(token $(T0 memfd-pfn)\\): folio 8 of 16: pfn $H -> ($H), not preserved" \
	"LUO: memfd: $H: folio 8 \\(pfn @G\\) was not preserved"
session memfd-vmalloc "file 0 \\(token $(T0 memfd-vmalloc)\\): the first chunk of its folio list moved from $H to $H, not preserved" \
	"LUO: memfd: $H: the list of its 16 folios cannot be restored"
expect "$n: logs 'LUO: corrupt: sessions: 14 of ${#BAD[@]} sessions damaged'" \
	logged 1 1 "LUO: corrupt: sessions: 14 of ${#BAD[@]} sessions damaged"
expect "$n: damaged liveupdate-number: 'LUO: corrupt: number: liveupdate-number of 8 bytes -> 4'" \
	damaged 1 number "liveupdate-number of 8 bytes -> 4"
expect "$n: logs 'LUO: the LUO subtree has no valid liveupdate-number: counting from 0'" \
	logged 1 1 "LUO: the LUO subtree has no valid liveupdate-number: counting from 0"
expect "$n: takes in the other sessions ('LUO: live update 0: took in the sessions of the previous kernel')" \
	logged 1 1 "LUO: live update 0: took in the sessions of the previous kernel"
expect "$n: $((${#BAD[@]} - 2)) sessions wait at late boot (all but the 2 lost)" \
	logged 1 1 "LUO: $((${#BAD[@]} - 2)) sessions from the previous kernel wait to be retrieved .*"
expect "$n: counts live updates from 0 again ('LUO: handing over 3 sessions (live update 1)')" \
	logged 1 1 "LUO: handing over 3 sessions \\(live update 1\\)"
# What each FINISH restored: of a memfd whose list was sound but named a
# page nobody preserved, the folios after it (those before it went with
# the failed retrieve); nothing of a file that was retrieved, of a file
# without its handler, or of a memfd whose struct, size or folio list was
# bad (a bad list may name what is not the file's: it stays reserved).
declare -A RELEASED=([bad-memfd-pfn]=7)
for s in "${BAD[@]}"; do
	s=${s%%[:=]*}
	case $s in bad-dup | bad-name) continue ;; esac
	expect "$n: FINISH of $s released ${RELEASED[$s]:-0} preserved blocks" \
		logged 1 1 "LUO_TEST: finish $s released ${RELEASED[$s]:-0} blocks"
done
# What stays reserved once every session that is left is finished: the
# blocks of what was lost, and nothing else. A file of N pages is N + 3
# blocks (its memfd_luo_ser, the chunk and the page of its folio list,
# N folios); a file list one block.
declare -A LOST=(
	[bad-dup]=$((1 + 5))		# its file list, its 2-page memfd
	[bad-name]=$((1 + 5))
	[bad-files-addr]=$((1 + 5 + 4))	# its list, at the old address
	[bad-files-count]=$((5 + 4))	# the list was read, and freed
	[bad-compat]=5			# file 0
	[bad-token]=4			# file 1, 1 page
	[bad-handler]=5			# file 0, which no handler releases
	[bad-memfd-addr]=5		# its struct was never found
	[bad-memfd-size]=$((2 + 2))	# all but its struct
	[bad-memfd-nr]=$((2 + 2))
	[bad-memfd-flags]=16		# its folios, named by a bad list
	[bad-memfd-index]=16
	[bad-memfd-pfn]=1		# the folio the list no longer names
	[bad-memfd-vmalloc]=$((2 + 16))	# the list and its folios
)
lost=0
for s in "${!LOST[@]}"; do lost=$((lost + LOST[$s])); done
expect "$n: what was lost stays reserved, and nothing else: $lost unclaimed blocks once every session is finished" \
	unclaimed 1 "$lost"

# ---- Hops 2 to HOPS - 1: each case costs every session.
declare -A WHAT WHY
WHAT[fdt]="the LUO FDT's magic 0xd00dfeed -> 0x2ff20112"
WHY[fdt]="the LUO subtree is not a valid FDT: no session restored"
WHAT[compatible]="the LUO FDT's compatible 'luo-v1' -> 'luo-v0'"
WHY[compatible]="the LUO subtree is not compatible with luo-v1: no session restored"
NODE="the LUO subtree has no valid luo-session node \\(luo-session-v2\\): no session restored"
WHAT[session-compatible]="the luo-session node's compatible 'luo-session-v2' -> 'luo-session-v0'"
WHY[session-compatible]=$NODE
WHAT[header-length]="luo-session-header of 8 bytes -> 4"
WHY[header-length]=$NODE
WHAT[header-unpreserved]="luo-session-header $H -> ($H), not preserved"
WHY[header-unpreserved]="the session header at @G is not preserved memory: no session restored"
# 3 sessions: 248 bytes, a block of 4096, room for 51.
WHAT[header-count]="session count 3 -> 52, one more than its block of 4096 bytes holds"
WHY[header-count]="52 sessions do not fit their header of 4096 bytes: no session restored"

for ((h = 2; h < HOPS; h++)); do
	c=${CASES[h - 1]}
	n="luo_corrupt: hop $h (luo_corrupt=$c)"
	if [ -z "${WHAT[$c]:-}" ]; then
		result fail "$n: the case has an expectation in luo_corrupt.sh"
		continue
	fi
	expect "$n: damaged it: 'LUO: corrupt: $c: ${WHAT[$c]}'" damaged $h "$c" "${WHAT[$c]}"
	expect "$n: refused every session: 'LUO: ${WHY[$c]}'" logged $h 1 "LUO: ${WHY[$c]}"
	expect "$n: takes in no session" \
		logged $h 0 "LUO: live update [0-9]+: took in the sessions of the previous kernel"
	expect "$n: no session waits at late boot" \
		logged $h 0 "LUO: [0-9]+ sessions from the previous kernel wait to be retrieved .*"
	expect "$n: the lost sessions stay reserved: unclaimed blocks after verify" \
		unclaimed $h some
	expect "$n: hands over new sessions ('LUO: handing over 3 sessions (live update <n>)')" \
		logged $h 1 "LUO: handing over 3 sessions \\(live update [0-9]+\\)"
done

# ---- The last hop: nothing damaged.
n="luo_corrupt: hop $HOPS (no luo_corrupt=)"
expect "$n: no 'LUO: corrupt:' line" logged $HOPS 0 "LUO: corrupt: .*"
expect "$n: takes in the sessions" \
	logged $HOPS 1 "LUO: live update [0-9]+: took in the sessions of the previous kernel"
expect "$n: 3 sessions wait at late boot" \
	logged $HOPS 1 "LUO: 3 sessions from the previous kernel wait to be retrieved .*"
expect "$n: a sound handover is claimed in full: no unclaimed block once its sessions are finished" \
	unclaimed $HOPS none

# ---- Every hop.
for ((h = 1; h <= HOPS; h++)); do
	expect "luo_corrupt: hop $h logs KHO's accounting of the preserved memory, blocks = restored + unclaimed" \
		account_ok $h
	expect "luo_corrupt: hop $h drops no session of the previous kernel" \
		logged $h 0 "LUO: session .* dropped at this kexec.*"
done
expect "luo_corrupt: hop 0 hands over ${#BAD[@]} sessions" \
	logged 0 1 "LUO: handing over ${#BAD[@]} sessions \\(live update 1\\)"
ktap_done
