#!/bin/bash
# rmitrace decode / defs: output, JSON, and usage errors.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
REF=$RMI_REFERENCE_TSV

t() { "$RMITRACE" "$@"; }

expect_exit "decode fid" 0 t decode fid 0xC400015C
expect_match "fid text" '^RMI_REC_ENTER \(0xc400015c\) rmi_fid' "$out"
expect_eq "fid json name" RMI_REC_ENTER "$(t -j decode fid 0xC400015C | jq -r .name)"
expect_eq "fid with SVE hint" RMI_REC_ENTER "$(t -j decode fid 0xC401015C | jq -r .name)"
expect_eq "fid sve flag" true "$(t -j decode fid 0xC401015C | jq -r .sve_hint)"
expect_eq "fid by name" '"0xc400015c"' "$(t -j decode fid REC_ENTER | jq .value)"
expect_eq "fid reused across versions (1.0)" RMI_DATA_CREATE \
	"$(t -j --spec 1.0 decode fid 0xC4000153 | jq -r .name)"
expect_eq "fid reused across versions (2.0)" RMI_RTT_DATA_MAP_INIT \
	"$(t -j --spec 2.0 decode fid 0xC4000153 | jq -r .name)"
expect_eq "unknown fid" "UNKNOWN(0xc40002ff)" "$(t -j decode fid 0xC40002FF | jq -r .name)"
expect_eq "several values give an array" 3 "$(t -j decode fid 0xC4000150 0xC4000164 1 | jq length)"

expect_exit "decode status" 0 t decode status 0x204 --spec 1.0
expect_eq "status text" "RMI_ERROR_RTT level=2 (0x204)" "$out"
expect_eq "status json level" 2 "$(t -j decode status 0x204 --spec 1.0 | jq .level)"
expect_eq "status 2.0 incomplete" "DONATE true" \
	"$(t -j decode status 0x50d --spec 2.0 | jq -r '"\(.memreq) \(.can_cancel)"')"
expect_eq "status unknown in 1.0" "UNKNOWN(0xd)" \
	"$(t -j decode status 13 --spec 1.0 | jq -r .name)"

expect_eq "exit 3" RMI_EXIT_PSCI "$(t -j decode exit 3 | jq -r .name)"
expect_eq "exit 8 ambiguous in 2.0" "true" "$(t -j decode exit 8 | jq .ambiguous)"
expect_eq "exit 8 in 2.0-bet1" RMI_EXIT_VDEV_REQUEST \
	"$(t -j decode exit 8 --spec 2.0-bet1 | jq -r .name)"
expect_exit "exit 8 text says ambiguous" 0 t decode exit 8
expect_match "ambiguity explained" 'ambiguous: 2 definitions' "$out"

expect_eq "psci fid" PSCI_CPU_ON_SMC64 "$(t -j decode psci 0xC4000003 | jq -r .name)"
expect_eq "psci ret 32-bit" PSCI_DENIED "$(t -j decode psci 0xFFFFFFFD | jq -r .name)"
expect_eq "psci ret negative" PSCI_DENIED "$(t -j decode psci -- -3 | jq -r .name)"
expect_eq "ripas" RMI_RAM "$(t -j decode ripas 1 | jq -r .name)"
expect_eq "ripas DEV not in 1.0" "UNKNOWN(0x3)" "$(t -j --spec 1.0 decode ripas 3 | jq -r .name)"
expect_eq "rtt state" RMI_TABLE "$(t -j decode rtt-state 2 | jq -r .name)"
expect_eq "hipas" HIPAS_ASSIGNED "$(t -j decode hipas 1 | jq -r .name)"
expect_eq "rsi status" RSI_ERROR_DEVICE "$(t -j decode rsi-status 5 | jq -r .name)"
# S2SZ=48 (0x30), LPA2=1 (bit 8), NUM_BPS=5 (bits 19:14): 0x30 | 0x100 | 5<<14 = 0x14130
expect_eq "feat register 0 fields" "48 1 5" "$(t -j --spec 1.0 decode feat 0x14130 --reg 0 |
	jq -r '[.fields[] | select(.field=="S2SZ" or .field=="LPA2" or .field=="NUM_BPS") | .value] | join(" ")')"
expect_eq "esr decodes" DABT_LOW "$(t -j decode esr 0x93C08046 | jq -r .ec_name)"

# every -j output is valid JSON
bad=0
for args in "decode fid 0xC400015C" "decode status 0x204" "decode exit 8" "decode esr 0x5E000000" \
	"decode psci 0x84000004" "decode feat 0 --reg 1" "defs --kind exit"; do
	t -j $args | jq -e . >/dev/null || { bad=1; diag "invalid JSON: $args"; }
done
expect_eq "all JSON outputs parse" 0 "$bad"

if [ -f "$RMI_SHARED_TSV" ]; then
	expect_exit "in-tree include/rmi/defs.tsv is the reference, byte for byte" 0 \
		cmp include/rmi/defs.tsv "$RMI_SHARED_TSV"
else
	diag "no $RMI_SHARED_TSV beside the clone: checking against the in-tree copy"
fi

# defs: the whole table, and filters
if need test -f "$REF"; then
	rows=$(($(wc -l <"$REF") - 1))
	expect_eq "defs lists every reference row" "$rows" "$(t -j defs | jq length)"
	want=$(awk -F'\t' '$1=="exit_reason" && $4 ~ /(^|,)1\.0(,|$)/' "$REF" | wc -l)
	expect_eq "defs --kind exit --spec 1.0" "$want" "$(t -j defs --kind exit --spec 1.0 | jq length)"
fi
expect_exit "defs --name" 0 t defs --name REC_ENTER
expect_match "defs --name finds it" 'RMI_REC_ENTER +0xC400015C' "$out"

# usage errors: exit 2 and "rmitrace: error:" on stderr
expect_exit "unknown command" 2 t frobnicate
expect_match "unknown command message" '^rmitrace: error: unknown command' "$err"
expect_exit "unknown kind" 2 t decode bogus 1
expect_exit "bad value" 2 t decode fid notanumber
expect_match "bad value message" "^rmitrace: error: cannot decode 'notanumber'" "$err"
expect_exit "bad spec" 2 t decode fid 1 --spec 3.0
expect_match "bad spec message" "unknown spec version '3.0'" "$err"
expect_exit "bad flag" 2 t decode fid 1 --frob
expect_exit "missing value" 2 t decode fid
expect_exit "far on non-esr" 2 t decode fid 1 --far 0x10
expect_exit "trailing junk" 2 t decode fid 0x12zz
expect_exit "defs bad kind" 1 t defs --kind nosuchkind
expect_exit "help" 0 t --help
expect_match "help lists decode" 'decode KIND VALUE' "$out"
expect_exit "version" 0 t -V

done_testing
