#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The layers of harness/layers.txt hold, as KTAP: each unit includes only
# headers of its own or lower layers' units, and its objects (of the test
# kernel, which builds every KHO option) reference only symbols that it or
# a lower layer defines. Also: no file of kernel/liveupdate/ or
# include/linux/kho/ is left out of the table.
. "$(dirname "$0")/lib.sh"

table=$TOP/harness/layers.txt
obj=${KHO_LAYERS_OBJ:-$BUILD/obj/test}
[ -f "$obj/vmlinux" ] || die "layers: no test kernel in $obj (make kernel)"

declare -A layer_of unit_of
units=()
while read -r l u files; do
	case $l in ''|'#'*) continue ;; esac
	units+=("$u")
	layer_of[$u]=$l
	for f in $files; do
		[ -f "$TOP/$f" ] || die "layers: $f of unit $u does not exist"
		unit_of[$f]=$u
	done
done <"$table"

# Defined symbols of each unit's objects.
declare -A def_by
for f in "${!unit_of[@]}"; do
	[ "${f%.c}" != "$f" ] || continue
	o=$obj/${f%.c}.o
	[ -f "$o" ] || die "layers: $o not built"
	while read -r s; do
		def_by[$s]=${unit_of[$f]}
	done < <(nm --defined-only "$o" | awk '$2 ~ /^[TDBRW]$/ { print $3 }')
done

echo "KTAP version 1"
echo "1..$(( ${#units[@]} + 1 ))"
n=0 fail=0
for u in "${units[@]}"; do
	n=$((n + 1))
	bad=()
	for f in "${!unit_of[@]}"; do
		[ "${unit_of[$f]}" = "$u" ] || continue
		# Local includes, by name in the file's directory.
		while read -r h; do
			hf=$(realpath -m --relative-to="$TOP" "$TOP/$(dirname "$f")/$h")
			hu=${unit_of[$hf]:-}
			# A header of the base tree (../../mm/internal.h).
			[ -n "$hu" ] || [ -f "$TOP/$hf" ] || continue
			if [ -z "$hu" ]; then
				bad+=("$f includes $h, in no layer")
			elif [ "$hu" != "$u" ] && [ "${layer_of[$hu]}" -ge "${layer_of[$u]}" ]; then
				bad+=("$f includes $h of $hu (layer ${layer_of[$hu]})")
			fi
		done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$TOP/$f")
		# Our public and ABI headers are the lowest layer: any unit may
		# include them; what counts is whom its code calls.
		[ "${f%.c}" != "$f" ] || continue
		while read -r s; do
			du=${def_by[$s]:-}
			[ -n "$du" ] && [ "$du" != "$u" ] || continue
			[ "${layer_of[$du]}" -lt "${layer_of[$u]}" ] ||
				bad+=("$f uses $s of $du (layer ${layer_of[$du]})")
		done < <(nm --undefined-only "$obj/${f%.c}.o" | awk '{ print $2 }')
	done
	if [ ${#bad[@]} = 0 ]; then
		echo "ok $n layer ${layer_of[$u]} $u uses only lower layers"
	else
		fail=1
		printf '# %s\n' "${bad[@]}"
		echo "not ok $n layer ${layer_of[$u]} $u uses its own layer or above"
	fi
done

n=$((n + 1))
missing=()
while read -r f; do
	[ -n "${unit_of[$f]:-}" ] || missing+=("$f")
done < <(cd "$TOP" && git ls-files kernel/liveupdate include/linux/kho lib/test_kho.c |
	grep -E '\.[ch]$')
if [ ${#missing[@]} = 0 ]; then
	echo "ok $n every file of kernel/liveupdate/ and include/linux/kho/ is in a layer"
else
	fail=1
	printf '# not in harness/layers.txt: %s\n' "${missing[@]}"
	echo "not ok $n files in no layer"
fi
exit $fail
