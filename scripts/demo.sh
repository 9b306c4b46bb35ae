#!/bin/bash
# The README's "main job": on a machine without Arm CCA it starts the
# simulated CCA host (three realms, one of them with a PSCI CPU_ON that is
# never completed) and runs the live tools on it through uprobes.
set -u
OUTPUT=${1:-.output}
T=$OUTPUT/rmitrace
SIM=$OUTPUT/sim/simhost-v14
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT

if [ "$(id -u)" != 0 ]; then
	echo "demo: error: the live tools load BPF programs: run as root (sudo make demo)" >&2
	exit 1
fi

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "hooks on the simulated CCA host ($SIM)"
"$T" probes --uprobe-host "$SIM"

say "live event stream (first 25 events of a run)"
"$T" stream --uprobe-host "$SIM" >"$tmp/stream" 2>"$tmp/stream.err" &
sp=$!
for _ in $(seq 100); do grep -q attached "$tmp/stream.err" && break; sleep 0.1; done
"$T" report --uprobe-host "$SIM" --duration 3 >"$tmp/report" 2>"$tmp/report.err" &
rp=$!
for _ in $(seq 100); do grep -q attached "$tmp/report.err" && break; sleep 0.1; done
"$SIM" --seed 7 --realms 3 --vcpus 4 --exits 400 --stuck 1 --hold 4 \
	--truth "$tmp/truth.json" 2>"$tmp/sim.err" &
simpid=$!
for _ in $(seq 100); do grep -q holding "$tmp/sim.err" && break; sleep 0.1; done
kill -INT $sp
wait $sp
head -25 "$tmp/stream"
cat "$tmp/stream.err"
wait $rp
say "live report (in-kernel aggregates, 3 s)"
cat "$tmp/report"
kill -TERM $simpid 2>/dev/null
wait $simpid
say "what the simulated host says it did (ground truth)"
jq -c '.totals' "$tmp/truth.json"
