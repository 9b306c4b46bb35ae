#!/usr/bin/env python3
"""Compares an rmitrace report (JSON) with the simulated host's ground truth.

Prints one TAP line per check (no plan: tests/lib.sh closes the plan).
Usage: compare_truth.py NAME TRUTH REPORT [--open-windows] [--names]
  --open-windows  realms were alive at report time (simulator --hold): stuck
                  windows must be open; teardown (state, RMI calls) not yet seen
  --names         realm names (kvmtool-style --name) must have been resolved
"""
import json
import sys

name, truth_path, rep_path = sys.argv[1:4]
flags = set(sys.argv[4:])
truth = json.load(open(truth_path))
rep = json.load(open(rep_path))
n_fail = 0


def check(desc, want, got):
    global n_fail
    if want == got:
        print(f"ok - {name}: {desc}")
    else:
        n_fail += 1
        print(f"not ok - {name}: {desc}")
        print(f"# want: {json.dumps(want, sort_keys=True)[:600]}")
        print(f"# got:  {json.dumps(got, sort_keys=True)[:600]}")


def h(x):
    return int(x, 16) if isinstance(x, str) else int(x)


check("no lost events", 0, rep["lost_events"])
check("no probe read errors", 0, rep["read_errors"])
check("no full maps", 0, rep["state_full"])
check("realm count", len(truth["realms"]), len(rep["realms"]))
by_pid = {r["pid"]: r for r in rep["realms"]}

for tr in truth["realms"]:
    rr = by_pid.get(tr["pid"])
    tag = f"realm {tr['name']}"
    if rr is None:
        check(f"{tag} present", tr["pid"], None)
        continue
    if "--names" in flags:
        check(f"{tag} name from the VMM command line", tr["name"], rr["name"])
    alive = "--open-windows" in flags
    want_state = "active" if alive or not tr["destroyed"] else "destroyed"
    check(f"{tag} state", want_state, rr["state"])

    # per vCPU: exits by reason, SYNC exits by ESR EC, failed REC_ENTERs by status
    want_v, got_v = {}, {}
    for v in tr["vcpus"]:
        if v["rec_enters"] == 0:
            continue  # a CPU_ON target that never ran: no hook ever sees it
        fails = {}
        for st, c in v["rec_enter_status"].items():
            if h(st) & 0xff:
                k = hex(h(st) & 0xff)
                fails[k] = fails.get(k, 0) + c
        want_v[v["vcpu_id"]] = {"exits": v["exits"], "esr_ec": {hex(h(k)): c for k, c in v["esr_ec"].items()},
                                "rec_enter_status": fails}
    for v in rr["vcpus"]:
        got_v[v["vcpu_id"]] = {"exits": v["exits"], "esr_ec": {hex(h(k)): c for k, c in v["esr_ec"].items()},
                               "rec_enter_status": v["rec_enter_status"]}
    check(f"{tag} exits per vCPU, reason, ESR class, REC_ENTER status", want_v, got_v)

    # RMI calls by FID (SVE hint masked) and result (status + index)
    want_r, got_r = {}, {}
    for c in tr["rmi"]:
        k = f"{h(c['fid']) & ~0x10000:#x}/{h(c['status']) & 0xffff:#x}"
        want_r[k] = want_r.get(k, 0) + c["count"]
    for c in rr["rmi"]:
        k = f"{h(c['fid']):#x}/{h(c['result']):#x}"
        got_r[k] = got_r.get(k, 0) + c["count"]
    if not alive:
        check(f"{tag} RMI calls per FID and result", want_r, got_r)
    names_ok = all(not c["name"].startswith("UNKNOWN") for c in rr["rmi"])
    check(f"{tag} every RMI FID decodes for spec {rep['spec']}", True, names_ok)

    # PSCI windows
    ps = tr["psci"]
    check(f"{tag} PSCI windows opened", len(ps), rr["psci"]["opened"])
    check(f"{tag} PSCI windows completed", sum(1 for w in ps if w["completed"]), rr["psci"]["completed"])
    check(f"{tag} RMI_ERROR_REC entries during open windows", sum(w["error_rec_enters"] for w in ps),
          rr["psci"]["error_rec_enters"])
    check(f"{tag} CPU_ON targets entered before completion", sum(w.get("target_error_rec_enters", 0) for w in ps),
          rr["psci"]["early_target_entries"])
    want_open = sorted((w["vcpu_id"], h(w["fid"]), h(w["target_mpidr"]), w["error_rec_enters"])
                       for w in ps if not w["completed"]) if "--open-windows" in flags else []
    got_open = sorted((w["vcpu_id"], h(w["fid"]), h(w["target_mpidr"]), w["error_rec_enters"])
                      for w in rr["psci"]["open"])
    check(f"{tag} open PSCI windows (vCPU, FID, target MPIDR, errors)", want_open, got_open)
    if "--open-windows" in flags:
        check(f"{tag} open windows have an age", True, all(w.get("age_ns", 0) > 0 for w in rr["psci"]["open"]))

t, g = truth["totals"], rep["totals"]
check("total exits", t["exits"], g["exits"])
check("total failed REC_ENTERs", t["rec_enters"] - t["exits"], g["rec_enter_failures"])
if "--open-windows" not in flags:
    check("total RMI calls", t["rmi_calls"], g["rmi_calls"])
check("total PSCI windows opened", t["psci_opened"], g["psci_opened"])
check("total PSCI windows completed", t["psci_completed"], g["psci_completed"])
sys.exit(1 if n_fail else 0)
