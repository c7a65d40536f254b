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
# A variant a few options away from another ("# kho-seed: VARIANT" in its
# fragment) starts from a copy of that one's objects: kbuild then rebuilds
# only what depends on the options that differ.
seed=$(sed -n 's/^# kho-seed: *//p' "${frags[@]:1}" 2>/dev/null | head -1)
if [ -n "$seed" ] && [ ! -f "$obj/.config" ] && [ -f "$BUILD/obj/$seed/vmlinux" ]; then
	say "kernel[$variant]: starting from the objects of $seed"
	rm -rf "$obj"
	cp -a "$BUILD/obj/$seed" "$obj"
	rm -f "$obj/.kho-config"
	# objtool's build records its own absolute paths: left as they are, it
	# is rebuilt, and every object after it.
	grep -rlZ "$BUILD/obj/$seed/" --include='.*.cmd' --include='*.d' "$obj" |
		xargs -0 -r sed -i "s|$BUILD/obj/$seed/|$obj/|g"
	# The seed's warnings are its own: kept, as its objects are.
fi
mkdir -p "$obj"
kmake() { make -s -C "$SRC" O="$obj" ARCH=x86_64 "$@"; }

# frags_ok [QUIET]: every option the fragments ask for (the last one that
# names an option wins, as in merge_config.sh) is in .config as asked.
frags_ok() {
	local opt val miss=0
	while IFS='=' read -r opt val; do
		if [ "$val" = n ]; then
			grep -q "^$opt=" "$obj/.config" || continue
			[ -n "${1:-}" ] || say "kernel[$variant]: $opt still set"
		else
			grep -qx "$opt=$val" "$obj/.config" && continue
			[ -n "${1:-}" ] || say "kernel[$variant]: $opt=$val did not take (dependency missing?)"
		fi
		miss=1
	done < <(sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(.*\)$/\1=\2/p' \
			-e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1=n/p' "${frags[@]}" |
		awk -F= '{ v[$1] = $0; if (!($1 in o)) { o[$1] = n++; k[n - 1] = $1 } }
			 END { for (i = 0; i < n; i++) print v[k[i]] }')
	return $miss
}

sum=$(cat "${frags[@]}" | sha256sum | cut -d' ' -f1)
# Reconfigured when a fragment changed, and also when .config drifted from
# the fragments (kbuild re-syncs .config against the Kconfig files it
# finds, e.g. while the source tree was being re-assembled).
if [ ! -f "$obj/.config" ] || [ "$(cat "$obj/.kho-config" 2>/dev/null)" != "$sum" ] ||
   ! frags_ok quiet; then
	say "kernel[$variant]: configuring (tinyconfig + ${frags[*]##*/})"
	kmake tinyconfig >/dev/null
	(cd "$obj" && "$SRC/scripts/kconfig/merge_config.sh" -m -O "$obj" \
		"$obj/.config" "${frags[@]}" >/dev/null)
	kmake olddefconfig >/dev/null
	frags_ok || die "kernel[$variant]: config fragments not satisfied"
	echo "$sum" >"$obj/.kho-config"
fi

say "kernel[$variant]: building in $obj"
start=$(date +%s)
# Compiler messages also go to .kho-warnings, kept across builds of this
# tree: a no-op rebuild must not hide the warnings of the build before
# (harness/matrix.sh reads it).
kmake -j"$JOBS" ${W:+W=$W} bzImage 2> >(tee -a "$obj/.kho-warnings" >&2)
# kbuild may have re-synced .config during the build: a kernel without the
# options asked for must not pass for this variant.
frags_ok || { rm -f "$obj/.kho-config"; die "kernel[$variant]: .config lost fragment options during the build"; }
say "kernel[$variant]: built in $(( $(date +%s) - start ))s: $obj/arch/x86/boot/bzImage ($(make -s -C "$SRC" O="$obj" kernelrelease 2>/dev/null))"
