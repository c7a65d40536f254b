# SPDX-License-Identifier: GPL-2.0
# Memory preservation (kho=on test_kho.max_mem=SIZE on every hop): test_kho
# preserves folios for the next kernel and checks those of the previous one,
# both in the kernel; the host reads its log lines. Here each hop checks its
# scratch areas and, after a kexec, the accounting of the memory it received
# in in/preserved. Used by kho_mem.sh, kho_mem_chain.sh, kho_mem_deferred.sh
# and kho_numa.sh. Reported for the host:
#   info scratch_phys, scratch_len  out/scratch_*, one word per area
#   info in_preserved               in/preserved as "KEY N" pairs on one line
#                                   (KHO boots; "missing" without the file)
# kho_test.nodes=N on the command line: the guest has N NUMA nodes (QEMU
# -numa), so the kernel has memory on nodes 0..N-1 and 2 + N scratch areas.

IN_KEYS="blocks bytes restored_blocks restored_bytes unclaimed_blocks unclaimed_bytes"

# preserved_form FILE: each key of IN_KEYS is on exactly one line "KEY N" of
# FILE, N decimal.
preserved_form() {
	local k
	for k in $IN_KEYS; do
		[ "$(grep -c "^$k " "$1")" = 1 ] || return 1
		grep -qxE "$k (0|[1-9][0-9]*)" "$1" || return 1
	done
}

# nodes_with_memory: the nodes the kernel has memory on, as a node list.
nodes_with_memory() { cat /sys/devices/system/node/has_memory 2>/dev/null; }

hop_checks()
{
	local nodes want f="$KHO/in/preserved"

	if nodes=$(arg kho_test.nodes); then
		want=0
		[ "$nodes" = 1 ] || want=0-$((nodes - 1))
		echo "/sys/devices/system/node/has_memory: $(nodes_with_memory)"
		check "hop $HOP: the kernel has memory on NUMA nodes $want (/sys/devices/system/node/has_memory)" \
			[ "$(nodes_with_memory)" = "$want" ]
	else
		nodes=1
	fi
	kho_dir || return 0
	check_scratch "$nodes"
	if [ "$HOP" = 0 ]; then
		check "hop 0: no $f on a cold boot" [ ! -e "$f" ]
		return 0
	fi
	if ! kho_file in/preserved; then
		info in_preserved missing
		return 0
	fi
	sed 's|^|in/preserved: |' "$f"
	check "hop $HOP: in/preserved has one line 'KEY N' (N decimal) for each of: $IN_KEYS" \
		preserved_form "$f"
	info in_preserved "$(tr '\n' ' ' <"$f" | sed 's/ *$//')"
}
