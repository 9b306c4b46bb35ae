#!/bin/bash
# rmitrace timeline, psci and stream filters on the simulated host, against
# its ground truth.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/e2e/lib_sim.sh

need_bpf || { done_testing; exit; }
SIM=$SIM_DIR/simhost-v14

tap() { # run a TAP-printing checker, re-emit through tests/lib.sh
	"$@" >"$TMP/chk" 2>&1
	while IFS= read -r line; do
		case $line in
		"ok - "*) ok "${line#ok - }" ;;
		"not ok - "*) not_ok "${line#not ok - }" ;;
		*) echo "$line" ;;
		esac
	done <"$TMP/chk"
}

# --- timeline of a whole recording (one window never completes)
start_tool rec "$RMITRACE" record -o "$TMP/t.rec" --uprobe-host "$SIM" || { done_testing; exit; }
"$SIM" --seed 41 --realms 3 --vcpus 3 --exits 200 --stuck 1 --truth "$TMP/truth.json" --quiet
stop_tool rec
expect_exit "timeline" 0 "$RMITRACE" timeline "$TMP/t.rec" -o "$TMP/t.json"
expect_match "timeline says where" 'events -> .*t.json' "$err"
tap python3 tests/e2e/check_timeline.py timeline "$TMP/t.json" "$TMP/truth.json"
expect_exit "timeline to stdout" 0 "$RMITRACE" timeline "$TMP/t.rec"
expect_eq "stdout timeline is the same" "$(jq -c '.traceEvents | length' "$TMP/t.json")" \
	"$(echo "$out" | jq -c '.traceEvents | length')"
expect_exit "timeline of a damaged file" 1 "$RMITRACE" timeline <(head -c 3000 "$TMP/t.rec")

# --- psci: exactly the stuck window, exit status 3; a clean run exits 0
start_tool ps "$RMITRACE" -j psci --stuck 300 --uprobe-host "$SIM" || { done_testing; exit; }
"$SIM" --seed 42 --realms 3 --vcpus 3 --exits 200 --stuck 1 --hold 10 --truth "$TMP/truth2.json" \
	2>"$TMP/sim2.err" &
simpid=$!
wait_for "$TMP/sim2.err" holding 60
sleep 0.8
stop_tool ps
kill -TERM $simpid
wait $simpid
expect_eq "psci exits 3 when a window is stuck" 3 "$rc"
jq -c 'select(.type=="stuck")' "$TMP/ps.out" >"$TMP/stuck.json"
expect_eq "exactly one stuck window" 1 "$(wc -l <"$TMP/stuck.json")"
expect_eq "the stuck window: realm, vCPU, FID, target, refused entries" \
	"$(jq -c '[.realms[] | . as $r | .psci[] | select(.completed | not) |
		{pid: $r.pid, vcpu: .vcpu_id, fid, target_mpidr, error_rec_enters}]' "$TMP/truth2.json")" \
	"$(jq -c '[{pid, vcpu, fid, target_mpidr, error_rec_enters}]' "$TMP/stuck.json")"
expect_eq "stuck window's realm name" \
	"$(jq -r '.realms[] | select(.stuck) | .name' "$TMP/truth2.json")" \
	"$(jq -r .realm_name "$TMP/stuck.json")"
expect_eq "stuck window's age is past the limit" true "$(jq '.age_ns > 300000000' "$TMP/stuck.json")"
expect_eq "every window's open and close were printed" \
	"$(jq '.totals.psci_opened + .totals.psci_completed' "$TMP/truth2.json")" \
	"$(jq -s '[.[] | select(.type=="psci_open" or .type=="psci_close")] | length' "$TMP/ps.out")"

start_tool ps "$RMITRACE" psci --stuck 300 --uprobe-host "$SIM" || { done_testing; exit; }
"$SIM" --seed 43 --realms 2 --vcpus 3 --exits 200 --hold 1 --quiet >/dev/null
stop_tool ps
expect_eq "psci exits 0 when nothing is stuck" 0 "$rc"
expect_eq "and prints no STUCK line" 0 "$(grep -c STUCK "$TMP/ps.out")"

# --- stream filters
start_tool all "$RMITRACE" -j stream --uprobe-host "$SIM" || { done_testing; exit; }
start_tool fr "$RMITRACE" -j stream --reason PSCI --uprobe-host "$SIM" || { done_testing; exit; }
start_tool fv "$RMITRACE" -j stream --vcpu 1 --uprobe-host "$SIM" || { done_testing; exit; }
start_tool ff "$RMITRACE" -j stream --fid RTT_CREATE --uprobe-host "$SIM" || { done_testing; exit; }
start_tool fl "$RMITRACE" -j stream --min-lat 20us --uprobe-host "$SIM" || { done_testing; exit; }
"$SIM" --seed 44 --realms 2 --vcpus 3 --exits 300 --truth "$TMP/truth3.json" --quiet
for n in all fr fv ff fl; do stop_tool $n; done
T=$TMP/truth3.json
body() { jq -c 'select(.type != "summary")' "$TMP/$1.out"; }
expect_eq "--reason PSCI: every PSCI exit, nothing else" \
	"$(jq '[.realms[].vcpus[].exits."3" // 0] | add' "$T") true" \
	"$(body fr | jq -s 'length, all(.type=="rec_exit" and .reason==3)' | paste -sd' ')"
expect_eq "--vcpu 1: every event of vCPU 1" \
	"$(body all | jq -s '[.[] | select(.vcpu==1)] | length')" "$(body fv | jq -s length)"
expect_eq "--vcpu 1: REC_ENTERs of vCPU 1" \
	"$(jq '[.realms[].vcpus[] | select(.vcpu_id==1) | .rec_enters] | add' "$T")" \
	"$(body fv | jq -s '[.[] | select(.type=="rec_exit")] | length')"
expect_eq "--fid RTT_CREATE: every RTT_CREATE call" \
	"$(jq '[.realms[].rmi[] | select(.fid=="0xc400015d") | .count] | add' "$T")" \
	"$(body ff | jq -s 'length')"
# (latencies differ between two probe instances: check fl against itself)
expect_eq "--min-lat 20us: only exits and calls of 20us or more" true \
	"$(body fl | jq -s 'length > 0 and all((.run_ns // .lat_ns) >= 20000)')"
expect_eq "--min-lat 20us: fewer than all events" true \
	"$([ "$(body fl | jq -s length)" -lt "$(body all | jq -s length)" ] && echo true)"
expect_exit "bad --reason" 2 "$RMITRACE" stream --reason NOPE
expect_match "bad --reason says what" 'not an exit reason' "$err"
expect_exit "bad --fid" 2 "$RMITRACE" stream --fid NOPE
expect_exit "bad --min-lat" 2 "$RMITRACE" stream --min-lat 5parsecs

# --- live report every interval: one JSON object per line, counts grow to the truth
start_tool iv "$RMITRACE" -j report -i 0.5 --uprobe-host "$SIM" || { done_testing; exit; }
"$SIM" --seed 45 --realms 2 --vcpus 2 --exits 4000 --rate 4000 --truth "$TMP/truth4.json" --quiet
sleep 0.6
stop_tool iv
expect_eq "--interval: exits normally" 0 "$rc"
lines=$(wc -l <"$TMP/iv.out")
expect_eq "--interval: several reports" true "$([ "$lines" -ge 3 ] && echo true)"
expect_eq "--interval: each a JSON object" "$lines" "$(jq -c .totals.exits "$TMP/iv.out" | wc -l)"
expect_eq "--interval: counts never decrease" true \
	"$(jq -s '[.[].totals.exits] | . == sort' "$TMP/iv.out")"
expect_eq "--interval: the last report has every exit" "$(jq .totals.exits "$TMP/truth4.json")" \
	"$(jq -s '.[-1].totals.exits' "$TMP/iv.out")"
expect_exit "bad --interval" 2 "$RMITRACE" report -i 0

done_testing
