#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Refresh a hook patch from edits made in build/src:
#   harness/mkpatch.sh patches/NNNN-name.patch [FILE...]
# The patch becomes the difference, for FILE... (default: the files it
# already touches), between the tree as the patches before it in
# patches/series leave it and build/src now. Its message (everything
# before the first "---" line) is kept; a new patch gets a placeholder
# message to edit and is appended to patches/series.
. "$(dirname "$0")/lib.sh"

patch=${1:?usage: mkpatch.sh patches/NNNN-name.patch [FILE...]}
shift
files=("$@")
name=$(basename "$patch")
[ -d "$SRC/.git" ] || die "no build/src: run 'make tree' first"
if [ ${#files[@]} = 0 ]; then
	[ -f "$patch" ] || die "$patch does not exist: name the files it touches"
	mapfile -t files < <(sed -n 's|^+++ b/||p' "$patch")
fi

tmp=$(mktemp -d /tmp/kho-mkpatch.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
if [ -f "$patch" ]; then
	awk '/^---$/ { exit } { print }' "$patch" >"$tmp/msg"
else
	printf 'From: KHO team <kho@example.org>\nSubject: [PATCH] %s\n\nTODO: why.\n' \
		"${name#[0-9][0-9][0-9][0-9]-}" >"$tmp/msg"
	echo "$name" >>"$TOP/patches/series"
fi

# build/src holds the whole series: a later patch's changes to the same
# file would be swept into this one.
after=0
while read -r p _; do
	case $p in ''|'#'*) continue ;; esac
	if [ "$p" = "$name" ]; then after=1; continue; fi
	[ $after = 1 ] || continue
	for f in "${files[@]}"; do
		grep -qx -e "+++ b/$f" "$TOP/patches/$p" &&
			die "$p, later in the series, also changes $f: edit $name by hand"
	done
done <"$TOP/patches/series"

# The files as the earlier patches of the series leave them.
mkdir -p "$tmp/before"
includes=()
for f in "${files[@]}"; do
	includes+=(--include="$f")
	if git -C "$SRC" cat-file -e "base:$f" 2>/dev/null; then
		mkdir -p "$tmp/before/$(dirname "$f")"
		git -C "$SRC" show "base:$f" >"$tmp/before/$f"
	fi
done
while read -r p _; do
	case $p in ''|'#'*) continue ;; esac
	[ "$p" = "$name" ] && break
	(cd "$tmp/before" && GIT_CEILING_DIRECTORIES=/ git apply "${includes[@]}" \
		"$TOP/patches/$p") || die "patch $p does not apply"
done <"$TOP/patches/series"

: >"$tmp/diff"
for f in "${files[@]}"; do
	old=$tmp/before/$f
	[ -f "$old" ] || old=/dev/null
	if ! cmp -s "$old" "$SRC/$f"; then
		printf 'diff --git a/%s b/%s\n' "$f" "$f" >>"$tmp/diff"
		[ "$old" = /dev/null ] && echo "new file mode 100644" >>"$tmp/diff"
		diff -u --label "$([ "$old" = /dev/null ] && echo /dev/null || echo "a/$f")" \
			--label "b/$f" "$old" "$SRC/$f" >>"$tmp/diff" || true
	fi
done
[ -s "$tmp/diff" ] || die "no change to ${files[*]} in build/src"
{
	cat "$tmp/msg"
	echo "---"
	(cd "$tmp" && GIT_CEILING_DIRECTORIES=/ git apply --stat diff)
	echo
	cat "$tmp/diff"
} >"$patch"
say "mkpatch: $patch (${#files[@]} files)"
