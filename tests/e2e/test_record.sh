#!/bin/bash
# rmitrace record / report FILE: equals the ground truth and the live report;
# signals leave a complete file; kill -9, truncation, bit flips, a wrong
# version and a full disk give clear errors and keep every complete block.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/e2e/lib_sim.sh

need_bpf || { done_testing; exit; }
R=tests/e2e/recfile.py
counts='del(.duration_s, .source, .events) | .realms |= map(del(.by_reason, .name) |
	.rmi |= map({fid, result, count}) | .psci |= {opened, completed, error_rec_enters,
	early_target_entries, open: (.open | map({vcpu_id, fid, target_mpidr, error_rec_enters}))})'

for v in v12 v14; do
	SIM=$SIM_DIR/simhost-$v
	F=$TMP/$v.rec
	start_tool rec "$RMITRACE" record -o "$F" --uprobe-host "$SIM" || { not_ok "$v record"; continue; }
	start_tool live "$RMITRACE" -j report --uprobe-host "$SIM" || { not_ok "$v live"; continue; }
	"$SIM" --seed 31 --realms 3 --vcpus 4 --exits 300 --stuck 1 --truth "$TMP/truth.json" --quiet
	stop_tool live
	kill -TERM "$pid_rec"
	wait "$pid_rec"
	expect_eq "$v record stops cleanly on SIGTERM" 0 $?
	expect_match "$v record says how many events" '[0-9]+ events, 0 lost' "$(cat "$TMP/rec.err")"
	expect_exit "$v report FILE" 0 "$RMITRACE" -j report "$F"
	echo "$out" >"$TMP/replay.json"
	compare "$v replayed" "$TMP/truth.json" "$TMP/replay.json"
	expect_eq "$v replayed report equals the live one (counts)" \
		"$(jq -cS "$counts" "$TMP/live.out")" "$(jq -cS "$counts" "$TMP/replay.json")"
	expect_eq "$v spec from the file's metadata" "$(jq -r .spec "$TMP/live.out")" \
		"$(jq -r .spec "$TMP/replay.json")"
	expect_eq "$v the last block is a trailer" 2 "$(python3 $R blocks "$F" | jq '.[-1].type')"
done

# SIGINT, several blocks (one a second), then damage of every kind
SIM=$SIM_DIR/simhost-v14
F=$TMP/multi.rec
start_tool rec "$RMITRACE" record -o "$F" --uprobe-host "$SIM" || { done_testing; exit; }
"$SIM" --seed 32 --realms 2 --vcpus 2 --exits 6000 --rate 2000 --truth "$TMP/truth.json" --quiet
stop_tool rec
expect_eq "record stops cleanly on SIGINT" 0 "$rc"
python3 $R blocks "$F" >"$TMP/blocks.json"
nblk=$(jq length "$TMP/blocks.json")
expect_eq "a 3 s recording has several blocks" true "$([ "$nblk" -ge 4 ] && echo true)"
total=$(jq '[.[] | .n_events] | add' "$TMP/blocks.json")
expect_eq "blocks hold every event" "$total" "$("$RMITRACE" -j report "$F" | jq .events)"
"$RMITRACE" record -o "$F" --uprobe-host "$SIM" --duration 0.1 2>"$TMP/ow.err"
expect_eq "record refuses to overwrite without --force" 1 $?
expect_match "and says how" 'pass --force' "$(cat "$TMP/ow.err")"

# truncated in the middle of the third block: the first two are reported
cp "$F" "$TMP/trunc.rec"
cut=$(jq '.[2].payload_offset + 10' "$TMP/blocks.json")
truncate -s "$cut" "$TMP/trunc.rec"
want=$(jq '.[0].n_events + .[1].n_events' "$TMP/blocks.json")
expect_exit "truncated file" 1 "$RMITRACE" -j report "$TMP/trunc.rec"
expect_eq "truncated: the complete blocks are reported" "$want" "$(echo "$out" | jq .events)"
expect_match "truncated: says where" "block 2 at offset [0-9]+: truncated block" "$err"

# a flipped bit in the payload of block 1: block 0 is reported
cp "$F" "$TMP/flip.rec"
python3 $R flip "$TMP/flip.rec" "$(jq '.[1].payload_offset + 7' "$TMP/blocks.json")"
expect_exit "bit flip in a payload" 1 "$RMITRACE" -j report "$TMP/flip.rec"
expect_eq "bit flip: block 0 is reported" "$(jq '.[0].n_events' "$TMP/blocks.json")" \
	"$(echo "$out" | jq .events)"
expect_match "bit flip: checksum named" 'block 1 at offset [0-9]+: payload checksum mismatch' "$err"

# a flipped bit in a block header
cp "$F" "$TMP/hflip.rec"
python3 $R flip "$TMP/hflip.rec" "$(jq '.[1].offset + 20' "$TMP/blocks.json")"
expect_exit "bit flip in a block header" 1 "$RMITRACE" report "$TMP/hflip.rec"
expect_match "header flip: named" 'block 1 at offset [0-9]+: block header checksum' "$err"

# another format version
cp "$F" "$TMP/v99.rec"
python3 $R set-format "$TMP/v99.rec" 99
expect_exit "newer format version" 1 "$RMITRACE" report "$TMP/v99.rec"
expect_match "version: says which" 'record format 99 .* reads format 1' "$err"

# not a record at all
head -c 5000 /dev/urandom >"$TMP/garbage.rec"
expect_exit "random bytes" 1 "$RMITRACE" report "$TMP/garbage.rec"
expect_match "random bytes: not a record" 'not an rmitrace record' "$err"
: >"$TMP/empty.rec"
expect_exit "empty file" 1 "$RMITRACE" report "$TMP/empty.rec"
expect_exit "header only, cut in the metadata" 1 "$RMITRACE" report <(head -c 60 "$F")

# kill -9 mid-recording: complete blocks stay readable
F=$TMP/killed.rec
start_tool rec "$RMITRACE" record -o "$F" --uprobe-host "$SIM" || { done_testing; exit; }
"$SIM" --seed 33 --realms 2 --vcpus 2 --exits 20000 --rate 2000 --quiet >/dev/null &
simpid=$!
sleep 2.5
kill -KILL "$pid_rec"
wait "$pid_rec" 2>/dev/null
kill $simpid 2>/dev/null
wait $simpid 2>/dev/null
"$RMITRACE" -j report "$F" >"$TMP/killed.json" 2>"$TMP/killed.err"
krc=$?
expect_eq "killed recording: report works (0, or 1 at a cut block)" true \
	"$([ $krc = 0 ] || [ $krc = 1 ] && echo true)"
expect_eq "killed recording: events of the complete blocks" \
	"$(python3 $R blocks "$F" | jq '[.[] | select(.crc_ok) | .n_events] | add')" \
	"$(jq .events "$TMP/killed.json")"
expect_match "killed recording: no trailer is reported" 'no trailer|damaged' "$(cat "$TMP/killed.err")"

# disk full: a clear error, the file stays readable
mkdir -p "$TMP/full"
if mount -t tmpfs -o size=48k tmpfs "$TMP/full" 2>/dev/null; then
	"$RMITRACE" record -o "$TMP/full/f.rec" --uprobe-host "$SIM" 2>"$TMP/full.err" &
	fp=$!
	wait_for "$TMP/full.err" attached 15
	"$SIM" --seed 34 --realms 2 --vcpus 4 --exits 20000 --rate max --quiet >/dev/null
	sleep 1.5
	kill -INT $fp 2>/dev/null
	wait $fp
	expect_eq "disk full: record fails" 1 $?
	expect_match "disk full: says so" 'No space left on device' "$(cat "$TMP/full.err")"
	"$RMITRACE" -j report "$TMP/full/f.rec" >"$TMP/full.json" 2>/dev/null
	expect_eq "disk full: the file is readable" 0 $?
	expect_eq "disk full: complete blocks reported" true \
		"$([ "$(jq .events "$TMP/full.json")" -gt 0 ] && echo true)"
	umount "$TMP/full"
else
	need false mount tmpfs
fi

done_testing
