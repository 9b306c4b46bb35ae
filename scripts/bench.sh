#!/bin/bash
# make bench: the performance figures of the issues, measured on the
# simulated CCA host. Prints a table; BENCHMARKS.md keeps the latest run.
set -u
OUTPUT=${1:-.output}
T=$OUTPUT/rmitrace
SIM=$OUTPUT/sim/simhost-v14
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; sysctl -q kernel.bpf_stats_enabled="$old_stats"; rm -rf "$tmp"' EXIT

if [ "$(id -u)" != 0 ]; then
	echo "bench: error: needs root to load BPF (sudo make bench)" >&2
	exit 1
fi
old_stats=$(sysctl -n kernel.bpf_stats_enabled)
sysctl -q kernel.bpf_stats_enabled=1

row() { printf '%-52s %14s   %s\n' "$1" "$2" "$3"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "rmitools benchmarks: $(date -u +%Y-%m-%dT%H:%MZ), $(uname -m), $(nproc) CPUs, kernel $(uname -r)"
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
row "figure" "value" "target"

# attach time of all programs (median of 5)
for _ in 1 2 3 4 5; do
	"$T" -j probes --uprobe-host "$SIM" 2>/dev/null | jq .attach_ms
done | median >"$tmp/attach"
row "attach time, all programs (uprobe host)" "$(cat "$tmp/attach") ms" "<= 500 ms"

# sum run_time_ns / run_cnt of our programs, by name prefix list
prog_stats() {
	bpftool prog show -j | jq -r --argjson names "$1" '
		[.[] | select(.name as $n | $names | index($n))] |
		"\(map(.run_time_ns // 0) | add) \(map(.run_cnt // 0) | add)"'
}

# BPF cost per REC exit: the kvm_entry and handle_rec_exit programs
bpf_cost() { # mode-args...
	"$T" report "$@" --uprobe-host "$SIM" >/dev/null 2>"$tmp/err" &
	local p=$!
	for _ in $(seq 100); do grep -q attached "$tmp/err" && break; sleep 0.1; done
	"$SIM" --seed 3 --realms 4 --vcpus 4 --exits 20000 --rate max --run-ns 0 \
		--truth "$tmp/truth.json" --quiet
	local exitp rmip
	exitp=$(prog_stats '["kp_kvm_entry","kp_rec_exit"]')
	rmip=$(prog_stats '["kp_smc","krp_smc"]')
	kill -INT $p
	wait $p
	local enters calls
	enters=$(jq .totals.rec_enters "$tmp/truth.json")
	calls=$(jq .totals.rmi_calls "$tmp/truth.json")
	set -- $exitp
	echo "$(( $1 / enters )) $(( $(echo "$rmip" | cut -d' ' -f1) / calls ))"
}
read -r agg_exit agg_rmi < <(bpf_cost)
read -r tr_exit tr_rmi < <(bpf_cost --events)
row "BPF ns per REC exit, aggregation (all exit-path progs)" "$agg_exit ns" "<= 150 ns"
row "BPF ns per REC exit, trace mode (ring buffer)" "$tr_exit ns" "-"
row "BPF ns per RMI call, aggregation (kprobe+kretprobe)" "$agg_rmi ns" "-"
row "BPF ns per RMI call, trace mode" "$tr_rmi ns" "-"

# workload throughput: simulated host exits/s alone and with each tool
sim_rate() {
	local s e
	s=$(date +%s.%N)
	"$SIM" --seed 3 --realms 2 --vcpus 2 --exits 100000 --rate max --run-ns 0 --quiet >/dev/null
	e=$(date +%s.%N)
	echo "400000 / ($e - $s)" | bc
}
base=$(sim_rate)
row "simulated host exits/s, no tracing" "$base" "-"
# the peer: an equivalent bpftrace one-liner counting exits per reason
# (same uprobe, same user-memory reads, offsets from the host's --layout)
if command -v bpftrace >/dev/null; then
	run_off=$("$SIM" --layout | jq '.offsets["kvm_vcpu.arch.rec.run"]')
	exit_off=$("$SIM" --layout | jq '.offsets["rec_run.exit"]')
	bpftrace -e "uprobe:$SIM:handle_rec_exit {
		@exits[*uptr((uint8 *)(*uptr((uint64 *)(arg0 + $run_off)) + $exit_off))] = count(); }" \
		>"$tmp/bt.out" 2>&1 &
	bt=$!
	for _ in $(seq 100); do grep -q Attaching "$tmp/bt.out" && break; sleep 0.1; done
	sleep 0.5
	r=$(sim_rate)
	kill -INT $bt
	wait $bt
	row "simulated host exits/s, bpftrace (exits per reason)" "$r" \
		"$(echo "scale=4; 100 * $r / $base" | bc)% of untraced"
	row "bpftrace counted exits (of 400000)" \
		"$(awk '/^@exits/ {s += $NF} END {print s + 0}' "$tmp/bt.out")" "-"
fi
"$OUTPUT/rmitop" -b -d 1 --uprobe-host "$SIM" >/dev/null 2>"$tmp/err" &
p=$!
for _ in $(seq 100); do grep -q attached "$tmp/err" && break; sleep 0.1; done
r=$(sim_rate)
kill -INT $p
wait $p
row "simulated host exits/s, rmitop -b -d 1" "$r" "$(echo "scale=4; 100 * $r / $base" | bc)% of untraced"
for mode in "report" "report --events" "stream" "record -f -o $tmp/rate.rec"; do
	# shellcheck disable=SC2086
	"$T" $mode --uprobe-host "$SIM" >/dev/null 2>"$tmp/err" &
	p=$!
	for _ in $(seq 100); do grep -q attached "$tmp/err" && break; sleep 0.1; done
	r=$(sim_rate)
	kill -INT $p
	wait $p
	row "simulated host exits/s, rmitrace $mode" "$r" "$(echo "scale=4; 100 * $r / $base" | bc)% of untraced"
done

# record / stream at the simulator's highest rate, default buffer sizes:
# lost events and peak RSS of the tool (issue #4)
consumer() { # label, rmitrace args...
	local label=$1
	shift
	: >"$tmp/c.err"
	/usr/bin/time -f 'maxrss_kb %M' "$T" "$@" --uprobe-host "$SIM" >"$tmp/c.out" 2>>"$tmp/c.err" &
	local p=$!
	for _ in $(seq 100); do grep -q attached "$tmp/c.err" && break; sleep 0.1; done
	"$SIM" --seed 3 --realms 4 --vcpus 4 --exits 40000 --rate max --run-ns 0 --quiet >/dev/null
	sleep 1.5
	# time(1) ignores SIGINT itself: signal the tool, its child
	pkill -INT -P $p
	wait $p
	local ev lost rss
	ev=$(grep -oE '[0-9]+ events' "$tmp/c.err" | cut -d' ' -f1)
	lost=$(grep -oE '[0-9]+ lost' "$tmp/c.err" | cut -d' ' -f1)
	rss=$(grep -oE 'maxrss_kb [0-9]+' "$tmp/c.err" | cut -d' ' -f2)
	row "$label: events / lost at max rate" "$ev / $lost" "0 lost (#4)"
	row "$label: peak RSS" "$((rss / 1024)) MiB" "<= 64 MiB (#4)"
}
consumer "rmitrace record" record -f -o "$tmp/big.rec"
consumer "rmitrace stream (text)" stream
consumer "rmitrace stream -j" -j stream

# report over a recorded file, one core (issue #4)
n=$("$T" -j report "$tmp/big.rec" | jq .events)
for _ in 1 2 3; do
	/usr/bin/time -f '%e %M' taskset -c 0 "$T" -j report "$tmp/big.rec" 2>&1 >/dev/null | tail -1
done | sort -n | head -1 >"$tmp/rep"
read -r secs rss <"$tmp/rep"
row "rmitrace report FILE: events/s, one core ($n events)" \
	"$(echo "$n / $secs" | bc)" ">= 10 M/s (#4)"
row "rmitrace report FILE: peak RSS" "$((rss / 1024)) MiB" "grows with realms x vCPUs, not events"
row "record file size per event" "$(( $(stat -c %s "$tmp/big.rec") / n )) bytes" "-"

# rmitop and rmi_exporter with 64 realms x 16 vCPUs in the aggregates (#5, #6)
"$OUTPUT/rmitop" -b -d 1 --uprobe-host "$SIM" >/dev/null 2>"$tmp/top.err" &
top=$!
# the interactive screen too, in a detached tmux
if command -v tmux >/dev/null; then
	tmux new-session -d -s rmibench -x 120 -y 40 "$OUTPUT/rmitop -d 1 --uprobe-host $SIM"
fi
P=19999
"$OUTPUT/rmi_exporter" --uprobe-host "$SIM" --web.listen-address=127.0.0.1:$P 2>"$tmp/exp.err" &
exp=$!
for _ in $(seq 100); do grep -q attached "$tmp/top.err" && grep -q serving "$tmp/exp.err" && break; sleep 0.1; done
"$SIM" --seed 9 --realms 64 --vcpus 16 --exits 50 --rate max --run-ns 0 --hold 40 \
	--truth "$tmp/t64.json" 2>"$tmp/sim64.err" &
sim=$!
for _ in $(seq 600); do grep -q holding "$tmp/sim64.err" && break; sleep 0.1; done
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
c0=$(cpu $top)
t0=$(date +%s.%N)
sleep 10
c1=$(cpu $top)
t1=$(date +%s.%N)
hz=$(getconf CLK_TCK)
row "rmitop -b -d 1, all views, 64x16 vCPUs: CPU" \
	"$(echo "scale=2; 100 * ($c1 - $c0) / $hz / ($t1 - $t0)" | bc) %" "(batch prints every view)"
row "rmitop: RSS" "$(($(awk '/^VmRSS:/ {print $2}' /proc/$top/status) / 1024)) MiB" "<= 32 MiB (#5)"
itop=$(pgrep -f "^$OUTPUT/rmitop -d 1 --uprobe-host" | head -1)
if [ -n "$itop" ]; then
	c0=$(cpu $itop)
	t0=$(date +%s.%N)
	sleep 10
	c1=$(cpu $itop)
	t1=$(date +%s.%N)
	row "rmitop interactive -d 1, 64x16 vCPUs: CPU" \
		"$(echo "scale=2; 100 * ($c1 - $c0) / $hz / ($t1 - $t0)" | bc) %" "<= 2 % of a core (#5)"
	row "rmitop interactive: RSS" "$(($(awk '/^VmRSS:/ {print $2}' /proc/$itop/status) / 1024)) MiB" \
		"<= 32 MiB (#5)"
	tmux kill-session -t rmibench
fi
for _ in $(seq 10); do
	curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$P/metrics"
done | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}' >"$tmp/scrape"
row "rmi_exporter scrape, 64x16 vCPUs (median of 10)" \
	"$(echo "scale=1; $(cat "$tmp/scrape") * 1000 / 1" | bc) ms" "<= 20 ms (#6)"
row "rmi_exporter scrape size" "$(curl -s "http://127.0.0.1:$P/metrics" | wc -l) lines" "-"
if command -v wrk >/dev/null; then
	wrk -t2 -c8 -d5s "http://127.0.0.1:$P/metrics" >"$tmp/wrk" 2>&1
	row "rmi_exporter under wrk -t2 -c8 -d5s: requests/s" \
		"$(awk '/Requests\/sec/ {print $2}' "$tmp/wrk")" "no errors (#6)"
	row "rmi_exporter under wrk: errors" \
		"$(grep -oE 'Non-2xx or 3xx responses: [0-9]+|Socket errors:.*' "$tmp/wrk" | tr '\n' ' ' | sed 's/^$/0/')" "0 (#6)"
fi
row "rmi_exporter: RSS after the load" \
	"$(($(awk '/^VmRSS:/ {print $2}' /proc/$exp/status) / 1024)) MiB" "<= 20 MiB (#6)"
kill -TERM $sim 2>/dev/null
kill -INT $top
kill -TERM $exp
wait $top $exp $sim 2>/dev/null
