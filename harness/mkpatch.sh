#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Refresh a hook patch from edits made in build/src:
#   harness/mkpatch.sh patches/NNNN-name.patch [FILE...]
# The diff against the pristine base of FILE... (default: the files the
# patch already touches) replaces the patch's diff; its message (everything
# before the first "---" line) is kept. A new patch gets a placeholder
# message to edit, and is appended to patches/series.
. "$(dirname "$0")/lib.sh"

patch=${1:?usage: mkpatch.sh patches/NNNN-name.patch [FILE...]}
shift
files=("$@")
[ -d "$SRC/.git" ] || die "no build/src: run 'make tree' first"
if [ ${#files[@]} = 0 ]; then
	[ -f "$patch" ] || die "$patch does not exist: name the files it touches"
	mapfile -t files < <(sed -n 's|^+++ b/||p' "$patch")
fi

msg=$(mktemp)
trap 'rm -f "$msg"' EXIT
if [ -f "$patch" ]; then
	awk '/^---$/ { exit } { print }' "$patch" >"$msg"
else
	name=$(basename "$patch" .patch)
	printf 'From: KHO team <kho@example.org>\nSubject: [PATCH] %s\n\nTODO: why.\n' \
		"${name#[0-9][0-9][0-9][0-9]-}" >"$msg"
	echo "$(basename "$patch")" >>"$TOP/patches/series"
fi

diff=$(git -C "$SRC" diff base -- "${files[@]}")
[ -n "$diff" ] || die "no change to ${files[*]} in build/src"
{
	cat "$msg"
	echo "---"
	git -C "$SRC" diff --stat=72 base -- "${files[@]}"
	echo
	printf '%s\n' "$diff"
} >"$patch"
say "mkpatch: $patch (${#files[@]} files)"
