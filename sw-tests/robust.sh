#!/bin/sh
# Robustness of the kite HCD against gadget zero: unplug/replug while idle and in the middle of
# a transfer, device faults (stall, silent, crc, nak) on EP1 IN during a bulk IN run, and
# removing the HCD modules while a transfer runs. Every step ends with a clean run that must
# pass; nothing may hang (bounded waits, then kill). The final kernel-log check is /init's.
#
# Run: scripts/cosim.sh --script sw-tests/robust.sh --port 0=gzero
. /kite/tests/lib.sh

TMP=$(mktemp -d)

# gzero_node: /dev/bus/usb/BBB/DDD of gadget zero.
gzero_node() {
	for d in /sys/bus/usb/devices/*; do
		[ -f "$d/idProduct" ] && [ "$(cat "$d/idProduct")" = a4a0 ] || continue
		printf '/dev/bus/usb/%03d/%03d\n' "$(cat "$d/busnum")" "$(cat "$d/devnum")"
		return 0
	done
	return 1
}

# usbtest_bound: usbtest has an interface of gadget zero.
usbtest_bound() {
	ls -d /sys/bus/usb/drivers/usbtest/*:* >/dev/null 2>&1
}

gzero_ready() { gzero_present && usbtest_bound; }


# bg_start OUT CMD...: run CMD in the background, output to OUT; its pid in $bg_pid.
bg_start() {
	out=$1
	shift
	"$@" >"$out" 2>&1 &
	bg_pid=$!
}

# bg_wait SECONDS: wait at most SECONDS for $bg_pid; its status, or 124 after killing it.
bg_wait() {
	n=$(($1 * 10))
	while kill -0 "$bg_pid" 2>/dev/null && [ "$n" -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	if kill -0 "$bg_pid" 2>/dev/null; then
		kill -9 "$bg_pid" 2>/dev/null
		wait "$bg_pid" 2>/dev/null
		return 124
	fi
	wait "$bg_pid"
}

# bg_ends NAME OUT WHAT: the background testusb ($bg_pid, output in OUT) ends within 60 s of
# WHAT (killed otherwise); the test NAME says so.
bg_ends() {
	bg_wait 60
	st=$?
	echo "robust: testusb after $3 (exit $st): $(grep -- '-->\|secs' "$2" | tail -1)"
	if ! want "$1"; then
		:
	elif [ $st -eq 124 ]; then
		fail "$1" "testusb still running 60 s after $3 (killed)"
	else
		pass "$1"
	fi
}

# run SECONDS ARGS...: testusb -a ARGS, bounded; output in $TMP/run.out. Status 0 if the test
# passed, 124 if it was killed after SECONDS, else 1.
run() {
	t=$1
	shift
	bg_start "$TMP/run.out" testusb -a "$@"
	bg_wait "$t"
	st=$?
	[ $st -eq 124 ] && return 124
	testusb_ok "$TMP/run.out" && return 0
	return 1
}

# clean_run NAME: a short bulk IN and OUT run passes (if NAME is selected).
clean_run() {
	want "$1" || return 0
	if run 60 -t 2 -s 512 -c 4 && run 60 -t 1 -s 512 -c 4; then
		pass "$1"
	else
		fail "$1" "testusb clean run failed (status $?): $(tail -3 "$TMP/run.out" | tr '\n' ' ')"
	fi
}

# The steps, in groups that run in order; a group runs when one of its tests is selected, and
# leaves gadget zero enumerated with usbtest bound for the next.
idle="robust-idle-unplug-gone robust-idle-replug-back robust-idle-replug-works"
midxfer="robust-midxfer-running robust-midxfer-testusb-ends robust-midxfer-gone
	robust-midxfer-replug-back robust-midxfer-replug-works"
faults=""
for f in nak silent crc stall; do
	faults="$faults robust-fault-$f robust-fault-$f-clear-halt robust-fault-$f-next-run"
done
rmmod_run="robust-rmmod robust-rmmod-testusb-ends robust-reload-enumerated robust-reload-works"
# shellcheck disable=SC2086
want_any robust-enumerated $idle $midxfer $faults $rmmod_run || { kt_finish; exit; }

kite_load selftest=0 || { fail robust-load "insmod kite failed"; exit 1; }
insmod "$KITE_MODULES/usbtest.ko" || { fail robust-load "insmod usbtest failed"; exit 1; }
if wait_until 120 gzero_ready; then
	pass robust-enumerated
else
	fail robust-enumerated "gadget zero not enumerated / usbtest not bound after 120 s"
	dmesg | tail -30
	exit 1
fi

# (a) unplug while idle, replug.
# shellcheck disable=SC2086
if want_any $idle; then
	if kite_ctl unplug 0 && wait_until 30 not gzero_present; then
		pass robust-idle-unplug-gone
	else
		fail robust-idle-unplug-gone "gadget zero still present 30 s after unplug ($kite_ctl_reply)"
	fi
	if kite_ctl plug 0 gzero && wait_until 60 gzero_ready; then
		pass robust-idle-replug-back
	else
		fail robust-idle-replug-back "gadget zero not back 60 s after plug ($kite_ctl_reply)"
	fi
	clean_run robust-idle-replug-works
fi

# (b) unplug in the middle of a long bulk IN run.
# shellcheck disable=SC2086
if want_any $midxfer; then
	bg_start "$TMP/b.out" testusb -a -t 2 -s 512 -c 1000
	# 0.1 s of bus time (the guest's clock): a fifth of the run's 512 KB
	sleep 0.1
	if ! want robust-midxfer-running; then
		:
	elif kill -0 "$bg_pid" 2>/dev/null; then
		pass robust-midxfer-running
	else
		fail robust-midxfer-running "testusb ended before the unplug: $(tail -3 "$TMP/b.out" | tr '\n' ' ')"
	fi
	kite_ctl unplug 0 || fail robust-midxfer-unplug "unplug: $kite_ctl_reply"
	bg_ends robust-midxfer-testusb-ends "$TMP/b.out" "the unplug"
	if wait_until 30 not gzero_present; then
		pass robust-midxfer-gone
	else
		fail robust-midxfer-gone "gadget zero still present 30 s after unplug"
	fi
	if kite_ctl plug 0 gzero && wait_until 60 gzero_ready; then
		pass robust-midxfer-replug-back
	else
		fail robust-midxfer-replug-back "gadget zero not back 60 s after plug ($kite_ctl_reply)"
	fi
	if ! want robust-midxfer-replug-works; then
		:
	elif run 60 -t 1 -s 512 -c 4; then
		pass robust-midxfer-replug-works
	else
		fail robust-midxfer-replug-works "testusb -t 1 failed: $(tail -3 "$TMP/run.out" | tr '\n' ' ')"
	fi
fi

# (c) faults on EP1 IN during a short bulk IN run. EXPECT: fail (testusb must report an error:
# silent and crc run into the controller's three strikes, -EPROTO; stall gives -EPIPE) or pass
# (the controller retries NAKs away). After each, clear the fault (and for the stall, the halt
# with usb_clear_halt() through usbfs) and check that a clean run passes.
fault_run() {
	f=$1
	cnt=$2
	expect=$3
	name=robust-fault-$f
	want_any "$name" "$name-clear-halt" "$name-next-run" || return 0
	if [ "$f" = stall ]; then
		# usbtest starts every test with SET_INTERFACE, which (as USB 2.0 9.4.10 says) clears a
		# halt: a stall set before the run would be gone. Halt the endpoint mid-run instead.
		bg_start "$TMP/run.out" testusb -a -t 2 -s 512 -c 200
		# 20 ms of bus time: a quarter of the run's 100 KB
		sleep 0.02
		kill -0 "$bg_pid" 2>/dev/null || echo "robust: testusb ended before the stall"
		kite_ctl fault 0 0x81 "$f" "$cnt" || fail "$name" "fault command: $kite_ctl_reply"
		bg_wait 60
		st=$?
		[ $st -ne 124 ] && { testusb_ok "$TMP/run.out"; st=$?; }
	else
		if ! kite_ctl fault 0 0x81 "$f" "$cnt"; then
			fail "$name" "fault command: $kite_ctl_reply"
			return
		fi
		run 60 -t 2 -s 512 -c 2
		st=$?
	fi
	echo "robust: fault $f $cnt: $(grep -- '-->\|secs' "$TMP/run.out" | tail -1)"
	case $expect/$st in
	*/124) fail "$name" "testusb hung (killed after 60 s)" ;;
	fail/0) fail "$name" "testusb passed, want an error" ;;
	fail/*) pass "$name" ;;
	pass/0) pass "$name" ;;
	pass/*) fail "$name" "testusb failed (status $st), want success after retries" ;;
	esac
	# Leftover fault counts, then the halt (usb_clear_halt through usbfs).
	kite_ctl fault 0 0x81 none 0 || fail "$name-clear" "fault none: $kite_ctl_reply"
	if [ "$f" = stall ]; then
		if node=$(gzero_node) && clearhalt "$node" 0 0x81 && wait_until 10 usbtest_bound; then
			pass "$name-clear-halt"
		else
			fail "$name-clear-halt" "clearhalt on ${node:-?} failed or usbtest did not rebind"
		fi
	fi
	clean_run "$name-next-run"
}
fault_run nak 3 pass
fault_run silent 3 fail
fault_run crc 3 fail
fault_run stall 1 fail

# (d) remove the HCD while a run is in progress.
# shellcheck disable=SC2086
if want_any $rmmod_run; then
	bg_start "$TMP/d.out" testusb -a -t 2 -s 512 -c 1000
	sleep 0.1
	kill -0 "$bg_pid" 2>/dev/null || fail robust-rmmod-running "testusb ended before rmmod: $(tail -3 "$TMP/d.out" | tr '\n' ' ')"
	if kite_unload; then
		pass robust-rmmod
	else
		fail robust-rmmod "rmmod kite_pci/kite_hcd failed"
	fi
	bg_ends robust-rmmod-testusb-ends "$TMP/d.out" rmmod
	if kite_load selftest=0 && wait_until 60 gzero_ready; then
		pass robust-reload-enumerated
	else
		fail robust-reload-enumerated "gadget zero not enumerated 60 s after insmod"
	fi
	clean_run robust-reload-works
fi

rmmod usbtest
kite_unload || fail robust-unload "rmmod failed"
rm -rf "$TMP"
kt_finish
