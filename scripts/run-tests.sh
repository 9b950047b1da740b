#!/bin/bash
# Run every kite test suite and count the results.
#
# A suite is a command (a make target, a co-simulation script) whose output holds one line per
# check: `PASS <name>` or `FAIL <name>: <why>`. A suite that exits non-zero without printing any FAIL
# line counts as one failure, so a crash or a build error is never silent. The last line of
# the output is `N passed, N failed`.
#
# Usage: scripts/run-tests.sh [SUITE...]      (default: all suites, in order; make print-suites)
# KT_FILTER=PATTERN (make test T=PATTERN) reaches every suite: each test binary and co-simulation
# script runs only the tests whose names match.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
logdir=$build/test-logs
mkdir -p "$logdir"

total_pass=0
total_fail=0
failed_suites=""

# run_suite NAME CMD...: run CMD with its output in build/test-logs/NAME.log and on stdout: the
# harness's progress lines (`kt: start ...`, `kt: end ...`, sim/testlib/kite_test.sh) as they
# come, the PASS/FAIL lines when it is done.
run_suite() {
	local name=$1
	shift
	local log=$logdir/$name.log t0 t1 status p f
	echo "=== $name"
	t0=$(date +%s)
	"$@" 2>&1 | tee "$log" | grep -a --line-buffered '^kt: '
	status=${PIPESTATUS[0]}
	t1=$(date +%s)
	# The PASS/FAIL lines; after a FAIL, the diagnostics a launcher prints under it ("  | ...",
	# blocked tasks), so that CI's output shows why without the log files.
	awk '/^(PASS|FAIL) / { print; ctx = /^FAIL /; n = 0; next }
	     ctx && (/^  \| / || /^cosim: the (guest|simulator)/) && n < 80 { print; n++; next }
	     { ctx = ctx && /^cosim: / }' "$log"
	p=$(grep -acE '^PASS ' "$log")
	f=$(grep -acE '^FAIL ' "$log")
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL $name: exited with status $status; last lines of $log:"
		tail -15 "$log" | sed 's/^/  | /'
		f=1
	fi
	echo "--- $name: $p passed, $f failed ($((t1 - t0))s)"
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	[ "$f" -eq 0 ] || failed_suites="$failed_suites $name"
	return "$f"
}

# The suites come from the makefiles (each folder's .mk declares its own: rtl/rtl.mk explains
# how): `make print-suites` prints one line per suite, NAME<TAB>ROLE<TAB>COMMAND, in order. ROLE
# `gate` marks a build step whose failure skips the suite after it (the co-simulation's build
# gates the first co-simulation suite); an empty COMMAND is an unknown suite.
only=()
[ $# -eq 0 ] || only=(PRINT_SUITES="$*")
mapfile -t lines < <(make -s --no-print-directory -C "$top" print-suites "${only[@]}")
if [ "${#lines[@]}" -eq 0 ]; then
	echo "FAIL run-tests: make print-suites listed no suite"
	echo "0 passed, 1 failed"
	exit 1
fi
t_start=$(date +%s)
skip=0
for line in "${lines[@]}"; do
	IFS=$'\t' read -r name role cmd <<< "$line"
	if [ "$skip" -eq 1 ]; then
		skip=0
		continue
	fi
	if [ -z "$cmd" ]; then
		echo "run-tests: unknown suite $name" >&2
		total_fail=$((total_fail + 1))
	elif [ "$role" = gate ]; then
		run_suite "$name" bash -c "$cmd" || skip=1
	else
		run_suite "$name" bash -c "$cmd"
	fi
done

echo "=== summary ($(( $(date +%s) - t_start ))s; logs in ${logdir#"$top"/})"
[ -z "$failed_suites" ] || echo "failed suites:$failed_suites"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
