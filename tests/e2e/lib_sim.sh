# Helpers of the end-to-end suites: a tool attached to the simulated host.
# shellcheck shell=bash
SIM_DIR=${SIM_DIR:-$OUTPUT/sim}
TMP=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$TMP"' EXIT

# start_tool NAME CMD...: runs CMD in the background, stdout/stderr in
# $TMP/NAME.out/.err; waits until it says it attached (15 s at most).
start_tool() {
	local name=$1
	shift
	"$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
	eval "pid_$name=$!"
	for _ in $(seq 150); do
		grep -q 'attached' "$TMP/$name.err" 2>/dev/null && return 0
		kill -0 "$(eval echo \$pid_"$name")" 2>/dev/null || break
		sleep 0.1
	done
	diag "$name did not attach:"
	sed 's/^/#   /' "$TMP/$name.err"
	return 1
}

# stop_tool NAME: SIGINT, then wait; the exit status is in $rc
stop_tool() {
	local p
	p=$(eval echo \$pid_"$1")
	kill -INT "$p" 2>/dev/null
	wait "$p"
	rc=$?
}

# wait_for FILE REGEX [SECONDS]
wait_for() {
	for _ in $(seq $((${3:-30} * 10))); do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

need_bpf() {
	if [ "$(id -u)" != 0 ]; then
		if [ "${CI:-}" = true ]; then
			not_ok "BPF tests need root (CI runs as root)"
		else
			skip "BPF tests need root"
		fi
		return 1
	fi
	return 0
}

compare() { # NAME TRUTH REPORT [flags]
	python3 tests/e2e/compare_truth.py "$@" >"$TMP/cmp" 2>&1
	while IFS= read -r line; do
		case $line in
		"ok - "*) ok "${line#ok - }" ;;
		"not ok - "*) not_ok "${line#not ok - }" ;;
		*) echo "$line" ;;
		esac
	done <"$TMP/cmp"
}
