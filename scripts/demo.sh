#!/bin/bash
# The README's "main job". No machine here has Arm RME, so it starts the
# simulated CCA host -- busy realms, plus one realm whose PSCI CPU_ON is never
# completed -- and runs rmitop on it through uprobes: interactively on a
# terminal (q quits), as a few batch refreshes otherwise.
set -u
OUTPUT=${1:-.output}
SIM=$OUTPUT/sim/simhost-v14
tmp=$(mktemp -d)
trap 'pkill -KILL -f "simhost-v14 .*--seed [78] " 2>/dev/null; rm -rf "$tmp"' EXIT

if [ "$(id -u)" != 0 ]; then
	echo "demo: error: the tools load BPF programs: run as root (sudo make demo)" >&2
	exit 1
fi

echo "== hooks on the simulated CCA host ($SIM)"
"$OUTPUT/rmitrace" probes --uprobe-host "$SIM" || exit 1

# the workload starts once rmitop is attached, so it sees everything
start_workload() {
	sleep 1.5
	"$SIM" --seed 7 --realms 3 --vcpus 4 --exits 600000 --rate 3000 --quiet >/dev/null 2>&1 &
	sleep 1
	"$SIM" --seed 8 --realms 1 --vcpus 2 --exits 400 --rate 2000 --stuck 1 --hold 3600 \
		--quiet >/dev/null 2>&1 &
}

if [ -t 1 ]; then
	echo "== rmitop (1-5 views, s/o sort, f filter, h help, q quit)"
	sleep 1
	start_workload &
	"$OUTPUT/rmitop" --uprobe-host "$SIM" --stuck 1000
else
	echo "== rmitop -b (no terminal: batch mode, 4 refreshes)"
	start_workload &
	"$OUTPUT/rmitop" -b -n 4 -d 2 --uprobe-host "$SIM" --stuck 1000
fi
# the busy workload runs on past SIGTERM (it only ends --hold): kill it and its realms
pkill -KILL -f "$(basename "$SIM") .*--seed [78] " 2>/dev/null
