#!/bin/bash
# Live commands on a host that cannot run them: no CCA hooks, no privileges,
# a uprobe host that is not one. Each gives a clear error and exit 1.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

t() { "$RMITRACE" "$@"; }

# this machine's kernel has no CCA host support (no RME anywhere here)
expect_exit "stream (the default command) without CCA hooks" 1 t
expect_match "names what it looked for" 'no CCA hooks: looked for handle_rec_exit, kvm_rec_exit' "$err"
expect_match "suggests the simulated host" 'uprobe-host' "$err"
expect_exit "report without CCA hooks" 1 t report --duration 0.1
expect_exit "probes without CCA hooks" 1 t probes
expect_match "probes lists the missing hook" 'handle_rec_exit +- +handle_rec_exit +missing' "$out"
expect_eq "probes -j is JSON with every hook" "missing" \
	"$(t -j probes 2>/dev/null | jq -r '.hooks[] | select(.hook=="handle_rec_exit") | .state')"

# not privileged: names the capabilities
if need command -v setpriv; then
	expect_exit "unprivileged stream" 1 setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all "$RMITRACE" stream
	expect_match "names CAP_BPF and CAP_PERFMON" 'CAP_BPF and CAP_PERFMON' "$err"
fi

# uprobe hosts that are not
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "not an elf" >"$tmp/host"
expect_exit "uprobe host not ELF" 1 t stream --uprobe-host "$tmp/host"
expect_match "says not an ELF" 'not an ELF file' "$err"
expect_exit "uprobe host missing" 1 t stream --uprobe-host "$tmp/nonexistent"
expect_match "says no such file" 'No such file' "$err"
cp /bin/true "$tmp/nobtf"
expect_exit "uprobe host without BTF" 1 t stream --uprobe-host "$tmp/nobtf"
expect_match "says how to add BTF" 'pahole -J' "$err"
expect_exit "missing --btf file" 1 t stream --btf "$tmp/nonexistent"
expect_match "says cannot read BTF" 'cannot read BTF' "$err"
expect_exit "bad --ringbuf-size" 2 t stream --ringbuf-size 12Q
expect_exit "bad --duration" 2 t report --duration -1
expect_exit "bad --pid" 2 t stream --pid abc

done_testing
