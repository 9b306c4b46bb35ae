#!/usr/bin/env python3
"""Checks a timeline (Chrome trace-event JSON) against the ground truth.
TAP lines, no plan. Usage: check_timeline.py NAME TIMELINE TRUTH"""
import json
import sys
from collections import defaultdict

name, tl_path, truth_path = sys.argv[1:4]
fails = 0


def check(desc, want, got):
    global fails
    if want == got:
        print(f"ok - {name}: {desc}")
    else:
        fails += 1
        print(f"not ok - {name}: {desc}")
        print(f"# want {want!r}")
        print(f"# got  {got!r}")


try:
    tl = json.load(open(tl_path))
    check("valid JSON with traceEvents", True, isinstance(tl.get("traceEvents"), list))
except Exception as e:  # noqa: BLE001
    check(f"valid JSON ({e})", True, False)
    sys.exit(1)
truth = json.load(open(truth_path))
ev = tl["traceEvents"]
known = {"X", "i", "b", "e", "M"}
check("every event has a known phase and numeric pid/tid/ts", True,
      all(e.get("ph") in known and isinstance(e.get("pid"), int) and isinstance(e.get("tid"), int)
          and (e["ph"] == "M" or isinstance(e.get("ts"), (int, float))) for e in ev))

# complete slices nest: on each track a slice starts after the previous ends, or lies inside it
bad = 0
tracks = defaultdict(list)
for e in ev:
    if e["ph"] == "X":
        if e["dur"] < 0:
            bad += 1
        tracks[(e["pid"], e["tid"])].append((e["ts"], e["ts"] + e["dur"]))
for spans in tracks.values():
    spans.sort(key=lambda s: (s[0], -s[1]))
    stack = []
    for s, t in spans:
        while stack and s >= stack[-1] - 1e-6:
            stack.pop()
        if stack and t > stack[-1] + 1e-6:
            bad += 1
        stack.append(t)
check("every complete slice nests on its track", 0, bad)

# async PSCI windows: every begin has one end, same id
begins = defaultdict(int)
ends = defaultdict(int)
for e in ev:
    if e["ph"] == "b":
        begins[e["id"]] += 1
    elif e["ph"] == "e":
        ends[e["id"]] += 1
check("every PSCI window begins once and ends once", True,
      all(v == 1 for v in begins.values()) and begins.keys() == ends.keys())

t = truth["totals"]
check("REC run slices = successful REC exits", t["exits"],
      sum(1 for e in ev if e["ph"] == "X" and e["name"] == "REC run"))
check("refused REC_ENTER slices = failed REC_ENTERs", t["rec_enters"] - t["exits"],
      sum(1 for e in ev if e["ph"] == "X" and e["name"] == "REC_ENTER refused"))
check("exit instants = REC_ENTERs", t["rec_enters"],
      sum(1 for e in ev if e["ph"] == "i" and e.get("cat") == "exit"))
check("RMI call slices = RMI calls", t["rmi_calls"],
      sum(1 for e in ev if e["ph"] == "X" and e.get("cat") == "rmi"))
check("PSCI windows = windows opened", t["psci_opened"], len(begins))
open_at_end = sum(1 for e in ev if e["ph"] == "e" and e.get("args", {}).get("completion") == "still open at end")
check("windows still open at the end = never completed", t["psci_opened"] - t["psci_completed"], open_at_end)
procs = {e["pid"] for e in ev if e["ph"] == "M" and e["name"] == "process_name"}
check("a process per realm", sorted(r["pid"] for r in truth["realms"]), sorted(procs))
threads = sum(1 for e in ev if e["ph"] == "M" and e["name"] == "thread_name" and e["args"]["name"].startswith("vcpu")
              and not e["args"]["name"].endswith("RMI"))
check("a track per vCPU that ran", sum(1 for r in truth["realms"] for v in r["vcpus"] if v["rec_enters"]), threads)
sys.exit(1 if fails else 0)
