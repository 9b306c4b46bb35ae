#!/bin/bash
# Any binary that follows the host contract works, not only our simulator:
# a minimal host with its own struct layouts and only handle_rec_exit. The
# hooks it lacks are reported missing; what it has is counted exactly.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/e2e/lib_sim.sh

need_bpf || { done_testing; exit; }
HOST=$TMP/minihost
cc -g -O2 -o "$HOST" tests/e2e/minihost.c && pahole -J "$HOST"
expect_eq "minimal host built with BTF" 0 $?

expect_exit "probes on the minimal host" 0 "$RMITRACE" -j probes --uprobe-host "$HOST"
expect_eq "handle_rec_exit attached" attached \
	"$(echo "$out" | jq -r '.hooks[] | select(.hook=="handle_rec_exit") | .state')"
expect_eq "the other hooks reported missing" "missing missing missing missing missing missing" \
	"$(echo "$out" | jq -r '[.hooks[] | select(.hook!="handle_rec_exit" and .hook!="realm_psci_complete") | .state] | join(" ")')"
expect_eq "a post-v14 realm_psci_complete(source, status) is refused, not misread" failed \
	"$(echo "$out" | jq -r '.hooks[] | select(.hook=="realm_psci_complete") | .state')"
expect_match "and the reason names both signatures" \
	'unexpected signature realm_psci_complete\(struct kvm_vcpu \*, u64\), want \(struct kvm_vcpu \*, struct kvm_vcpu \*, u64\)' \
	"$(echo "$out" | jq -r '.hooks[] | select(.hook=="realm_psci_complete") | .why')"

start_tool mini "$RMITRACE" -j report --uprobe-host "$HOST" || { done_testing; exit; }
# a host process that starts and ends within ~50 ms of "attached" can be
# missed on this kernel (docs/RELIABILITY.md); real VMMs live longer
sleep 0.3
"$HOST" 5000 >"$TMP/truth.json"
stop_tool mini
expect_eq "report exit status" 0 "$rc"
expect_eq "exits per reason through a different layout" "$(jq -c .exits "$TMP/truth.json")" \
	"$(jq -c '.realms[0].vcpus[0].exits' "$TMP/mini.out")"
expect_eq "vCPU id read through CO-RE" 3 "$(jq '.realms[0].vcpus[0].vcpu_id' "$TMP/mini.out")"
expect_eq "ESR class of the SYNC exits" "$(jq '.exits."0"' "$TMP/truth.json")" \
	"$(jq '.realms[0].vcpus[0].esr_ec."0x24"' "$TMP/mini.out")"
expect_eq "no read errors" 0 "$(jq .read_errors "$TMP/mini.out")"

# a host whose required hook has another signature: refused, with a message
cc -g -O2 -DWRONG_SIG -o "$TMP/wrong" tests/e2e/minihost.c && pahole -J "$TMP/wrong"
expect_exit "a required hook with the wrong signature is refused" 1 \
	"$RMITRACE" report --uprobe-host "$TMP/wrong" --duration 0.1
expect_match "the error shows found and wanted" \
	'error: unexpected signature handle_rec_exit\(int, struct kvm_vcpu \*\), want \(struct kvm_vcpu \*, int\)' "$err"
expect_exit "probes lists it as failed" 1 "$RMITRACE" -j probes --uprobe-host "$TMP/wrong"
expect_eq "state failed" failed "$(echo "$out" | jq -r '.hooks[] | select(.hook=="handle_rec_exit") | .state')"

done_testing
