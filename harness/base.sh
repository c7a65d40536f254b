#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Unpack Debian's linux-source-6.12 into build/src as a git repo whose first
# commit (tag "base") is the pristine tree. Idempotent: a tree that is already
# there for the same source package is left alone.
. "$(dirname "$0")/lib.sh"

need_build_tools
need_file "$BASE_TAR" "$BASE_PKG"

pkgver=$(dpkg-query -W -f='${Version}' "$BASE_PKG" 2>/dev/null || echo unknown)
stamp=$BUILD/base-version
if [ -d "$SRC/.git" ] && [ -f "$stamp" ] && grep -qx "package=$pkgver" "$stamp"; then
	exit 0
fi

if [ -d "$SRC" ]; then
	say "base: $BASE_PKG is now $pkgver; unpacking it afresh"
	rm -rf "$SRC" "$BUILD"/obj
fi
mkdir -p "$BUILD"
tmp=$BUILD/src.unpack
rm -rf "$tmp"
mkdir -p "$tmp"
say "base: unpacking $BASE_TAR ($BASE_PKG $pkgver)"
tar -xf "$BASE_TAR" -C "$tmp"
top=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -n 1)
[ -f "$top/Makefile" ] || die "base: $BASE_TAR holds no kernel tree"
kver=$(make -s -C "$top" kernelversion)
case $kver in
6.12|6.12.*) ;;
*) die "base: $BASE_TAR is Linux $kver, not 6.12.y" ;;
esac

git -C "$top" init -q -b kho
git -C "$top" add -f -A .
git -C "$top" -c user.name="KHO harness" -c user.email=kho@localhost \
	commit -q -m "Linux $kver ($BASE_PKG $pkgver), pristine"
git -C "$top" tag base
mv "$top" "$SRC"
rmdir "$tmp"
printf 'kernel=%s\npackage=%s\n' "$kver" "$pkgver" >"$stamp"
say "base: Linux $kver from $BASE_PKG $pkgver in $SRC"
