# SPDX-License-Identifier: GPL-2.0
# Common helpers for the KHO harness scripts. Sourced, never run.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
SRC=$BUILD/src			# assembled tree: pristine base + series
BASE_TAR=${BASE_TAR:-/usr/src/linux-source-6.12.tar.xz}
BASE_PKG=linux-source-6.12

say()  { printf '%s\n' "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

# need CMD PKG...: make sure CMD exists, installing PKG... with apt-get if not.
need() {
	local cmd=$1; shift
	command -v "$cmd" >/dev/null 2>&1 && return 0
	apt_install "$@" || true
	command -v "$cmd" >/dev/null 2>&1 ||
		die "missing '$cmd'; tried: apt-get install -y $*"
}

# need_file FILE PKG...: same, for a file a package ships.
need_file() {
	local f=$1; shift
	[ -e "$f" ] && return 0
	apt_install "$@" || true
	[ -e "$f" ] || die "missing '$f'; tried: apt-get install -y $*"
}

APT_UPDATED=${APT_UPDATED:-}
apt_install() {
	[ "$(id -u)" = 0 ] || { say "not root: cannot apt-get install $*"; return 1; }
	if [ -z "$APT_UPDATED" ]; then
		say "apt-get update"
		apt-get update -qq >&2 || true
		APT_UPDATED=1
	fi
	say "apt-get install -y $*"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

# Everything a kernel build needs.
need_build_tools() {
	need gcc gcc
	need make make
	need flex flex
	need bison bison
	need bc bc
	need perl perl
	need cpio cpio
	need xz xz-utils
	need git git
	need_file /usr/include/libelf.h libelf-dev
	need_file /usr/include/openssl/ssl.h libssl-dev
}

JOBS=${JOBS:-$(nproc)}
