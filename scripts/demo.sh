#!/bin/bash
# The README's "main job". Until the live tools land it is a tour of the
# decoder over the values a CCA host shows; later it drives the simulated
# host under the live tools.
set -eu
OUTPUT=${1:-.output}
T=$OUTPUT/rmitrace

run() {
	printf '\n$ rmitrace %s\n' "$*"
	"$T" "$@"
}

echo "rmitools demo: decoding what a CCA host sees"
run decode fid 0xC400015C
run decode fid 0xC401015C
run --spec 1.0 decode fid 0xC4000153
run --spec 2.0 decode fid 0xC4000153
run --spec 1.0 decode status 0x204
run --spec 2.0 decode status 0x50D
run decode exit 3
run decode exit 8
run decode psci 0xC4000003
run decode psci 0xFFFFFFFD
run decode esr 0x93C08046 --far 0x1008 --hpfar 0x80100
run decode esr 0x62300402
run --spec 1.0 decode feat 0x14130 --reg 0
run defs --kind exit --spec 2.0
