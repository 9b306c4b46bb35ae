#!/bin/sh
# Installs what rmitools needs to build and test, on Debian/Ubuntu.
# Does nothing when everything is there; without root it names the packages
# to install and stops. Set RMI_DEPS_EXTRA for packages a caller adds.
set -eu

prog=deps
pkgs="make gcc clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev pahole \
pkg-config libcmocka-dev libncurses-dev libmicrohttpd-dev libyaml-dev libcrypt-dev \
tmux clang-format jq python3 bc curl openssl apache2-utils prometheus wrk valgrind \
libclang-rt-14-dev ${RMI_DEPS_EXTRA:-}"

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	echo "$prog: error: not a Debian/Ubuntu system (install by hand: $pkgs)" >&2
	exit 1
fi

missing=""
for p in $pkgs; do
	installed "$p" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "$prog: error: missing packages:$missing (run: sudo apt-get install -y$missing)" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# An empty or stale package list cannot resolve names: refresh once.
if ! apt-get install -y --no-install-recommends $missing >/dev/null 2>&1; then
	echo "$prog: apt-get update" >&2
	apt-get update -qq
	# Ubuntu ships bpftool in linux-tools and pahole as dwarves
	resolved=""
	for p in $missing; do
		if apt-cache show "$p" >/dev/null 2>&1; then
			resolved="$resolved $p"
		else
			case $p in
			bpftool) resolved="$resolved linux-tools-common linux-tools-generic" ;;
			pahole) resolved="$resolved dwarves" ;;
			*) resolved="$resolved $p" ;;
			esac
		fi
	done
	echo "$prog: installing$resolved" >&2
	apt-get install -y --no-install-recommends $resolved
fi
