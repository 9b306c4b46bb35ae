#!/bin/bash
# Real BPF on the simulated CCA host, both layouts (series v12 / RMM 1.0 and
# v14 / RMM 2.0): what the tools report equals the simulator's ground truth,
# the in-kernel aggregates equal the event stream, open PSCI windows are seen.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/e2e/lib_sim.sh

need_bpf || { done_testing; exit; }

for v in v12 v14; do
	SIM=$SIM_DIR/simhost-$v
	if [ ! -x "$SIM" ]; then
		not_ok "simulated host $SIM not built"
		continue
	fi

	# 1. a whole run: live report from the maps and a JSON event stream at once
	start_tool rep "$RMITRACE" -j report --uprobe-host "$SIM" || { not_ok "$v report attach"; continue; }
	start_tool str "$RMITRACE" -j stream --uprobe-host "$SIM" || { not_ok "$v stream attach"; continue; }
	"$SIM" --seed 11 --realms 3 --vcpus 4 --exits 300 --stuck 1 --truth "$TMP/truth.json" --quiet
	expect_eq "$v simulated host ran" 0 $?
	stop_tool rep
	expect_eq "$v report exit status" 0 "$rc"
	stop_tool str
	expect_eq "$v stream exit status" 0 "$rc"
	compare "$v maps" "$TMP/truth.json" "$TMP/rep.out"
	expect_eq "$v spec inferred from the layout" "$([ $v = v12 ] && echo 1.0 || echo 2.0)" \
		"$(jq -r .spec "$TMP/rep.out")"

	# the event stream, counted by type, against the truth
	T=$TMP/truth.json
	want="$(jq '.totals.rec_enters' "$T") $(jq '.totals.rmi_calls' "$T") \
$(jq '.totals.psci_opened' "$T") $(jq '.totals.psci_completed' "$T") \
$(jq '[.realms[].lifecycle | .created + .activated + .destroyed] | add' "$T") 0"
	got="$(jq -s '[.[] | select(.type=="rec_exit")] | length' "$TMP/str.out") \
$(jq -s '[.[] | select(.type=="rmi_call")] | length' "$TMP/str.out") \
$(jq -s '[.[] | select(.type=="psci_open")] | length' "$TMP/str.out") \
$(jq -s '[.[] | select(.type=="psci_close")] | length' "$TMP/str.out") \
$(jq -s '[.[] | select(.type=="realm")] | length' "$TMP/str.out") \
$(jq -s '.[-1].lost_events' "$TMP/str.out")"
	expect_eq "$v stream: REC exits, RMI calls, PSCI open/close, realm events, lost" "$want" "$got"
	expect_eq "$v stream: stuck vCPU's refused REC_ENTERs flagged" \
		"$(jq '[.realms[].psci[].error_rec_enters] | add' "$T")" \
		"$(jq -s '[.[] | select(.type=="rec_exit" and .psci_pending)] | length' "$TMP/str.out")"

	# 2. realms alive (--hold): stuck window open with its target and age;
	#    events and maps of the same probes agree exactly (--cross-check)
	start_tool hold "$RMITRACE" -j report --events --cross-check --uprobe-host "$SIM" ||
		{ not_ok "$v hold attach"; continue; }
	"$SIM" --seed 12 --realms 2 --vcpus 3 --exits 200 --stuck 1 --hold 10 \
		--truth "$TMP/truth2.json" 2>"$TMP/sim2.err" &
	simpid=$!
	if wait_for "$TMP/sim2.err" 'holding' 60; then
		stop_tool hold
		expect_eq "$v cross-checked report exit status" 0 "$rc"
		expect_match "$v cross-check: events equal maps" 'cross-check: equal' "$(cat "$TMP/hold.err")"
		kill -TERM $simpid
		wait $simpid
		compare "$v events+hold" "$TMP/truth2.json" "$TMP/hold.out" --open-windows --names
	else
		not_ok "$v simulated host reached --hold"
		kill $simpid
	fi

	# 3. a CPU_ON target entered before its PSCI_COMPLETE is flagged
	start_tool early "$RMITRACE" -j report --uprobe-host "$SIM" || { not_ok "$v early attach"; continue; }
	"$SIM" --seed 13 --realms 2 --vcpus 3 --exits 100 --early-target --truth "$TMP/truth3.json" --quiet
	stop_tool early
	compare "$v early-target" "$TMP/truth3.json" "$TMP/early.out"
	expect_eq "$v early-target run had such an entry" 1 \
		"$(jq '[.realms[].psci[].target_error_rec_enters // 0] | add' "$TMP/truth3.json")"
done

done_testing
