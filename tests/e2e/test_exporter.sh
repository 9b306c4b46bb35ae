#!/bin/bash
# rmi_exporter on the simulated host: promtool-clean exposition equal to the
# ground truth, a real Prometheus scraping it, alert rules tested, hostile
# clients bounded, TLS and basic auth, privileges dropped, clean SIGTERM.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/e2e/lib_sim.sh
EXP=${EXP:-$OUTPUT/rmi_exporter}
SIM=$SIM_DIR/simhost-v14
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

expect_exit "bad listen address" 2 "$EXP" --web.listen-address=nohost
expect_match "says what it wants" 'ADDR:PORT' "$err"
printf 'tls_server_config:\n  cert_file: a\n  key_fil: b\n' >"$TMP/bad.yml"
expect_exit "unknown web config key" 2 "$EXP" --web.config.file="$TMP/bad.yml"
expect_match "names the key and line" "line 3: tls_server_config.key_fil is not supported" "$err"
printf 'basic_auth_users:\n  alice: plaintext\n' >"$TMP/bad2.yml"
expect_exit "plain-text password refused" 2 "$EXP" --web.config.file="$TMP/bad2.yml"
expect_match "wants bcrypt" 'not a bcrypt hash' "$err"
expect_exit "no CCA hooks" 1 "$EXP" --web.listen-address=127.0.0.1:$(port)

need_bpf || { done_testing; exit; }
for t in promtool prometheus curl openssl htpasswd; do need command -v $t || { done_testing; exit; }; done

# --- a scrape after a whole run: promtool clean, counters equal the truth
P=$(port)
start_tool exp "$EXP" --uprobe-host "$SIM" --web.listen-address=127.0.0.1:$P ||
	{ done_testing; exit; }
expect_eq "serves as an unprivileged user" 65534 "$(awk '/^Uid:/ {print $3}' /proc/$pid_exp/status)"
expect_eq "with no capabilities left" 0000000000000000 "$(awk '/^CapEff:/ {print $2}' /proc/$pid_exp/status)"
"$SIM" --seed 61 --realms 3 --vcpus 4 --exits 300 --stuck 1 --hold 15 --truth "$TMP/truth.json" \
	2>"$TMP/sim.err" &
simpid=$!
wait_for "$TMP/sim.err" holding 60
stats_was=$(sysctl -n kernel.bpf_stats_enabled)
sysctl -q kernel.bpf_stats_enabled=1 # the BPF run-time self-metrics appear
sleep 0.3
curl -sf "http://127.0.0.1:$P/metrics" >"$TMP/m.txt"
expect_eq "scrape succeeds" 0 $?
sysctl -q kernel.bpf_stats_enabled="$stats_was"
# the truth is written when the realms end; no exit happens during --hold
kill -TERM $simpid
wait $simpid
promtool check metrics <"$TMP/m.txt" >"$TMP/promtool.out" 2>&1
expect_eq "promtool check metrics is clean" "0 " "$? $(cat "$TMP/promtool.out")"
T=$TMP/truth.json
sum() { awk -v m="$1" '$1 ~ "^"m"({|$)" {s += $NF} END {printf "%d", s}' "$TMP/m.txt"; }
expect_eq "rmi_rec_exits_total = exits" "$(jq .totals.exits "$T")" "$(sum rmi_rec_exits_total)"
expect_eq "rmi_rec_enter_failures_total = failed REC_ENTERs" \
	"$(jq '.totals.rec_enters - .totals.exits' "$T")" "$(sum rmi_rec_enter_failures_total)"
expect_eq "rmi_psci_windows_opened_total" "$(jq .totals.psci_opened "$T")" \
	"$(sum rmi_psci_windows_opened_total)"
expect_eq "rmi_psci_windows_open: the stuck one" 1 "$(sum rmi_psci_windows_open)"
expect_eq "its age is there" 1 \
	"$(awk '/^rmi_psci_window_oldest_age_seconds\{/ && $NF > 0' "$TMP/m.txt" | wc -l)"
expect_eq "realm names from the VMM command line" 3 \
	"$(grep -cE '^rmi_realm_info\{realm="realm[0-2]",pid=' "$TMP/m.txt")"
expect_eq "HELP and TYPE lines" 1 "$(grep -c '^# TYPE rmi_rec_run_seconds histogram' "$TMP/m.txt")"
expect_eq "BPF run time exported when kernel stats are on" 1 \
	"$(grep -c '^rmi_exporter_bpf_stats_enabled 1' "$TMP/m.txt")"
expect_eq "every histogram: buckets rise and le=+Inf equals _count" ok "$(python3 - "$TMP/m.txt" <<'PY'
import re, sys
buckets, counts = {}, {}
for line in open(sys.argv[1]):
    m = re.match(r'(\w+)_bucket\{(.*),le="([^"]+)"\} (\S+)', line)
    if m:
        buckets.setdefault((m[1], m[2]), []).append(float(m[4]))
    m = re.match(r'(\w+)_count\{(.*)\} (\S+)', line)
    if m:
        counts[(m[1], m[2])] = float(m[3])
bad = [k for k, v in buckets.items() if v != sorted(v) or v[-1] != counts.get(k)]
print("ok" if buckets and not bad else f"bad {bad[:3]}")
PY
)"
# contrib uses only metrics that exist
for m in $(grep -ohE 'rmi_[a-z_]+(\{|\[| |\)|$)' contrib/prometheus/rmi_alerts.yml \
	contrib/grafana/rmitools-dashboard.json | grep -oE 'rmi_[a-z_]+' |
	sed -E 's/_(bucket|count|sum)$//' | grep -vx rmi_exporter | sort -u); do
	grep -q "^# TYPE $m " "$TMP/m.txt" || bad_metric="$bad_metric $m"
done
expect_eq "every metric in contrib/ rules and dashboard exists" "" "${bad_metric:-}"
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
expect_eq "/ is a page with a link" "200 yes" \
	"$(code "http://127.0.0.1:$P/") $(curl -s "http://127.0.0.1:$P/" | grep -q 'href="/metrics"' && echo yes)"
expect_eq "other paths 404" 404 "$(code "http://127.0.0.1:$P/nope")"
expect_eq "POST is refused" 405 "$(code -X POST "http://127.0.0.1:$P/metrics")"

# --- a real Prometheus scrapes it; PromQL equals the truth after the run
PP=$(port)
cat >"$TMP/prom.yml" <<YML
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - job_name: rmi
    static_configs: [{targets: ['127.0.0.1:$P']}]
YML
prometheus --config.file="$TMP/prom.yml" --storage.tsdb.path="$TMP/tsdb" \
	--web.listen-address=127.0.0.1:$PP >"$TMP/prom.log" 2>&1 &
prompid=$!
"$SIM" --seed 62 --realms 2 --vcpus 3 --exits 300 --truth "$TMP/truth2.json" --quiet
q() { curl -sf "http://127.0.0.1:$PP/api/v1/query" --data-urlencode "query=$1" |
	jq -r '.data.result | map(.value[1]) | join(",")'; }
want=$(( $(jq .totals.exits "$TMP/truth.json") + $(jq .totals.exits "$TMP/truth2.json") ))
got=""
for _ in $(seq 60); do
	got=$(q 'sum(rmi_rec_exits_total)' 2>/dev/null)
	[ "$got" = "$want" ] && break
	sleep 0.5
done
expect_eq "Prometheus: sum(rmi_rec_exits_total) = exits of both runs" "$want" "$got"
want=$(jq -r '[.realms[].vcpus[].exits."3" // 0] | add' "$TMP/truth2.json")
expect_eq "Prometheus: PSCI exits of the second run's realms" "$want" \
	"$(q "sum(rmi_rec_exits_total{reason=\"PSCI\",pid=~\"$(jq -r '[.realms[].pid] | join("|")' "$TMP/truth2.json")\"})")"
want=$(jq '[.realms[].rmi[] | select(.fid=="0xc400015d") | .count] | add' "$TMP/truth2.json")
expect_eq "Prometheus: RTT_CREATE calls of the second run" "$want" \
	"$(q "sum(rmi_calls_total{fid=\"RTT_CREATE\",pid=~\"$(jq -r '[.realms[].pid] | join("|")' "$TMP/truth2.json")\"})")"
expect_eq "Prometheus: the target is up" 1 "$(q 'up{job="rmi"}')"
kill $prompid
wait $prompid 2>/dev/null

# --- alert rules, firing and not
(cd contrib/prometheus && promtool test rules rmi_alerts_test.yml >"$TMP/rules.out" 2>&1)
expect_eq "promtool test rules: every alert fires and stays quiet as it should" 0 $?

# --- hostile clients: the server stays bounded and keeps serving
big=$(head -c 60000 /dev/zero | tr '\0' a)
expect_eq "oversized header refused" true \
	"$(c=$(code -H "X-Big: $big" "http://127.0.0.1:$P/metrics"); [ "$c" != 200 ] && echo true)"
exec 3<>/dev/tcp/127.0.0.1/$P
printf 'THIS IS NOT HTTP\r\n\r\n' >&3
resp=$(timeout 5 head -c 100 <&3)
exec 3<&-
expect_match "malformed request gets 400" '^HTTP/1\.[01] 400' "$resp"
exec 4<>/dev/tcp/127.0.0.1/$P
printf 'GET /metrics HTTP/1.1\r\nHost: x\r\n' >&4 # never finished: a slow client
expect_eq "a slow client does not block others" 200 "$(code -m 5 "http://127.0.0.1:$P/metrics")"
python3 - "$P" >"$TMP/many.out" <<'PY'
import socket, sys, time
port = int(sys.argv[1]); socks = []
for _ in range(300):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=2); socks.append(s)
    except OSError:
        pass
time.sleep(0.5)
print(len(socks))
PY
expect_eq "300 idle connections later it still serves" 200 "$(code -m 10 "http://127.0.0.1:$P/metrics")"
exec 4<&-
expect_eq "still the same process" 0 "$(kill -0 $pid_exp; echo $?)"
rss=$(awk '/^VmRSS:/ {print $2}' /proc/$pid_exp/status)
expect_eq "memory stays bounded (< 64 MiB)" true "$([ "$rss" -lt 65536 ] && echo true)"
stop_tool exp
expect_eq "SIGTERM: clean exit" 0 "$rc"
expect_match "SIGTERM: says so" 'stopping' "$(cat "$TMP/exp.err")"

# --- TLS and basic auth
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
hash=$(htpasswd -nbBC 10 alice s3cret | cut -d: -f2)
printf 'tls_server_config:\n  cert_file: %s\n  key_file: %s\nbasic_auth_users:\n  alice: %s\n' \
	"$TMP/cert.pem" "$TMP/key.pem" "$hash" >"$TMP/web.yml"
P=$(port)
start_tool tls "$EXP" --uprobe-host "$SIM" --web.listen-address=127.0.0.1:$P \
	--web.config.file="$TMP/web.yml" || { done_testing; exit; }
U=https://127.0.0.1:$P/metrics
expect_eq "TLS + right password: 200" 200 "$(code --cacert "$TMP/cert.pem" -u alice:s3cret "$U")"
expect_eq "TLS + wrong password: 401" 401 "$(code --cacert "$TMP/cert.pem" -u alice:wrong "$U")"
expect_eq "TLS + unknown user: 401" 401 "$(code --cacert "$TMP/cert.pem" -u bob:s3cret "$U")"
expect_eq "TLS + no credentials: 401" 401 "$(code --cacert "$TMP/cert.pem" "$U")"
expect_eq "plain HTTP to the TLS port is refused" true \
	"$(c=$(code -m 5 -u alice:s3cret "http://127.0.0.1:$P/metrics"); [ "$c" != 200 ] && echo true)"
expect_match "says TLS and auth at start" 'serving https://.* \(basic auth\)' "$(cat "$TMP/tls.err")"
stop_tool tls

done_testing
