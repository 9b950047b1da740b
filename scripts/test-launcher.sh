#!/bin/bash
# Tests of the co-simulation launcher (scripts/cosim.sh) as a user meets it: a script's exit
# status becomes the launcher's, WAVES writes an FST file, and a simulator that dies in the
# middle of a run makes the launcher fail quickly with a message and leave no process behind.
#
# Usage: scripts/test-launcher.sh [-t PATTERN]   (or KT_FILTER=PATTERN, docs/testing.md). The
# co-simulations it starts run their scripts unfiltered (--filter "").
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
tests=$top/sw-tests/launcher
. "$top/sim/testlib/kite_test.sh"
kt_args "$@"

# exit status
if want launcher-exit-status; then
	"$top/scripts/cosim.sh" --script "$tests/exit3.sh" --name launcher-exit3 --filter "" \
		> "$build/launcher-exit3.out" 2>&1
	st=$?
	if [ $st -eq 3 ]; then
		pass launcher-exit-status
	else
		fail launcher-exit-status "expected 3, got $st"
	fi
fi

# waves
if want launcher-waves; then
	fst=$build/cosim/launcher-waves.fst
	rm -f "$fst"
	"$top/scripts/cosim.sh" --script "$top/sw-tests/smoke.sh" --name launcher-waves --waves "$fst" \
		--filter "" > "$build/launcher-waves.out" 2>&1
	st=$?
	# An FST file starts with a header block (type 0) of 329 bytes: byte 0 is 0, then the length.
	if [ $st -eq 0 ] && [ -s "$fst" ] && [ "$(head -c 1 "$fst" | od -An -tu1 | tr -d ' ')" = 0 ] &&
		[ "$(stat -c %s "$fst")" -gt 1000 ]; then
		pass launcher-waves
	else
		fail launcher-waves "status $st, file $(ls -la "$fst" 2>&1)"
	fi
fi

# hold_start NAME: start a co-simulation of sw-tests/launcher/hold.sh in the background (its
# pid in $launcher, its output in $out) and wait until the guest is ready.
hold_start() {
	out=$build/$1.out
	rm -rf "$build/cosim/$1"
	"$top/scripts/cosim.sh" --script "$tests/hold.sh" --name "$1" --timeout 120 --filter "" \
		> "$out" 2>&1 &
	launcher=$!
	for _ in $(seq 1 300); do
		grep -aq HOLD-READY "$build/cosim/$1/console.log" 2>/dev/null && break
		sleep 0.1
	done
}

# the simulator dies in the middle of a run
if want launcher-sim-dies; then
	hold_start launcher-simdies
	sim_pid=$(pgrep -f "kite-sim --socket $build/cosim/launcher-simdies/" | head -1)
	if [ -z "$sim_pid" ]; then
		fail launcher-sim-dies "the guest never got ready or no simulator found"
		kill "$launcher" 2>/dev/null
	else
		t0=$(date +%s)
		kill -KILL "$sim_pid"
		wait "$launcher"
		st=$?
		dt=$(( $(date +%s) - t0 ))
		left=$(pgrep -f "$build/cosim/launcher-simdies/" | wc -l)
		if [ $st -ne 0 ] && [ "$dt" -lt 30 ] && grep -q "kite-sim died" "$out" && [ "$left" -eq 0 ]; then
			pass launcher-sim-dies
		else
			fail launcher-sim-dies "status $st after ${dt}s, $left processes left, output: $(tail -3 "$out" | tr '\n' ' ')"
		fi
	fi
fi

# the guest kernel dies in the middle of a run: the simulator must notice and exit by itself
if want launcher-uml-dies; then
	hold_start launcher-umldies
	uml_pids=$(pgrep -f "initrd=$build/cosim/launcher-umldies/")
	if [ -z "$uml_pids" ]; then
		fail launcher-uml-dies "the guest never got ready"
		kill "$launcher" 2>/dev/null
	else
		# shellcheck disable=SC2086
		kill -KILL $uml_pids
		wait "$launcher"
		st=$?
		# Processes already killed may take a moment to be reaped.
		for _ in $(seq 1 20); do
			left=$(pgrep -f "$build/cosim/launcher-umldies/" | wc -l)
			[ "$left" -eq 0 ] && break
			sleep 0.1
		done
		if [ $st -ne 0 ] && grep -q "without reporting an exit status" "$out" &&
			! grep -q "did not exit after the guest" "$out" &&
			grep -q "frontend disconnected" "$build/cosim/launcher-umldies/sim.log" && [ "$left" -eq 0 ]; then
			pass launcher-uml-dies
		else
			fail launcher-uml-dies "status $st, $left processes left, output: $(tail -3 "$out" | tr '\n' ' ')"
		fi
	fi
fi

kt_finish
