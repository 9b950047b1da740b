#!/bin/bash
# Run every kite test suite and count the results.
#
# A suite is a make target (or a co-simulation script) whose output holds one line per check:
# `PASS <name>` or `FAIL <name>: <why>`. A suite that exits non-zero without printing any FAIL
# line counts as one failure, so a crash or a build error is never silent. The last line of
# the output is `N passed, N failed`.
#
# Usage: scripts/run-tests.sh [SUITE...]      (default: all suites, in order)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
logdir=$build/test-logs
mkdir -p "$logdir"

total_pass=0
total_fail=0
failed_suites=""

# run_suite NAME CMD...: run CMD with its output in build/test-logs/NAME.log and on stdout.
run_suite() {
	local name=$1
	shift
	local log=$logdir/$name.log t0 t1 status p f
	echo "=== $name"
	t0=$(date +%s)
	"$@" > "$log" 2>&1
	status=$?
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

suites=${*:-"regs lint rtl usb bridge usbdev systest kernel dt driver driver-builds cosim-smoke cosim-usbtest cosim-dt cosim-robust cosim-suspend cosim-hid cosim-storage usbmon launcher"}
t_start=$(date +%s)
for s in $suites; do
	case $s in
	regs) run_suite regs make -s -C "$top" regs-check ;;
	lint) run_suite lint make -s -C "$top" rtl-lint usb-lint ;;
	rtl) run_suite rtl make -s -C "$top" rtl-test ;;
	usb) run_suite usb make -s -C "$top" usb-test ;;
	systest) run_suite systest make -s -C "$top" systest ;;
	bridge) run_suite bridge make -s -C "$top" sim-test ;;
	usbdev) run_suite usbdev make -s -C "$top" usbdev-test ;;
	kernel) run_suite kernel make -s -C "$top" kernel ;;
	driver) run_suite driver make -s -C "$top" driver-check ;;
	dt) run_suite dt "$top/scripts/dt-check.sh" ;;
	cosim-smoke)
		if run_suite cosim-build make -s -C "$top" cosim-build; then
			run_suite cosim-smoke "$top/scripts/cosim.sh" --script "$top/sw-tests/smoke.sh" --name smoke --timeout 300
		fi
		;;
	cosim-ctl) run_suite cosim-ctl "$top/scripts/cosim.sh" --script "$top/sw-tests/ctl.sh" --name ctl --port 0=gzero ;;
	cosim-usbtest)
		run_suite cosim-usbtest "$top/scripts/cosim.sh" --script "$top/sw-tests/usbtest.sh" \
			--name usbtest --port 0=gzero --timeout 900 ;;
	cosim-dt)
		run_suite cosim-dt "$top/scripts/cosim.sh" --script "$top/sw-tests/dt.sh" --name dt \
			--port 0=gzero --dtb "$build/dts/kite-uml-cosim.dtb" --timeout 300 ;;
	cosim-robust)
		run_suite cosim-robust "$top/scripts/cosim.sh" --script "$top/sw-tests/robust.sh" \
			--name robust --port 0=gzero --timeout 600 ;;
	cosim-suspend)
		run_suite cosim-suspend "$top/scripts/cosim.sh" --script "$top/sw-tests/suspend.sh" \
			--name suspend --port 0=gzero --timeout 600 ;;
	usbmon) run_suite usbmon "$top/scripts/test-usbmon-pcap.sh" ;;
	driver-builds) run_suite driver-builds "$top/scripts/driver-builds.sh" ;;
	cosim-hid)
		run_suite cosim-hid "$top/scripts/cosim.sh" --script "$top/sw-tests/hid.sh" --name hid \
			--port 0=kbd --timeout 600 ;;
	cosim-storage)
		run_suite cosim-storage "$top/scripts/cosim.sh" --script "$top/sw-tests/storage.sh" \
			--name storage --port 0=msc:blocks=8192 --timeout 600 ;;
	launcher) run_suite launcher "$top/scripts/test-launcher.sh" ;;
	*) echo "run-tests: unknown suite $s" >&2; total_fail=$((total_fail + 1)) ;;
	esac
done

echo "=== summary ($(( $(date +%s) - t_start ))s; logs in ${logdir#"$top"/})"
[ -z "$failed_suites" ] || echo "failed suites:$failed_suites"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
