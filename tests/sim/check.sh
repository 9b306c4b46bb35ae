#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Self-check of the simulated CCA host (make sim-check): every hook is a
# global function, the kernel structs are in the BTF, the two variants lay
# them out differently, bad usage exits 2, and seeded runs are internally
# consistent and identical from one run to the next.
set -eu

OUTPUT=${OUTPUT:-.output}
dir=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

fail() {
	echo "sim-check: FAIL: $*" >&2
	exit 1
}

# the JSON without what changes from run to run (pids, tids, addresses, timing)
stable() {
	python3 - "$1" <<'PY'
import json, sys
def s(o):
    if isinstance(o, dict):
        return {k: s(v) for k, v in o.items()
                if k not in ("pid", "tid", "kvm") and not k.startswith("run_ns")}
    if isinstance(o, list):
        return [s(x) for x in o]
    return o
print(json.dumps(s(json.load(open(sys.argv[1]))), indent=1, sort_keys=True))
PY
}

for v in v12 v14; do
	bin=$OUTPUT/sim/simhost-$v
	[ -x "$bin" ] || fail "$bin is missing (make OUTPUT=$OUTPUT sim)"
	init=kvm_init_realm
	[ $v = v12 ] && init=kvm_init_realm_vm

	nm "$bin" >"$tmp/nm"
	for f in $init kvm_activate_realm kvm_destroy_realm kvm_rec_pre_enter kvm_rec_enter \
		handle_rec_exit realm_psci_complete arm_smccc_1_2_smc trace_kvm_entry trace_kvm_exit; do
		grep -q "^[0-9a-f]* T $f\$" "$tmp/nm" || fail "$v: $f is not a global function"
		grep -q " $f\.\(isra\|constprop\|part\|cold\)" "$tmp/nm" && fail "$v: $f has a compiler clone"
	done

	bpftool btf dump file "$bin" format c >"$tmp/btf.h" 2>/dev/null || fail "$v: no BTF (pahole -J)"
	for s in rec_enter rec_exit rec_run realm realm_rec realm_params kvm kvm_arch kvm_vcpu \
		kvm_vcpu_arch kvm_vcpu_fault_info kvm_cpu_context arm_smccc_1_2_regs; do
		grep -q "^struct $s {" "$tmp/btf.h" || fail "$v: struct $s is not in the BTF"
	done

	rc=0
	"$bin" --bogus >/dev/null 2>&1 || rc=$?
	[ $rc -eq 2 ] || fail "$v: a bad flag exits $rc, not 2"
	"$bin" --help | grep -q -- --early-target || fail "$v: --help"
	"$bin" --layout >"$tmp/layout-$v.json"

	for args in "" \
		"--realms 2 --vcpus 1 --exits 30 --stuck 1 --rate max" \
		"--realms 8 --vcpus 16 --exits 60 --stuck 3 --early-target --rate max --seed 9" \
		"--realms 3 --vcpus 3 --exits 300 --stuck 1 --early-target --seed 123456789 --run-ns 0"; do
		# shellcheck disable=SC2086
		"$bin" $args --quiet --truth "$tmp/a.json" || fail "$v [$args]: run failed"
		# shellcheck disable=SC2086
		"$bin" $args --quiet --truth "$tmp/b.json" || fail "$v [$args]: run failed"
		python3 "$dir/check_truth.py" "$tmp/a.json" || fail "$v [$args]: inconsistent ground truth"
		stable "$tmp/a.json" >"$tmp/a.txt"
		stable "$tmp/b.json" >"$tmp/b.txt"
		cmp -s "$tmp/a.txt" "$tmp/b.txt" || fail "$v [$args]: two runs with the same seed differ"
	done
	echo "sim-check: $v ok"
done

python3 - "$tmp/layout-v12.json" "$tmp/layout-v14.json" <<'PY' || fail "the variants share offsets CO-RE must relocate"
import json, sys
a, b = (json.load(open(p))["offsets"] for p in sys.argv[1:])
same = [k for k in ("kvm_vcpu.vcpu_id", "kvm_vcpu.arch.rec", "kvm.arch.realm") if a[k] == b[k]]
sys.exit(1 if same else 0)
PY
echo "sim-check: layouts differ (vcpu_id, arch.rec, kvm.arch.realm)"
