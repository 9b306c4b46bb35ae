# Shared helpers of the shell test suites: TAP output, one line per check.
# shellcheck shell=bash
OUTPUT=${OUTPUT:-.output}
RMITRACE=${RMITRACE:-$OUTPUT/rmitrace}
. tests/reference.sh
_n=0
_failed=0

ok() { _n=$((_n + 1)); echo "ok $_n - $*"; }
not_ok() { _n=$((_n + 1)); _failed=$((_failed + 1)); echo "not ok $_n - $*"; }
skip() { _n=$((_n + 1)); echo "ok $_n # SKIP $*"; }
diag() { echo "# $*"; }

# expect_eq DESC WANT GOT
expect_eq() {
	if [ "$2" == "$3" ]; then ok "$1"; else not_ok "$1"; diag "want: $2"; diag "got:  $3"; fi
}

# expect_match DESC REGEX TEXT
expect_match() {
	if [[ $3 =~ $2 ]]; then ok "$1"; else not_ok "$1"; diag "want /$2/"; diag "got: $3"; fi
}

# expect_exit DESC WANT_STATUS CMD... (stdout+stderr of CMD in $out/$err)
expect_exit() {
	local desc=$1 want=$2 rc
	shift 2
	out=$("$@" 2>/tmp/rmi-test-err.$$)
	rc=$?
	err=$(cat /tmp/rmi-test-err.$$)
	rm -f /tmp/rmi-test-err.$$
	expect_eq "$desc (exit $want)" "$want" "$rc"
}

# ci_requires DESC COND...: under CI=true a missing prerequisite is a failure
need() {
	if "$@" >/dev/null 2>&1; then return 0; fi
	if [ "${CI:-}" = true ]; then not_ok "prerequisite: $*"; else skip "prerequisite: $*"; fi
	return 1
}

done_testing() {
	echo "1..$_n"
	[ "$_failed" -eq 0 ]
}
