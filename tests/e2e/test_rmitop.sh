#!/bin/bash
# rmitop: batch and JSON output equal the simulator's ground truth; the
# interactive screen, driven in tmux, renders every view, switches views and
# sorting, shows the stuck-PSCI alert, survives 80x24, and q leaves cleanly.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/e2e/lib_sim.sh
RMITOP=${RMITOP:-$OUTPUT/rmitop}

expect_exit "bad flag" 2 "$RMITOP" --frob
expect_exit "bad delay" 2 "$RMITOP" -b -d 0
expect_exit "bad view" 2 "$RMITOP" -b --view nope
expect_exit "no terminal without -b" 2 "$RMITOP"
expect_match "says to use -b" 'use -b' "$err"
expect_exit "no CCA hooks here" 1 "$RMITOP" -b -n 1
expect_match "names what it looked for" 'no CCA hooks' "$err"

need_bpf || { done_testing; exit; }
SIM=$SIM_DIR/simhost-v14

# --- JSON batch after a whole run: counts equal the truth
start_tool top "$RMITOP" -j -d 0.5 --uprobe-host "$SIM" || { done_testing; exit; }
"$SIM" --seed 51 --realms 3 --vcpus 4 --exits 300 --truth "$TMP/truth.json" --quiet
sleep 1.2
stop_tool top
expect_eq "rmitop -j stops on SIGINT" 0 "$rc"
tail -1 "$TMP/top.out" >"$TMP/last.json"
T=$TMP/truth.json
expect_eq "exits" "$(jq .totals.exits "$T")" "$(jq .exits "$TMP/last.json")"
expect_eq "realms" 3 "$(jq .realms_count "$TMP/last.json")"
expect_eq "exits per realm (by pid)" \
	"$(jq -c '[.realms[] | {pid, exits: ([.vcpus[].exits[]] | add)}] | sort_by(.pid)' "$T")" \
	"$(jq -c '[.realms[] | {pid, exits}] | sort_by(.pid)' "$TMP/last.json")"
expect_eq "exits per vCPU" \
	"$(jq -c '[.realms[] | .pid as $p | .vcpus[] | select(.rec_enters > 0) |
		{pid: $p, vcpu: .vcpu_id, exits: ([.exits[]] | add)}] | sort_by(.pid, .vcpu)' "$T")" \
	"$(jq -c '[.vcpus[] | {pid, vcpu, exits}] | sort_by(.pid, .vcpu)' "$TMP/last.json")"
expect_eq "exits per reason" \
	"$(jq -c '[.realms[].vcpus[].exits | to_entries[]] | group_by(.key) |
		map({reason: (.[0].key | tonumber), count: (map(.value) | add)}) | sort_by(.reason)' "$T")" \
	"$(jq -c '[.exit_classes[] | select(.reason != null)] | group_by(.reason) |
		map({reason: .[0].reason, count: (map(.count) | add)}) | sort_by(.reason)' "$TMP/last.json")"
expect_eq "RMI calls and errors per FID" \
	"$(jq -c '[.realms[].rmi[]] | group_by(.fid) | map({fid: .[0].fid, calls: (map(.count) | add),
		errors: (map(select((.status | .[-2:] | ascii_downcase) as $s |
			($s != "00" and $s != "0d" and $s != "x0" and $s != "xd")) | .count) | add // 0)}) |
		sort_by(.fid)' "$T")" \
	"$(jq -c '[.rmi[] | {fid, calls, errors}] | sort_by(.fid)' "$TMP/last.json")"

# --- text batch while a window is stuck: psci view flags it
start_tool tb "$RMITOP" -b -d 0.5 --view psci --stuck 300 --uprobe-host "$SIM" ||
	{ done_testing; exit; }
"$SIM" --seed 52 --realms 2 --vcpus 3 --exits 200 --stuck 1 --hold 10 --truth "$TMP/t2.json" \
	2>"$TMP/sim2.err" &
simpid=$!
wait_for "$TMP/sim2.err" holding 60
sleep 1.3
stop_tool tb
kill -TERM $simpid
wait $simpid
last=$(awk '/^--- rmitop/ {buf=""} {buf = buf $0 "\n"} END {printf "%s", buf}' "$TMP/tb.out")
expect_match "batch psci view: the stuck window" \
	"realm[0-9] +[0-9]+ +0 CPU_ON_SMC64 +$(jq -r '.realms[] | select(.stuck) |
		.psci[] | select(.completed|not) | .target_mpidr' "$TMP/t2.json") .* STUCK" "$last"
expect_match "batch header counts it" 'stuck PSCI windows 1' "$last"

# --- interactive, in tmux
if need command -v tmux; then
	S=rmitop-test-$$
	tmux new-session -d -s "$S" -x 120 -y 40 "env PS1='$ ' bash --norc --noprofile"
	tmux send-keys -t "$S" "$RMITOP -d 0.5 --stuck 300 --uprobe-host $SIM; echo RMITOP_EXIT=\$?" Enter
	screen() { tmux capture-pane -p -t "$S"; }
	for _ in $(seq 100); do screen | grep -q 'realms 0' && break; sleep 0.1; done
	"$SIM" --seed 53 --realms 3 --vcpus 4 --exits 400 --stuck 1 --hold 60 \
		--truth "$TMP/t3.json" 2>"$TMP/sim3.err" &
	simpid=$!
	wait_for "$TMP/sim3.err" holding 60
	sleep 1.2
	expect_match "realms view renders" '\[1\] realms' "$(screen)"
	expect_match "realms view lists the realms" 'realm[0-9] +[0-9]+ +4 ' "$(screen)"
	expect_match "stuck-PSCI alert on the realms view" 'ALERT: 1 PSCI window' "$(screen)"
	for k in 2:vcpus 3:exits 4:rmi 5:psci; do
		tmux send-keys -t "$S" "${k%%:*}"
		sleep 0.4
		expect_match "key ${k%%:*} shows the ${k#*:} view" "\\[${k%%:*}\\] ${k#*:}" "$(screen)"
	done
	expect_match "psci view shows the stuck window" 'CPU_ON_SMC64 .* STUCK' "$(screen)"
	tmux send-keys -t "$S" 3
	sleep 0.3
	expect_match "alert visible on the exits view too" 'ALERT: 1 PSCI window' "$(screen)"
	expect_match "exits view lists SYNC:DABT_LOW" 'SYNC:DABT_LOW' "$(screen)"
	tmux send-keys -t "$S" s
	sleep 0.3
	expect_match "s changes the sort column" 'sort: reason desc' "$(screen)"
	tmux send-keys -t "$S" o
	sleep 0.3
	expect_match "o changes the order" 'sort: reason asc' "$(screen)"
	tmux send-keys -t "$S" h
	sleep 0.3
	expect_match "h shows help" 'next sort column' "$(screen)"
	tmux send-keys -t "$S" h
	tmux send-keys -t "$S" p
	sleep 0.3
	expect_match "p pauses" 'PAUSED' "$(screen)"
	tmux send-keys -t "$S" p
	tmux resize-window -t "$S" -x 80 -y 24
	sleep 0.8
	cap=$(screen)
	expect_match "80x24: header still there" 'rmitop - ' "$cap"
	expect_match "80x24: table header still there" 'EXIT:ESR_EC +COUNT' "$cap"
	expect_eq "80x24: no line wider than 80" 0 "$(echo "$cap" | awk 'length > 80' | wc -l)"
	tmux send-keys -t "$S" 1
	sleep 0.3
	expect_match "80x24: realms view readable" 'realm0' "$(screen)"
	tmux send-keys -t "$S" q
	for _ in $(seq 30); do screen | grep -q 'RMITOP_EXIT=[0-9]' && break; sleep 0.1; done
	cap=$(screen)
	expect_match "q quits with status 0" 'RMITOP_EXIT=0' "$cap"
	expect_eq "the terminal is clean after q (no rmitop screen left)" 0 \
		"$(echo "$cap" | grep -c 'rmitop - ')"
	tmux kill-session -t "$S"
	kill -TERM $simpid
	wait $simpid
fi

done_testing
