#!/bin/sh
# Linux's own USB host controller tests against the gadget-zero model: drivers/usb/misc/usbtest.c
# driven by tools/usb/testusb.c, the parameter sets of tools/usb/hcd-tests.sh at reduced counts
# (USBTEST_SCALE=N multiplies them, as `make soak` does). As in hcd-tests.sh, only the OUT tests
# vary their length (3, 7): an IN URB whose length is not a multiple of the packet size overflows
# against gadget zero's full-size packets, and -EOVERFLOW is then the right answer.
# Run with: scripts/cosim.sh --script sw-tests/usbtest.sh --port 0=gzero
. /kite/tests/lib.sh

scale=${USBTEST_SCALE:-1}
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

# run NAME ARGS...: one testusb invocation, PASS/FAIL by its status.
run() {
	name=$1
	shift
	t0=$(cut -d' ' -f1 /proc/uptime)
	# testusb's exit status does not reflect a failed test (with -a it drops the threads'
	# results): a test passed when it printed its "test N, S secs" line and no "--> errno" line.
	out=$(testusb -a "$@" 2>&1)
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
	echo "usbtest: $name took $(echo "$(cut -d' ' -f1 /proc/uptime) - $t0" | bc 2>/dev/null || echo ?) s"
}

c() { echo $(($1 * scale)); }

# The driver's tracepoints (driver/kite_trace.h): one traced scatter-gather write shows, in this
# order, the URB queued with its 8 segments mapped (no bounce buffer), the doorbell, the
# controller's SUCCESS transfer event and the giveback of all 8192 bytes.
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

run t0 -t 0
run t1-bulk-out -t 1 -s 512 -c "$(c 20)"
run t2-bulk-in -t 2 -s 512 -c "$(c 20)"
run t3-bulk-out-vary -t 3 -v 421 -c "$(c 20)"
run t4-bulk-in -t 4 -c "$(c 20)"
run t5-sg-out -t 5 -g 8 -s 1024 -c "$(c 4)"
run t6-sg-in -t 6 -g 8 -s 1024 -c "$(c 4)"
run t7-sg-out-vary -t 7 -g 8 -v 579 -c "$(c 4)"
run t8-sg-in -t 8 -g 8 -c "$(c 4)"
run t9-ch9 -t 9 -c "$(c 5)"
run t10-queued-control -t 10 -c "$(c 5)"
run t11-unlink-in -t 11 -c "$(c 5)"
run t12-unlink-out -t 12 -c "$(c 5)"
run t13-halt -t 13 -c "$(c 5)"
run t14-control-write-read -t 14 -c "$(c 5)" -s 256 -v 1
run t17-bulk-out-odd -t 17 -s 512 -c "$(c 5)"
run t18-bulk-in-odd -t 18 -s 512 -c "$(c 5)"
run t19-bulk-out-odd-premapped -t 19 -s 512 -c "$(c 5)"
run t20-bulk-in-odd-premapped -t 20 -s 512 -c "$(c 5)"
run t21-control-odd -t 21 -c "$(c 5)" -s 256 -v 1
run t24-unlink-queue -t 24 -c "$(c 2)"
run t27-bulk-out-throughput -t 27 -s 4096 -c "$(c 5)" -g 8
run t28-bulk-in-throughput -t 28 -s 4096 -c "$(c 5)" -g 8
run t29-toggle-after-clear-halt -t 29 -c "$(c 5)"

rmmod usbtest

# Isochronous: usbtest uses alt setting 1 of the source/sink interface.
insmod "$KITE_MODULES/usbtest.ko" alt=1 || fail usbtest-insmod-alt1 "insmod usbtest alt=1 failed"
sleep 1
# gadget zero's iso endpoints are polled every 8 frames at full speed, and a simulated frame
# takes about 0.4 s of wall time: keep the default run to a few packets per test.
run t15-iso-out -t 15 -g 4 -v 0 -s 1023 -c "$(c 1)"
run t16-iso-in -t 16 -g 4 -v 0 -s 1023 -c "$(c 1)"
run t22-iso-out-odd -t 22 -g 4 -v 0 -s 1023 -c "$(c 1)"
run t23-iso-in-odd -t 23 -g 4 -v 0 -s 1023 -c "$(c 1)"
rmmod usbtest

# Interrupt transfers: the gadget-zero variant with interrupt endpoints, plugged in its place.
if kite_ctl unplug 0 && sleep 1 && kite_ctl plug 0 gzero:intr=1; then
	wait_until 20 gzero_present
	sleep 1
	insmod "$KITE_MODULES/usbtest.ko" || fail usbtest-insmod-intr "insmod usbtest failed"
	sleep 1
	run t25-int-out -t 25 -s 64 -c "$(c 10)"
	run t26-int-in -t 26 -s 64 -c "$(c 10)"
	rmmod usbtest
else
	fail usbtest-replug "could not swap in the interrupt variant: $kite_ctl_reply"
fi

kite_unload
echo "usbtest: $kite_failures failure(s)"
[ "$kite_failures" -eq 0 ]
