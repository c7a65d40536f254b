#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Export the series for use on another 6.12 tree:
#   build/series/kho-6.12.patch   the whole series as one patch (git apply / patch -p1)
#   build/series/NNNN-*.patch      the hook patches of patches/, in order,
#                                  then one patch that adds the new files
. "$(dirname "$0")/lib.sh"

bash "$TOP/harness/assemble.sh"
out=$BUILD/series
rm -rf "$out"
mkdir -p "$out"

git -C "$SRC" diff base >"$out/kho-6.12.patch"
n=0
if [ -f "$TOP/patches/series" ]; then
	while read -r p _; do
		case $p in ''|'#'*) continue ;; esac
		n=$((n + 1))
		cp "$TOP/patches/$p" "$out/$(printf '%04d' $n)-${p#[0-9][0-9][0-9][0-9]-}"
	done <"$TOP/patches/series"
fi
n=$((n + 1))
new=$(cd "$SRC" && git diff --name-only --diff-filter=A base)
(cd "$SRC" && git diff base -- $new) >"$out/$(printf '%04d' $n)-kho-new-files.patch"
say "series: $out ($(ls "$out" | wc -l) files; base $(sed -n 's/^kernel=//p' "$BUILD/base-version"))"
