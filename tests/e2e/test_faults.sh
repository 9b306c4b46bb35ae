#!/bin/bash
# Faults: SIGTERM to every tool leaves no BPF program or link behind; the
# traced host dying mid-run (realms never destroyed) is survived; BTF that
# cannot be read is a clear error.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/e2e/lib_sim.sh

need_bpf || { done_testing; exit; }
SIM=$SIM_DIR/simhost-v14
ours() { # BPF programs of rmitools loaded now
	bpftool prog show -j 2>/dev/null |
		jq '[.[] | select(.name | test("^(kp_|krp_|tp_kvm|fe_)"))] | length'
}
links() { bpftool link show -j 2>/dev/null | jq 'length'; }
base_progs=$(ours)
base_links=$(links)

P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
i=0
while read -r name cmd; do
	i=$((i + 1))
	# shellcheck disable=SC2086
	start_tool "t$i" $cmd --uprobe-host "$SIM" || { not_ok "$name started"; continue; }
	"$SIM" --seed $((70 + i)) --realms 2 --vcpus 2 --exits 100 --quiet >/dev/null
	expect_eq "$name: its programs are loaded" true "$([ "$(ours)" -gt "$base_progs" ] && echo true)"
	kill -TERM "$(eval echo \$pid_t$i)"
	wait "$(eval echo \$pid_t$i)"
	rc=$?
	expect_eq "$name: exits 0 on SIGTERM" 0 "$rc"
	expect_eq "$name: no BPF program left behind" "$base_progs" "$(ours)"
	expect_eq "$name: no BPF link left behind" "$base_links" "$(links)"
done <<EOF2
stream $RMITRACE stream
record $RMITRACE record -f -o $TMP/f.rec
report $RMITRACE report
report-events $RMITRACE report --events
psci $RMITRACE psci
rmitop $OUTPUT/rmitop -b -d 0.5
rmi_exporter $OUTPUT/rmi_exporter --web.listen-address=127.0.0.1:$P
EOF2
expect_eq "the SIGTERMed recording is complete (has its trailer)" 2 \
	"$(python3 tests/e2e/recfile.py blocks "$TMP/f.rec" | jq '.[-1].type')"

# the traced host killed mid-run: realms never destroyed, the tool goes on
start_tool live "$RMITRACE" -j report --uprobe-host "$SIM" || { done_testing; exit; }
"$SIM" --seed 80 --realms 3 --vcpus 2 --exits 200000 --rate 5000 --quiet >/dev/null 2>&1 &
simpid=$!
sleep 1
pkill -KILL -f "$(basename "$SIM") .*--seed 80 "
wait $simpid 2>/dev/null
"$SIM" --seed 81 --realms 1 --vcpus 2 --exits 100 --truth "$TMP/t81.json" --quiet
stop_tool live
expect_eq "host killed mid-run: the tool exits normally" 0 "$rc"
expect_eq "host killed mid-run: its realms stay active (never destroyed)" 3 \
	"$(jq '[.realms[] | select(.state=="active")] | length' "$TMP/live.out")"
expect_eq "and a later run is still counted exactly" "$(jq .totals.exits "$TMP/t81.json")" \
	"$(jq --argjson p "$(jq '.realms[0].pid' "$TMP/t81.json")" \
		'[.realms[] | select(.pid==$p) | .exits] | add' "$TMP/live.out")"

# BTF that is not BTF
expect_exit "--btf on something that is not BTF" 1 "$RMITRACE" report --btf /dev/null
expect_match "says it cannot read BTF" 'cannot read BTF from' "$err"
expect_exit "--btf on a directory" 1 "$RMITRACE" report --btf /
expect_eq "no program left after the failures" "$base_progs" "$(ours)"

done_testing
