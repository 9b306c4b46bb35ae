#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Check a simhost ground-truth JSON for schema and internal consistency.

Usage: check_truth.py TRUTH.json   (exit 0 ok, 1 with a list of problems)

It does not re-derive the scenario: it checks that the numbers agree with
each other (enters = pre-enters, exits = successful enters, PSCI windows =
CPU_ON + AFFINITY_INFO exits, stuck / early-target shapes, RMI bookkeeping),
so a simulator bug shows up before a tool is blamed for it.
"""
import json
import sys

CPU_ON, AFFINITY_INFO = "0xc4000003", "0xc4000004"
RMI = {
    "VERSION": "0xc4000150", "GRANULE_DELEGATE": "0xc4000151",
    "GRANULE_UNDELEGATE": "0xc4000152", "REALM_ACTIVATE": "0xc4000157",
    "REALM_CREATE": "0xc4000158", "REALM_DESTROY": "0xc4000159",
    "REC_CREATE": "0xc400015a", "REC_DESTROY": "0xc400015b",
    "RTT_CREATE": "0xc400015d", "RTT_DESTROY": "0xc400015e",
    "PSCI_COMPLETE": "0xc4000164", "OP_CONTINUE": "0xc4000203",
    "OP_MEM_DONATE": "0xc4000208", "OP_MEM_RECLAIM": "0xc4000209",
}
errors = []


def err(where, msg):
    errors.append(f"{where}: {msg}")


def need(obj, keys, where):
    for k in keys:
        if k not in obj:
            err(where, f"missing key '{k}'")


def rmi_count(realm, name, status=None):
    fid = RMI[name]
    return sum(x["count"] for x in realm["rmi"]
               if x["fid"] == fid and (status is None or x["status"] == status))


def check_vcpu(v, realm, opts, where):
    need(v, ["vcpu_id", "mpidr", "tid", "started", "pre_enters", "rec_enters",
             "rec_enter_status", "exits", "esr_ec", "mmio", "psci_fids",
             "run_ns_total", "run_ns_planned"], where)
    st = v["rec_enter_status"]
    if v["rec_enters"] != v["pre_enters"]:
        err(where, "rec_enters != pre_enters")
    if sum(st.values()) != v["rec_enters"]:
        err(where, "rec_enter_status does not add up to rec_enters")
    ok = st.get("0x0", 0)
    if sum(v["exits"].values()) != ok:
        err(where, "exits do not add up to the successful REC enters")
    if sum(v["esr_ec"].values()) != v["exits"].get("0", 0):
        err(where, "esr_ec does not add up to the SYNC exits")
    if v["mmio"]["read"] + v["mmio"]["write"] > v["esr_ec"].get("0x24", 0):
        err(where, "more MMIO exits than data aborts")
    if sum(v["psci_fids"].values()) != v["exits"].get("3", 0):
        err(where, "psci_fids do not add up to the PSCI exits")
    if any(k not in ("0x0", "0x3") for k in st):
        err(where, f"unexpected REC_ENTER status {sorted(st)}")
    if v["started"] and v["vcpu_id"] and ok != opts["exits"]:
        err(where, f"{ok} exits, --exits is {opts['exits']}")
    if not v["started"] and v["rec_enters"]:
        err(where, "entered but never started")


def check_realm(r, d, where):
    opts = d["options"]
    need(r, ["index", "name", "pid", "kvm", "destroyed", "stuck", "vcpus", "rmi",
             "psci", "lifecycle", "rmm_protocol_errors"], where)
    if r["name"] != f"realm{r['index']}":
        err(where, f"name {r['name']}")
    if not r["destroyed"] or r["lifecycle"] != {"created": 1, "activated": 1, "destroyed": 1}:
        err(where, f"lifecycle {r['lifecycle']} destroyed={r['destroyed']}")
    if r["rmm_protocol_errors"]:
        err(where, f"{r['rmm_protocol_errors']} RMM protocol errors (host did not answer an exit)")
    if len(r["vcpus"]) != opts["vcpus"]:
        err(where, "wrong number of vCPUs")
    for v in r["vcpus"]:
        check_vcpu(v, r, opts, f"{where} vcpu{v['vcpu_id']}")

    # PSCI windows: one per CPU_ON / AFFINITY_INFO exit
    for v in r["vcpus"]:
        n = v["psci_fids"].get(CPU_ON, 0) + v["psci_fids"].get(AFFINITY_INFO, 0)
        w = [p for p in r["psci"] if p["vcpu_id"] == v["vcpu_id"]]
        if len(w) != n:
            err(where, f"vcpu{v['vcpu_id']}: {len(w)} windows for {n} PSCI exits needing completion")
    open_w = [p for p in r["psci"] if not p["completed"]]
    if r["stuck"]:
        v0 = r["vcpus"][0]
        if len(open_w) != 1 or open_w[0]["vcpu_id"] != 0 or open_w[0]["fid"] != CPU_ON:
            err(where, f"stuck realm must have one open CPU_ON window of vCPU 0: {open_w}")
        elif not 2 <= open_w[0]["error_rec_enters"] <= 5 or \
                open_w[0]["error_rec_enters"] != v0["rec_enter_status"].get("0x3", 0):
            err(where, "stuck window error_rec_enters do not match vCPU 0's RMI_ERROR_REC")
        if open_w and open_w[0]["status"] is not None:
            err(where, "open window with a status")
        if opts["vcpus"] > 1 and r["vcpus"][-1]["started"]:
            err(where, "stuck CPU_ON target started")
    elif open_w:
        err(where, f"open windows in a realm that is not stuck: {open_w}")
    for p in r["psci"]:
        if p["completed"] and p["status"] != "0x0":
            err(where, f"window completed with status {p['status']}")
    if rmi_count(r, "PSCI_COMPLETE") != len(r["psci"]) - len(open_w):
        err(where, "RMI_PSCI_COMPLETE calls != completed windows")

    early = d["scenario"]["early_target"]
    tgt_err = sum(p["target_error_rec_enters"] for p in r["psci"])
    if early and early["realm"] == r["index"]:
        ev = r["vcpus"][early["vcpu_id"]]
        if ev["rec_enter_status"].get("0x3", 0) != 1 or tgt_err != 1:
            err(where, "early target: expected exactly one RMI_ERROR_REC seen by its CPU_ON window")
    elif tgt_err:
        err(where, "target_error_rec_enters outside the early-target realm")

    # RMI bookkeeping
    nv = opts["vcpus"]
    for name, n in (("VERSION", 1), ("REALM_CREATE", 1), ("REALM_ACTIVATE", 1),
                    ("REALM_DESTROY", 1)):
        if rmi_count(r, name) != n:
            err(where, f"RMI_{name} called {rmi_count(r, name)} times")
    for x in r["rmi"]:
        fid = int(x["fid"], 16)
        if not 0xC4000150 <= fid <= 0xC400021F or x["count"] <= 0:
            err(where, f"bad rmi entry {x}")
    if d["variant"] == "v12":
        if rmi_count(r, "REC_CREATE", "0x0") != nv or rmi_count(r, "REC_DESTROY", "0x0") != nv:
            err(where, "REC_CREATE / REC_DESTROY != vCPUs")
        if rmi_count(r, "GRANULE_DELEGATE") != rmi_count(r, "GRANULE_UNDELEGATE"):
            err(where, "granules delegated != undelegated")
    else:
        if rmi_count(r, "REC_CREATE", "0x10d") != nv or rmi_count(r, "OP_CONTINUE", "0x0") != nv:
            err(where, "REC_CREATE SRO (INCOMPLETE+donate ... OP_CONTINUE) != vCPUs")
        if rmi_count(r, "REC_DESTROY", "0x20d") != nv or rmi_count(r, "OP_MEM_RECLAIM") != nv:
            err(where, "REC_DESTROY SRO (INCOMPLETE+reclaim, OP_MEM_RECLAIM) != vCPUs")
    if rmi_count(r, "RTT_CREATE", "0x0") != rmi_count(r, "RTT_DESTROY", "0x0"):
        err(where, "RTTs created != destroyed")


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        d = json.load(f)
    need(d, ["variant", "rmm_spec", "rmi_abi", "init_hook", "seed", "options", "scenario",
             "realms", "totals"], "top")
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 1
    if d["variant"] not in ("v12", "v14"):
        err("top", f"variant {d['variant']}")
    if len(d["realms"]) != d["options"]["realms"]:
        err("top", "wrong number of realms")
    if len(d["scenario"]["stuck_realms"]) != d["options"]["stuck"]:
        err("top", "stuck_realms does not match --stuck")
    for r in d["realms"]:
        if r["stuck"] != (r["index"] in d["scenario"]["stuck_realms"]):
            err(f"realm{r['index']}", "stuck flag disagrees with the scenario")
        check_realm(r, d, f"realm{r['index']}")

    t = d["totals"]
    vc = [v for r in d["realms"] for v in r["vcpus"]]
    sums = {
        "rec_enters": sum(v["rec_enters"] for v in vc),
        "rec_enter_errors": sum(v["rec_enters"] - v["rec_enter_status"].get("0x0", 0) for v in vc),
        "exits": sum(sum(v["exits"].values()) for v in vc),
        "rmi_calls": sum(x["count"] for r in d["realms"] for x in r["rmi"]),
        "psci_opened": sum(len(r["psci"]) for r in d["realms"]),
        "psci_completed": sum(p["completed"] for r in d["realms"] for p in r["psci"]),
    }
    sums["psci_open"] = sums["psci_opened"] - sums["psci_completed"]
    for k, v in sums.items():
        if t.get(k) != v:
            err("totals", f"{k} is {t.get(k)}, the realms add up to {v}")
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
