#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the test guest's initramfs from Debian packages only:
#   harness/initramfs.sh BZIMAGE OUT.cpio
# busybox-static, the unmodified kexec of kexec-tools and dtc of
# device-tree-compiler (with the shared libraries they need), the guest side of
# tools/testing/selftests/kho/ and BZIMAGE itself as /boot/bzImage, so that the
# guest can kexec the very kernel it runs.
. "$(dirname "$0")/lib.sh"

kernel=${1:?usage: initramfs.sh BZIMAGE OUT.cpio}
out=${2:?usage: initramfs.sh BZIMAGE OUT.cpio}
need busybox busybox-static
need kexec kexec-tools
need dtc device-tree-compiler
need cpio cpio
# A dynamic busybox (Debian's "busybox" package) would need its libc too.
ldd "$(command -v busybox)" >/dev/null 2>&1 && apt_install busybox-static
ldd "$(command -v busybox)" >/dev/null 2>&1 &&
	die "busybox is not static; tried: apt-get install -y busybox-static"

guest=$TOP/tools/testing/selftests/kho/guest
root=$(mktemp -d "$BUILD/initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,boot,etc,lib,lib64,cases}

cp "$(command -v busybox)" "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done

# copy_bin PATH: a dynamic binary and every library ldd names for it.
copy_bin() {
	local bin=$1 lib
	cp "$bin" "$root/usr/sbin/"
	for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}
copy_bin "$(command -v kexec)"
copy_bin "$(command -v dtc)"

# The LUO test programs, static, against the series' uAPI header.
need gcc gcc
need_file /usr/lib/x86_64-linux-gnu/libc.a libc6-dev
luo=$SRC/tools/testing/selftests/liveupdate
mkdir -p "$root/hdr/linux"
cp "$SRC/include/uapi/linux/liveupdate.h" "$root/hdr/linux/"
for prog in liveupdate_test luo_kexec; do
	gcc -Wall -O2 -static -isystem "$root/hdr" -o "$root/usr/bin/$prog" \
		"$luo/$prog.c" || die "initramfs: $prog does not build"
done
rm -rf "$root/hdr"

cp "$guest/init" "$root/init"
chmod 755 "$root/init"
cp "$guest"/cases/*.sh "$root/cases/"
cp "$kernel" "$root/boot/bzImage"

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$out.tmp"
mv "$out.tmp" "$out"
say "initramfs: $out ($(du -h "$out" | cut -f1))"
