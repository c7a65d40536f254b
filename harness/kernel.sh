#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Configure and build one kernel variant out of tree:
#   harness/kernel.sh [VARIANT]    ->  build/obj/VARIANT/arch/x86/boot/bzImage
# The config is tinyconfig + tools/testing/selftests/kho/config
# + harness/configs/VARIANT.config (if any). It is regenerated only when a
# fragment changed, so a rebuild after a one-line edit is incremental.
. "$(dirname "$0")/lib.sh"

variant=${1:-test}
obj=$BUILD/obj/$variant
frags=("$TOP/tools/testing/selftests/kho/config")
[ -f "$TOP/harness/configs/$variant.config" ] && frags+=("$TOP/harness/configs/$variant.config")
[ "$variant" = test ] || [ -f "$TOP/harness/configs/$variant.config" ] ||
	die "kernel: no such variant '$variant' (see harness/configs/)"

bash "$TOP/harness/assemble.sh"
mkdir -p "$obj"
kmake() { make -s -C "$SRC" O="$obj" ARCH=x86_64 "$@"; }

sum=$(cat "${frags[@]}" | sha256sum | cut -d' ' -f1)
if [ ! -f "$obj/.config" ] || [ "$(cat "$obj/.kho-config" 2>/dev/null)" != "$sum" ]; then
	say "kernel[$variant]: configuring (tinyconfig + ${frags[*]##*/})"
	kmake tinyconfig >/dev/null
	(cd "$obj" && "$SRC/scripts/kconfig/merge_config.sh" -m -O "$obj" \
		"$obj/.config" "${frags[@]}" >/dev/null)
	kmake olddefconfig >/dev/null
	# Every option the fragments ask for (the last one that names an option
	# wins, as in merge_config.sh) must have landed.
	miss=0
	while IFS='=' read -r opt val; do
		if [ "$val" = n ]; then
			grep -q "^$opt=" "$obj/.config" && { say "kernel[$variant]: $opt still set"; miss=1; }
		else
			grep -qx "$opt=$val" "$obj/.config" ||
				{ say "kernel[$variant]: $opt=$val did not take (dependency missing?)"; miss=1; }
		fi
	done < <(sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(.*\)$/\1=\2/p' \
			-e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1=n/p' "${frags[@]}" |
		awk -F= '{ v[$1] = $0; if (!($1 in o)) { o[$1] = n++; k[n - 1] = $1 } }
			 END { for (i = 0; i < n; i++) print v[k[i]] }')
	[ $miss = 0 ] || die "kernel[$variant]: config fragments not satisfied"
	echo "$sum" >"$obj/.kho-config"
fi

say "kernel[$variant]: building in $obj"
start=$(date +%s)
kmake -j"$JOBS" ${W:+W=$W} bzImage
say "kernel[$variant]: built in $(( $(date +%s) - start ))s: $obj/arch/x86/boot/bzImage ($(make -s -C "$SRC" O="$obj" kernelrelease 2>/dev/null))"
