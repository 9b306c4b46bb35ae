#!/bin/bash
# Cross-builds everything for arm64 (CCA hosts are arm64) and runs the unit
# tests under qemu-user. Installs the cross toolchain and Debian's arm64
# multiarch -dev packages when root. Prints TAP lines.
set -u
cd "$(dirname "$0")/.." || exit 1
. tests/reference.sh
pkgs="gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user libbpf-dev:arm64 libelf-dev:arm64
zlib1g-dev:arm64 libcmocka-dev:arm64 libncurses-dev:arm64 libmicrohttpd-dev:arm64
libyaml-dev:arm64 libcrypt-dev:arm64 linux-libc-dev:arm64"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "cross-arm64: error: missing:$missing (as root: dpkg --add-architecture arm64;" \
			"apt-get update; apt-get install$missing)" >&2
		exit 1
	fi
	dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null || exit 1
fi
n=0 failed=0
make -s ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- OUTPUT=.output-arm64 unit-tests || {
	echo "not ok 1 - arm64 cross build"
	echo "1..1"
	exit 1
}
n=$((n + 1))
echo "ok $n - arm64 cross build (rmitrace, rmitop, rmi_exporter, BPF object, unit tests)"
for b in rmitrace rmitop rmi_exporter; do
	n=$((n + 1))
	if file ".output-arm64/$b" | grep -q 'ARM aarch64'; then
		echo "ok $n - $b is an arm64 binary"
	else
		echo "not ok $n - $b is an arm64 binary"
		failed=$((failed + 1))
	fi
done
for t in .output-arm64/tests/test_*; do
	n=$((n + 1))
	if CMOCKA_MESSAGE_OUTPUT=TAP qemu-aarch64 "$t" >".output-arm64/$(basename "$t").log" 2>&1; then
		echo "ok $n - arm64 $(basename "$t") under qemu-user ($(grep -c '^ok' ".output-arm64/$(basename "$t").log") cases)"
	else
		echo "not ok $n - arm64 $(basename "$t") under qemu-user"
		sed 's/^/# /' ".output-arm64/$(basename "$t").log" | tail -20
		failed=$((failed + 1))
	fi
done
n=$((n + 1))
out=$(qemu-aarch64 .output-arm64/rmitrace -j decode esr 0x93C08046 | jq -r .ec_name)
if [ "$out" = DABT_LOW ]; then echo "ok $n - arm64 rmitrace decodes"; else
	echo "not ok $n - arm64 rmitrace decodes ($out)"; failed=$((failed + 1)); fi
echo "1..$n"
[ $failed -eq 0 ]
