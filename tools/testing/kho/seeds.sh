#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Dump the handover of a real kernel into corpus/real/, for mkseeds: boot
# the KHO test guest (tools/testing/selftests/kho) once with kho=on, a
# reserve_mem= region and test_kho, and keep what it hands over: out/fdt
# and every out/sub_fdts/ blob, as the guest prints them.
#
#   KHO_KERNEL=bzImage KHO_INITRD=initrd.cpio seeds.sh [OUT_DIR]
#
# The files are small and committed; run this again when the format changes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/corpus/real}
vm=$here/../selftests/kho/vm.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT

args="kho_test.case=kho_seeds kho_test.hop=0 kho_test.hops=0 kho=on"
args="$args reserve_mem=4M:4K:oops ramoops.mem_name=oops ramoops.console_size=65536"
"$vm" -k "$KHO_KERNEL" -i "$KHO_INITRD" -l "$log" -t 300 -m 512 -a "$args"
mkdir -p "$out"
n=0
while read -r _ name hex; do
	f=$out/${name##*/}
	printf '%s' "$hex" | perl -ne 'print pack("H*", $_)' >"$f"
	echo "seeds: $f ($(wc -c <"$f") bytes)"
	n=$((n + 1))
done < <(tr -d '\r' <"$log" | grep '^KHO-SEED: ')
[ $n -gt 0 ] || { echo "seeds: the guest printed no KHO-SEED line" >&2; exit 1; }
