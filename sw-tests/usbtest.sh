#!/bin/sh
# Linux's own USB host controller tests against the gadget-zero model: drivers/usb/misc/usbtest.c
# driven by tools/usb/testusb.c, the parameter sets of tools/usb/hcd-tests.sh at reduced counts
# (USBTEST_SCALE=N multiplies them; sw-tests/usbtest-soak.sh replaces the tables with
# hcd-tests.sh's own, and USBTEST_DIV=N divides the counts, at least 1). As in hcd-tests.sh, only
# the OUT tests vary their length (3, 7): an IN URB whose length is not a multiple of the packet
# size overflows against gadget zero's full-size packets, and -EOVERFLOW is then the right answer.
# Each test prints the harness's progress lines (kt_start).
# Run with: scripts/cosim.sh --script sw-tests/usbtest.sh --port 0=gzero
. /kite/tests/lib.sh

scale=${USBTEST_SCALE:-1}
div=${USBTEST_DIV:-1}

# The tests, one a line: NAME (the test is usbtest-NAME), COUNT (testusb's -c, times
# USBTEST_SCALE; - for none) and testusb's other arguments; usbtest_bulk, usbtest_iso and
# usbtest_intr in the environment replace them. With alt setting 0 of gadget zero's source/sink
# interface (the -400k tests: one scatter-gather request of 100 x 4 KiB, 0.34 s of bus time;
# usbtest allows a request 10 s, which failed when the guest read the host's clock):
bulk=${usbtest_bulk:-'t0 - -t 0
t1-bulk-out 20 -t 1 -s 512
t2-bulk-in 20 -t 2 -s 512
t3-bulk-out-vary 20 -t 3 -v 421
t4-bulk-in 20 -t 4
t5-sg-out 4 -t 5 -g 8 -s 1024
t6-sg-in 4 -t 6 -g 8 -s 1024
t7-sg-out-vary 4 -t 7 -g 8 -v 579
t8-sg-in 4 -t 8 -g 8
t5-sg-out-400k 1 -t 5 -g 100 -s 4096
t6-sg-in-400k 1 -t 6 -g 100 -s 4096
t9-ch9 5 -t 9
t10-queued-control 5 -t 10
t11-unlink-in 5 -t 11
t12-unlink-out 5 -t 12
t13-halt 5 -t 13
t14-control-write-read 5 -t 14 -s 256 -v 1
t17-bulk-out-odd 5 -t 17 -s 512
t18-bulk-in-odd 5 -t 18 -s 512
t19-bulk-out-odd-premapped 5 -t 19 -s 512
t20-bulk-in-odd-premapped 5 -t 20 -s 512
t21-control-odd 5 -t 21 -s 256 -v 1
t24-unlink-queue 2 -t 24
t27-bulk-out-throughput 5 -t 27 -s 4096 -g 8
t28-bulk-in-throughput 5 -t 28 -s 4096 -g 8
t29-toggle-after-clear-halt 5 -t 29'}
# Isochronous, with alt setting 1. gadget zero's iso endpoints are polled every 8 frames at full
# speed, and a simulated frame takes about 0.4 s of wall time: a few packets per test.
iso=${usbtest_iso-'t15-iso-out 1 -t 15 -g 4 -v 0 -s 1023
t16-iso-in 1 -t 16 -g 4 -v 0 -s 1023
t22-iso-out-odd 1 -t 22 -g 4 -v 0 -s 1023
t23-iso-in-odd 1 -t 23 -g 4 -v 0 -s 1023'}
# Interrupt transfers, with the gadget-zero variant that has interrupt endpoints in its place.
intr=${usbtest_intr-'t25-int-out 10 -t 25 -s 64
t26-int-in 10 -t 26 -s 64'}

# names TABLE: the test names of a table.
names() {
	echo "$1" | while read -r n _; do echo "usbtest-$n"; done
}
# want_table TABLE: some test of the table is selected (none in an empty table).
want_table() {
	[ -n "$1" ] || return 1
	# shellcheck disable=SC2046
	want_any $(names "$1")
}

# Nothing selected: not even the driver is loaded.
want_any usbtest-enumerated usbtest-tracepoints || want_table "$bulk" || want_table "$iso" ||
	want_table "$intr" || { kt_finish; exit; }

kite_load selftest=0 || { fail usbtest-load "insmod failed"; exit 1; }

# Wait for gadget zero to enumerate.
if wait_until 20 gzero_present; then
	pass usbtest-enumerated
else
	fail usbtest-enumerated "gadget zero (0525:a4a0) did not appear"
	dmesg | tail -30
	exit 1
fi
insmod "$KITE_MODULES/usbtest.ko" || { fail usbtest-insmod "insmod usbtest failed"; exit 1; }
sleep 1

# run NAME ARGS...: one testusb invocation, PASS/FAIL by its status (if usbtest-NAME is selected).
run() {
	name=$1
	shift
	want "usbtest-$name" || return 0
	kt_start "usbtest-$name"
	# testusb's exit status does not reflect a failed test (with -a it drops the threads'
	# results): a test passed when it printed its "test N, S secs" line and no "--> errno" line.
	out=$(testusb -a "$@" 2>&1 < /dev/null)
	tnum=$(echo "$*" | sed -n 's/.*-t \([0-9]*\).*/\1/p')
	if echo "$out" | grep -q -- "-->"; then
		echo "$out" | tail -5
		fail "usbtest-$name" "testusb $*: $(echo "$out" | grep -- '-->' | head -1)"
	elif echo "$out" | grep -q "test $tnum, "; then
		echo "$out" | tail -2
		pass "usbtest-$name"
	else
		echo "$out" | tail -5
		fail "usbtest-$name" "testusb $* printed no result for test $tnum"
	fi
}

# run_table TABLE: run the (selected) tests of a table.
run_table() {
	while read -r n cnt args; do
		# shellcheck disable=SC2086
		if [ "$cnt" = - ]; then
			run "$n" $args
		else
			c=$((cnt * scale / div))
			run "$n" $args -c $((c > 0 ? c : 1))
		fi
	done <<EOF
$1
EOF
}

# The driver's tracepoints (driver/kite_trace.h): one traced scatter-gather write shows, in this
# order, the URB queued with its 8 segments mapped (no bounce buffer), the doorbell, the
# controller's SUCCESS transfer event and the giveback of all 8192 bytes.
if want usbtest-tracepoints; then
	tracing=/sys/kernel/tracing
	[ -d "$tracing/events" ] || mount -t tracefs tracefs "$tracing"
	if [ -d "$tracing/events/kite" ]; then
		echo > "$tracing/trace"
		echo 1 > "$tracing/events/kite/enable"
		testusb -a -t 5 -g 8 -s 1024 -c 1 > /tmp/trace-run.out 2>&1
		echo 0 > "$tracing/events/kite/enable"
		cat "$tracing/trace" > /tmp/kite.trace
		if awk 'st == 0 && /kite_urb_enqueue: .* ep[0-9]+out bulk len 8192 sgs 8\/8 / { st = 1; next }
			st == 1 && /kite_doorbell: ctx / { st = 2; next }
			st == 2 && /kite_event: .* transfer .* code 1 / { st = 3; next }
			st == 3 && /kite_urb_giveback: .* len 8192\/8192 status 0/ { st = 4 }
			END { exit st != 4 }' /tmp/kite.trace; then
			pass usbtest-tracepoints
		else
			grep -v '^#' /tmp/kite.trace | head -20
			fail usbtest-tracepoints "no enqueue/doorbell/event/giveback sequence for the sg write"
		fi
	else
		fail usbtest-tracepoints "no kite trace events in $tracing/events"
	fi
fi

run_table "$bulk"
rmmod usbtest

# Isochronous: usbtest uses alt setting 1 of the source/sink interface.
if want_table "$iso"; then
	insmod "$KITE_MODULES/usbtest.ko" alt=1 || fail usbtest-insmod-alt1 "insmod usbtest alt=1 failed"
	sleep 1
	run_table "$iso"
	rmmod usbtest
fi

# Interrupt transfers: the gadget-zero variant with interrupt endpoints, plugged in its place.
if ! want_table "$intr"; then
	:
elif kite_ctl unplug 0 && sleep 1 && kite_ctl plug 0 gzero:intr=1; then
	wait_until 20 gzero_present
	sleep 1
	insmod "$KITE_MODULES/usbtest.ko" || fail usbtest-insmod-intr "insmod usbtest failed"
	sleep 1
	run_table "$intr"
	rmmod usbtest
else
	fail usbtest-replug "could not swap in the interrupt variant: $kite_ctl_reply"
fi

kite_unload
kt_finish
