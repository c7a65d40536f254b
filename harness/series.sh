#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The series as it is posted (patches/series.txt):
#   build/series/0000-cover-letter.patch, NNNN-*.patch   git format-patch
#                                  files, to apply in order to a 6.12 tree
#   build/series/kho-6.12.patch    the whole series as one patch
#   build/series/tree              a git work tree of build/src with the
#                                  series as commits on top of "base"
. "$(dirname "$0")/lib.sh"

need python3 python3
bash "$TOP/harness/assemble.sh"
out=$BUILD/series
mkdir -p "$out"
rm -f "$out"/*.patch
python3 "$TOP/harness/series.py" "$TOP" "$SRC" "$out" || die "series: failed"
git -C "$SRC" diff base >"$out/kho-6.12.patch"
say "series: $out ($(ls "$out"/[0-9]*.patch | wc -l) files; base $(sed -n 's/^kernel=//p' "$BUILD/base-version"))"
