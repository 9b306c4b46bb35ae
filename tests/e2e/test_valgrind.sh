#!/bin/bash
# valgrind finds no leak and no memory error in a short run of each tool
# (live, on the simulated host, stopped by a signal as a user would).
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/e2e/lib_sim.sh

need_bpf || { done_testing; exit; }
need command -v valgrind || { done_testing; exit; }
[ "${SAN:-}" = 1 ] && { skip "valgrind and ASan do not mix"; done_testing; exit; }
SIM=$SIM_DIR/simhost-v14
export RMI_MAP_BATCH=0 # valgrind does not know BPF_MAP_LOOKUP_BATCH
VG="valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=9 \
--suppressions=tests/valgrind.supp -q"
P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

while read -r name sig cmd; do
	# shellcheck disable=SC2086
	$VG $cmd --uprobe-host "$SIM" >"$TMP/vg.out" 2>"$TMP/vg.err" &
	vp=$!
	for _ in $(seq 300); do grep -qE 'attached|serving' "$TMP/vg.err" && break; sleep 0.1; done
	sleep 0.3
	"$SIM" --seed 90 --realms 2 --vcpus 2 --exits 100 --stuck 1 --quiet >/dev/null
	[ "$name" = rmi_exporter ] && curl -s -o /dev/null "http://127.0.0.1:$P/metrics"
	sleep 0.5
	kill -"$sig" $vp # valgrind runs the tool in its own process
	wait $vp
	rc=$?
	expect_eq "$name under valgrind: no leak, no memory error (exit $rc)" 0 "$rc"
	[ $rc = 0 ] || grep -v 'attached\|serving\|WARNING: unhandled eBPF' "$TMP/vg.err" | head -25 | sed 's/^/# /'
done <<EOF2
rmitrace-stream INT $RMITRACE stream
rmitrace-record INT $RMITRACE record -f -o $TMP/vg.rec
rmitrace-report INT $RMITRACE report
rmitrace-psci INT $RMITRACE psci
rmitop TERM $OUTPUT/rmitop -b -d 0.5
rmi_exporter TERM $OUTPUT/rmi_exporter --web.listen-address=127.0.0.1:$P
EOF2
$VG "$RMITRACE" -j report "$TMP/vg.rec" >/dev/null 2>"$TMP/vg.err"
expect_eq "report FILE under valgrind" 0 $?
$VG "$RMITRACE" timeline "$TMP/vg.rec" -o "$TMP/vg.json" 2>"$TMP/vg.err"
expect_eq "timeline under valgrind" 0 $?
$VG "$RMITRACE" -j defs >/dev/null 2>"$TMP/vg.err"
expect_eq "defs under valgrind" 0 $?

done_testing
