#!/bin/bash
# Runs every test: cmocka unit tests (TAP output) and the shell suites under
# tests/cli and tests/e2e. Closes with "rmitools: N passed, N failed".
set -u
OUTPUT=${OUTPUT:-.output}
export OUTPUT
cd "$(dirname "$0")/.." || exit 1

passed=0 failed=0 skipped=0
failures=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count() { # name, log
	local p f s
	p=$(grep -cE '^ok [0-9]+' "$2" | head -1)
	s=$(grep -cE '^ok [0-9]+.*# (SKIP|skip)' "$2" | head -1)
	f=$(grep -cE '^not ok [0-9]+' "$2" | head -1)
	passed=$((passed + p - s))
	skipped=$((skipped + s))
	failed=$((failed + f))
	[ "$f" -gt 0 ] && failures+=("$1")
}

run_one() { # name, command...
	local name=$1 rc
	shift
	echo "== $name"
	"$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	count "$name" "$log"
	# a crash or a non-zero exit without any failed test line is a failure too
	if [ $rc -ne 0 ] && ! grep -qE '^not ok' "$log"; then
		echo "not ok - $name exited with status $rc"
		failed=$((failed + 1))
		failures+=("$name (exit $rc)")
	fi
}

. tests/reference.sh
echo "# RMI reference: $RMI_REFERENCE_TSV"
export CMOCKA_MESSAGE_OUTPUT=TAP
for t in "$OUTPUT"/tests/test_*; do
	[ -x "$t" ] || continue
	run_one "unit/$(basename "$t")" "$t"
done
for suite in tests/cli/*.sh tests/e2e/*.sh; do
	[ -f "$suite" ] || continue
	[ -n "${RMI_TEST_FILTER:-}" ] && [[ $suite != *"$RMI_TEST_FILTER"* ]] && continue
	run_one "${suite#tests/}" bash "$suite"
done

echo
[ ${#failures[@]} -gt 0 ] && printf 'failed: %s\n' "${failures[@]}"
if [ "$skipped" -gt 0 ]; then
	echo "rmitools: $passed passed, $failed failed, $skipped skipped"
else
	echo "rmitools: $passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
