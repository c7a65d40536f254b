#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Assemble build/src = pristine base + patches/series + the new kernel files
# that live at their kernel paths in this repo.
#
# Incremental: the wanted content of every file is computed first, in a
# scratch directory, and a file in build/src is only rewritten when its
# content differs, so make rebuilds only what really changed. A patch that
# does not apply stops everything before build/src is touched.
. "$(dirname "$0")/lib.sh"

bash "$TOP/harness/base.sh"

# Top-level directories of a kernel tree: files below them in this repo are
# new kernel files. Everything else (harness/, patches/, Makefile...) is ours.
KDIRS="arch block certs crypto Documentation drivers fs include init io_uring
ipc kernel lib mm net rust samples scripts security sound tools usr virt"

# One assembly at a time: two at once (a build and a suite started side by
# side) would each take the other's half-written file list for the files
# the series no longer touches, and rewrite patched files, whose new times
# make every kernel tree rebuild.
mkdir -p "$BUILD"
exec 9>"$BUILD/.assemble.lock"
flock 9

# Outside any git work tree: inside one, git apply would silently skip the
# paths that lie outside the current directory.
stage=$(mktemp -d /tmp/kho-stage.XXXXXX)
trap 'rm -rf "$stage"' EXIT

# 1. Patched files: base content, then every patch of the series in order.
series=()
if [ -f "$TOP/patches/series" ]; then
	while read -r p _; do
		case $p in ''|'#'*) continue ;; esac
		[ -f "$TOP/patches/$p" ] || die "patches/series names $p, which does not exist"
		series+=("$p")
	done <"$TOP/patches/series"
fi

patched=()
for p in "${series[@]}"; do
	while read -r f; do
		patched+=("$f")
	done < <(sed -n 's|^+++ b/||p; s|^--- a/||p' "$TOP/patches/$p" | sort -u)
done
mapfile -t patched < <(printf '%s\n' "${patched[@]}" | sed '/^$/d' | sort -u)

for f in "${patched[@]}"; do
	if git -C "$SRC" cat-file -e "base:$f" 2>/dev/null; then
		mkdir -p "$stage/$(dirname "$f")"
		git -C "$SRC" show "base:$f" >"$stage/$f"
	fi
done
for p in "${series[@]}"; do
	if ! out=$(cd "$stage" && GIT_CEILING_DIRECTORIES=/ git apply \
			--whitespace=nowarn "$TOP/patches/$p" 2>&1); then
		say "$out"
		file=$(printf '%s\n' "$out" | sed -n 's/^error: \(patch failed: \)\{0,1\}\([^:]*\):.*/\2/p' | head -n 1)
		die "patch $p does not apply to $(sed -n 's/^kernel=//p' "$BUILD/base-version")${file:+ (file $file)}; build/src left unchanged"
	fi
done

# 2. New files at their kernel paths (tracked or not yet committed).
overlay=()
for d in $KDIRS; do
	[ -d "$TOP/$d" ] || continue
	while read -r f; do
		overlay+=("$f")
	done < <(cd "$TOP" && git ls-files -co --exclude-standard -- "$d")
done
for f in "${overlay[@]}"; do
	[ -f "$TOP/$f" ] || continue
	if [ -e "$stage/$f" ]; then
		die "$f is both patched by the series and a file of this repo"
	fi
	mkdir -p "$stage/$(dirname "$f")"
	cp -p "$TOP/$f" "$stage/$f"
done

# 3. Copy what changed; restore what the series no longer touches.
manifest=$BUILD/assembled.list
newlist=$BUILD/assembled.list.new
(cd "$stage" && find . -type f | sed 's|^\./||' | sort) >"$newlist"
changed=0
while read -r f; do
	if ! cmp -s "$stage/$f" "$SRC/$f"; then
		mkdir -p "$SRC/$(dirname "$f")"
		cp "$stage/$f" "$SRC/$f"
		chmod --reference="$stage/$f" "$SRC/$f"
		changed=$((changed + 1))
	fi
done <"$newlist"
if [ -f "$manifest" ]; then
	while read -r f; do
		if git -C "$SRC" cat-file -e "base:$f" 2>/dev/null; then
			git -C "$SRC" show "base:$f" >"$SRC/$f.kho-tmp"
			if cmp -s "$SRC/$f.kho-tmp" "$SRC/$f"; then
				rm -f "$SRC/$f.kho-tmp"
			else
				mv "$SRC/$f.kho-tmp" "$SRC/$f"
				changed=$((changed + 1))
			fi
		else
			rm -f "$SRC/$f"
			changed=$((changed + 1))
		fi
	done < <(comm -23 "$manifest" "$newlist")
fi
mv "$newlist" "$manifest"

# New files show up in "git diff base" in build/src (forced: the kernel's
# .gitignore ignores dotfiles such as .kunitconfig).
(cd "$stage" && find . -type f | sed 's|^\./||') | while read -r f; do
	git -C "$SRC" cat-file -e "base:$f" 2>/dev/null || echo "$f"
done | xargs -r git -C "$SRC" add -f -N -- ||
	die "cannot mark the new files in build/src for git diff"

say "assemble: ${#series[@]} patches, ${#overlay[@]} new files, $changed files updated"
