#!/bin/bash
# A ring buffer far too small for the event rate: every dropped event is
# counted (received + lost = what the simulator did), reported in the text
# and JSON output, and makes --cross-check fail. Never silent.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/e2e/lib_sim.sh

need_bpf || { done_testing; exit; }
SIM=$SIM_DIR/simhost-v14

start_tool ovf "$RMITRACE" -j report --events --cross-check --ringbuf-size 4096 \
	--uprobe-host "$SIM" || { done_testing; exit; }
start_tool txt "$RMITRACE" report --events --ringbuf-size 4096 --uprobe-host "$SIM" ||
	{ done_testing; exit; }
start_tool str "$RMITRACE" stream --ringbuf-size 4096 --uprobe-host "$SIM" || { done_testing; exit; }
"$SIM" --seed 21 --realms 4 --vcpus 4 --exits 3000 --rate max --run-ns 0 \
	--truth "$TMP/truth.json" --quiet
stop_tool ovf
ovf_rc=$rc
stop_tool txt
stop_tool str
T=$TMP/truth.json
expected=$(jq '.totals.rec_enters + .totals.rmi_calls + .totals.psci_opened +
	.totals.psci_completed + ([.realms[].lifecycle | .created + .activated + .destroyed] | add)' "$T")
received=$(jq .events "$TMP/ovf.out")
lost=$(jq .lost_events "$TMP/ovf.out")
diag "expected $expected events: received $received, lost $lost"
expect_eq "events were lost with a 4 KiB ring buffer" true "$([ "$lost" -gt 0 ] && echo true)"
expect_eq "received + lost = events the simulator caused" "$expected" "$((received + lost))"
expect_eq "cross-check fails when events were lost" 1 "$ovf_rc"
expect_match "cross-check says so" 'cross-check: DIFFERENT' "$(cat "$TMP/ovf.err")"
expect_match "text report warns about lost events" 'WARNING: [0-9]+ events were lost' \
	"$(cat "$TMP/txt.out")"
expect_match "stream says how many were lost" 'events, [1-9][0-9]* lost \(ring buffer full' \
	"$(cat "$TMP/str.err")"

done_testing
