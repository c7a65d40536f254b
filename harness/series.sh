#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Export the series for use on another 6.12 tree:
#   build/series/kho-6.12.patch   the whole series as one patch (git apply / patch -p1)
#   build/series/NNNN-*.patch      one patch that adds the new files, then
#                                  the hook patches of patches/, in order
. "$(dirname "$0")/lib.sh"

bash "$TOP/harness/assemble.sh"
out=$BUILD/series
rm -rf "$out"
mkdir -p "$out"

git -C "$SRC" diff base >"$out/kho-6.12.patch"
# The new files first: nothing builds them until the hooks wire them in,
# so every prefix of the series builds (bisectable).
new=$(cd "$SRC" && git diff --name-only --diff-filter=A base)
{
	printf 'From: KHO team <kho@example.org>\nSubject: [PATCH] kho: add kexec handover\n\n'
	printf 'The KHO subsystem, its ABI header, docs, test module and selftests.\n'
	printf 'Nothing builds it until the following patches wire it in.\n\n'
	printf 'Signed-off-by: KHO team <kho@example.org>\n---\n'
	(cd "$SRC" && git diff base -- $new)
} >"$out/0001-kho-add-kexec-handover.patch"
n=1
if [ -f "$TOP/patches/series" ]; then
	while read -r p _; do
		case $p in ''|'#'*) continue ;; esac
		n=$((n + 1))
		cp "$TOP/patches/$p" "$out/$(printf '%04d' $n)-${p#[0-9][0-9][0-9][0-9]-}"
	done <"$TOP/patches/series"
fi
say "series: $out ($(ls "$out" | wc -l) files; base $(sed -n 's/^kernel=//p' "$BUILD/base-version"))"
