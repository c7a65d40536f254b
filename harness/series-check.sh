#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Check the series patch by patch, as KTAP (one result per patch):
#   harness/series-check.sh            make series-check: the full check
#   harness/series-check.sh --quick    make check: the short form
#
# Each prefix of the series is checked out in the work tree that
# harness/series.py made (build/series/tree: the pristine base and the
# series as commits), which is left at the last patch. For every patch:
# checkpatch --strict on the patch (0 findings but the types its entry in
# patches/series.txt ignores, with a reason) and kernel-doc -Wall on the C
# files it touches (no warning the file did not have before the patch).
# Then:
#
#   full     the test kernel (tinyconfig + tools/testing/selftests/kho/config,
#            in build/obj/series) is built incrementally at each prefix,
#            without a compiler warning; a patch that applies hook patches
#            is also built with KEXEC_HANDOVER=n (build/obj/series-nokho).
#            At the end the kernel of the whole series boots and kexecs
#            once with a handover (kho_kexec.sh). SERIES_BUILD="N M..."
#            builds only those patches.
#   --quick  checkpatch and kernel-doc for every patch; at the prefix of
#            the handover core only, the kernel C files of that patch that
#            the test kernel builds are compiled (kbuild single-object
#            targets: no link), without a warning. The whole series is the
#            assembled tree, which the other suites of make check build
#            (with and without KHO) and boot.
. "$(dirname "$0")/lib.sh"

quick=0
[ "${1:-}" = --quick ] && quick=1

need perl perl
need python3 python3
# checkpatch checks SPDX lines with scripts/spdxcheck.py, which needs ply.
need_file /usr/lib/python3/dist-packages/ply/__init__.py python3-ply
bash "$TOP/harness/series.sh" >&2
out=$BUILD/series
tree=$out/tree
check=$tree
mapfile -t commits < <(git -C "$tree" rev-list --reverse base..HEAD)
mapfile -t files < <(ls "$out"/[0-9]*.patch | grep -v '/0000-')
n=${#commits[@]}
[ "$n" = "${#files[@]}" ] || die "series-check: $n commits but ${#files[@]} patch files"

# What each patch ignores of checkpatch, and whether it applies hooks.
mapfile -t ignores < <(awk '/^== / { if (n++) print ign; ign = "" }
	/^checkpatch-ignore:/ { sub(/^checkpatch-ignore: */, ""); sub(/ --.*/, ""); ign = $0 }
	END { print ign }' "$TOP/patches/series.txt")
mapfile -t hooked < <(awk '/^== / { if (n++) print h; h = 0 } /^hooks:/ { h = 1 }
	END { print h }' "$TOP/patches/series.txt")

if [ $quick = 1 ]; then
	sample=" $(awk '/^== / { n++ } /^files:.*kexec_handover\.c/ { print n }' \
		"$TOP/patches/series.txt") "
	# What the test kernel compiles: the objects its build made.
	bash "$TOP/harness/kernel.sh" test >&2
elif [ -n "${SERIES_BUILD:-}" ]; then
	sample=" $SERIES_BUILD "
else
	sample=" $(seq -s ' ' 1 "$n") "
fi

frag=$TOP/tools/testing/selftests/kho/config
nokho_frag=$(mktemp /tmp/kho-nokho.XXXXXX)
logs=$BUILD/logs/series-check
mkdir -p "$logs"
trap 'rm -f "$nokho_frag"' EXIT
{
	cat "$frag"
	echo "# CONFIG_KEXEC_HANDOVER is not set"
	echo "# CONFIG_LIVEUPDATE is not set"
	echo "# CONFIG_LIVEUPDATE_MEMFD is not set"
} >"$nokho_frag"

# build OBJ FRAGMENT LOG [C FILE...]: configure the checked-out prefix and
# build its kernel, or (--quick) compile the C files given.
build() {
	local obj=$1 fr=$2 log=$3 f objs=()
	shift 3
	mkdir -p "$obj"
	[ -f "$obj/.config" ] || make -s -C "$check" O="$obj" ARCH=x86_64 tinyconfig >/dev/null
	(cd "$obj" && "$check/scripts/kconfig/merge_config.sh" -m -O "$obj" \
		"$obj/.config" "$fr" >/dev/null 2>&1) &&
	make -s -C "$check" O="$obj" ARCH=x86_64 olddefconfig >/dev/null 2>&1 || return 1
	if [ $quick = 0 ]; then
		make -s -C "$check" O="$obj" ARCH=x86_64 -j"$JOBS" bzImage >"$log" 2>&1 || return 1
	else
		for f; do
			objs+=("${f%.c}.o")
		done
		make -s -C "$check" O="$obj" ARCH=x86_64 -j"$JOBS" prepare >"$log" 2>&1 &&
		make -s -C "$check" O="$obj" ARCH=x86_64 -j"$JOBS" "${objs[@]}" >>"$log" 2>&1 ||
			return 1
	fi
	! grep -q 'warning:' "$log"
}

# kdoc_warnings COMMIT FILE: kernel-doc -Wall warnings of FILE at COMMIT.
kdoc_warnings() {
	local tmp
	git -C "$tree" cat-file -e "$1:$2" 2>/dev/null || { echo 0; return; }
	tmp=$(mktemp --suffix=."${2##*.}")
	git -C "$tree" show "$1:$2" >"$tmp"
	"$check/scripts/kernel-doc" -none -Wall "$tmp" 2>&1 | grep -c 'warning' || true
	rm -f "$tmp"
}

echo "KTAP version 1"
echo "1..$((n + 2))"
fail=0
for i in $(seq 1 "$n"); do
	c=${commits[$((i - 1))]}
	p=${files[$((i - 1))]}
	name=$(basename "$p" .patch)
	prev=base
	[ "$i" -gt 1 ] && prev=${commits[$((i - 2))]}
	bad=() notes=()

	ign=${ignores[$((i - 1))]}
	# "Does MAINTAINERS need updating?" comes for every patch that adds a
	# file before the MAINTAINERS patch: the last result checks instead
	# that every new file has its maintainers.
	cp_out=$(cd "$check" && ./scripts/checkpatch.pl --strict -q \
		--ignore "FILE_PATH_CHANGES${ign:+,$(echo "$ign" | tr ' ' ',')}" \
		"$p" 2>&1) || true
	rm -f "$check"/.checkpatch-camelcase.git.*
	cpn=$(grep -cE '^(ERROR|WARNING|CHECK):' <<<"$cp_out" || true)
	[ "$cpn" = 0 ] || { bad+=("checkpatch: $cpn"); grep -E '^(ERROR|WARNING|CHECK):|^#' <<<"$cp_out" | head -20 | sed 's/^/# /'; }
	notes+=("checkpatch 0${ign:+ (ignoring $(wc -w <<<"$ign") types)}")

	kd=0
	while read -r f; do
		case $f in *.c|*.h) ;; *) continue ;; esac
		before=$(kdoc_warnings "$prev" "$f")
		after=$(kdoc_warnings "$c" "$f")
		if [ "$after" -gt "$before" ]; then
			kd=$((kd + after - before))
			echo "# kernel-doc: $f: $before -> $after warnings"
		fi
	done < <(git -C "$tree" diff --name-only "$prev" "$c")
	[ $kd = 0 ] || bad+=("kernel-doc: $kd new warnings")
	notes+=("kernel-doc 0 new")

	# The kernel C files the patch touches (--quick compiles them).
	# Without KHO, only the files that exist in the base (the hooks) build.
	# --quick compiles only what the test kernel builds, and not the
	# decompressor (arch/x86/boot/), which needs the kernel's link.
	cfiles=() hookc=()
	while read -r st f; do
		case $f in
		tools/*|scripts/*|Documentation/*) continue ;;
		arch/x86/boot/*) [ $quick = 1 ] && continue ;;
		*.c) ;;
		*) continue ;;
		esac
		[ $quick = 1 ] && [ ! -f "$BUILD/obj/test/${f%.c}.o" ] && continue
		cfiles+=("$f")
		[ "$st" = M ] && hookc+=("$f")
	done < <(git -C "$tree" diff --name-status --diff-filter=AM "$prev" "$c")
	built=built
	[ $quick = 1 ] && built="${#cfiles[@]} C files compiled"
	case $sample in
	*" $i "*)
		git -C "$check" checkout -q -f --detach "$c"
		start=$(date +%s)
		if [ $quick = 1 ] && [ ${#cfiles[@]} = 0 ]; then
			notes+=("no kernel C file to compile")
		elif build "$BUILD/obj/series" "$frag" "$logs/$name.log" "${cfiles[@]}"; then
			notes+=("$built in $(( $(date +%s) - start ))s")
		else
			bad+=("build failed or warned: $logs/$name.log")
			grep -E 'warning:|error:' "$logs/$name.log" | head -10 | sed 's/^/# /'
		fi
		if [ "${hooked[$((i - 1))]}" = 1 ] && [ $quick = 0 ]; then
			start=$(date +%s)
			[ $quick = 1 ] && built="${#hookc[@]} C files compiled"
			if build "$BUILD/obj/series-nokho" "$nokho_frag" "$logs/$name.nokho.log" "${hookc[@]}"; then
				notes+=("KEXEC_HANDOVER=n $built in $(( $(date +%s) - start ))s")
			else
				bad+=("KEXEC_HANDOVER=n build failed or warned: $logs/$name.nokho.log")
				grep -E 'warning:|error:' "$logs/$name.nokho.log" | head -10 | sed 's/^/# /'
			fi
		fi ;;
	*) notes+=("not built") ;;
	esac

	if [ ${#bad[@]} = 0 ]; then
		echo "ok $i $name # $(IFS=,; echo "${notes[*]}" | sed 's/,/, /g')"
	else
		fail=1
		echo "not ok $i $name # $(IFS=,; echo "${bad[*]}" | sed 's/,/, /g')"
	fi
done

# Every new file has maintainers of its own in MAINTAINERS (not only
# "THE REST"), as the series leaves it.
i=$((n + 1))
orphans=$(git -C "$tree" diff --name-only --diff-filter=A base HEAD |
	python3 -c '
import fnmatch, sys
pats = [l[3:].strip() for l in open(sys.argv[1]) if l.startswith("F:\t")]
def covered(f):
    for p in pats:
        if p.endswith("/") and f.startswith(p):
            return True
        if fnmatch.fnmatch(f, p) or f == p:
            return True
    return False
print(" ".join(f for f in sys.stdin.read().split() if not covered(f)))
' "$tree/MAINTAINERS")
if [ -z "$orphans" ]; then
	echo "ok $i every new file has maintainers in MAINTAINERS"
else
	fail=1
	echo "# no MAINTAINERS entry: $orphans"
	echo "not ok $i every new file has maintainers in MAINTAINERS"
fi

# The whole series boots and hands over through one kexec.
i=$((n + 2))
kernel=$BUILD/obj/series/arch/x86/boot/bzImage
if [ $quick = 1 ]; then
	echo "ok $i the whole series boots and kexecs with a handover # SKIP --quick: the series reproduces the assembled tree, whose kernel the other suites boot"
elif [ "$(git -C "$check" rev-parse HEAD)" != "${commits[$((n - 1))]}" ] || [ ! -f "$kernel" ]; then
	echo "not ok $i the whole series boots and kexecs with a handover # the last patch was not built"
	fail=1
else
	initrd=$BUILD/initramfs-series.cpio
	bash "$TOP/harness/initramfs.sh" "$kernel" "$initrd" >&2
	if KHO_KERNEL=$kernel KHO_INITRD=$initrd KHO_LOGDIR=$logs \
		bash "$SRC/tools/testing/selftests/kho/kho_kexec.sh" >"$logs/boot.ktap" 2>&1; then
		echo "ok $i the whole series boots and kexecs with a handover (kho_kexec.sh: $(grep -c '^ok' "$logs/boot.ktap") ok)"
	else
		fail=1
		grep 'not ok' "$logs/boot.ktap" | sed 's/^/# /'
		echo "not ok $i the whole series boots and kexecs with a handover # $logs/boot.ktap"
	fi
fi
git -C "$check" checkout -q -f --detach "${commits[$((n - 1))]}"
exit $fail
