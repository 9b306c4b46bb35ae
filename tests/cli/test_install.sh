#!/bin/bash
# make install PREFIX=... DESTDIR=...: everything where it belongs, runnable;
# make uninstall removes it again.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT

make -s install OUTPUT="$OUTPUT" SAN="${SAN:-}" PREFIX=/usr DESTDIR="$D" >"$D.log" 2>&1
expect_eq "make install succeeds" 0 $?
for f in usr/sbin/rmitrace usr/sbin/rmitop usr/sbin/rmi_exporter usr/share/man/man8/rmitrace.8 \
	usr/share/man/man8/rmitop.8 usr/share/man/man8/rmi_exporter.8 usr/share/man/man7/rmitools.7 \
	usr/share/bash-completion/completions/rmitrace usr/share/bash-completion/completions/rmitop \
	usr/share/bash-completion/completions/rmi_exporter usr/lib/systemd/system/rmi_exporter.service \
	usr/share/doc/rmitools/rmi_alerts.yml usr/share/doc/rmitools/rmitools-dashboard.json \
	usr/share/doc/rmitools/METRICS.md; do
	expect_eq "installed $f" yes "$([ -s "$D/$f" ] && echo yes)"
done
expect_eq "binaries are executable and run" 0 "$("$D/usr/sbin/rmitrace" -V >/dev/null; echo $?)"
expect_match "installed rmitrace decodes" 'RMI_REC_ENTER' "$("$D/usr/sbin/rmitrace" decode fid 0xC400015C)"
expect_match "unit points at the installed binary" 'ExecStart=/usr/sbin/rmi_exporter ' \
	"$(cat "$D/usr/lib/systemd/system/rmi_exporter.service")"
expect_eq "man pages are not executable" "" "$(find "$D/usr/share/man" -type f -perm /111)"
make -s uninstall OUTPUT="$OUTPUT" SAN="${SAN:-}" PREFIX=/usr DESTDIR="$D" >"$D.log" 2>&1
expect_eq "make uninstall succeeds" 0 $?
expect_eq "uninstall leaves no file behind" "" "$(find "$D" -type f)"
rm -f "$D.log"

done_testing
