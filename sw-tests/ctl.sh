#!/bin/sh
# kite-sim's control channel from inside the guest: unplug, replug, faults and bad commands through
# kite_ctl, checking kite-sim's replies. When the kite HCD loads and registers a USB bus, it also
# checks that Linux sees gadget zero (0525:a4a0) appear after a plug and go away after an unplug.
#
# Run: scripts/cosim.sh --script sw-tests/ctl.sh --port 0=gzero
. /kite/tests/lib.sh

# expect_error NAME PATTERN CMD...: kite_ctl CMD fails with a reply matching PATTERN (if NAME
# is selected).
expect_error() {
	want "$1" || return 0
	name=$1
	pat=$2
	shift 2
	if kite_ctl "$@" 2>/dev/null; then
		fail "$name" "'$*' was accepted: $kite_ctl_reply"
	elif echo "$kite_ctl_reply" | grep -q "^error .*$pat"; then
		pass "$name"
	else
		fail "$name" "'$*': reply '$kite_ctl_reply', want an error matching '$pat'"
	fi
}

# expect_ok NAME CMD...: kite_ctl CMD is accepted. Always run (the commands change the port's
# state for the tests after them, and cost a millisecond).
expect_ok() {
	name=$1
	shift
	if kite_ctl "$@" && [ "$kite_ctl_reply" = "ok $*" ]; then
		pass "$name"
	else
		fail "$name" "'$*': reply '$kite_ctl_reply'"
	fi
}


if [ -f /host/ctl ] && grep -q ' /host hostfs ' /proc/mounts; then
	pass ctl-host-mounted
else
	fail ctl-host-mounted "/host/ctl missing (kite.run= not on the command line or hostfs mount failed)"
	exit 1
fi

if kite_ctl sync first && [ "$kite_ctl_reply" = "ok first" ]; then
	pass ctl-sync
else
	fail ctl-sync "reply '$kite_ctl_reply'"
	exit 1
fi

# Linux's view, when the HCD is there (and one of the tests that look at it is selected).
hcd=0
if ! want_any ctl-linux-gzero-present ctl-linux-gzero-gone ctl-linux-gzero-back; then
	echo "ctl: no test of Linux's view selected: only the control replies are checked"
elif [ -f "$KITE_MODULES/kite-hcd.ko" ] && kite_load selftest=0 2>/dev/null; then
	if wait_until 10 ls -d /sys/bus/usb/devices/usb* >/dev/null 2>&1; then
		hcd=1
		echo "ctl: kite HCD loaded: $(ls -d /sys/bus/usb/devices/usb*)"
	else
		echo "ctl: kite modules loaded but no USB bus registered: only the replies are checked"
	fi
else
	echo "ctl: the kite HCD did not load: only the control replies are checked"
fi

if [ $hcd = 1 ]; then
	if wait_until 60 gzero_present; then
		pass ctl-linux-gzero-present
	else
		fail ctl-linux-gzero-present "no 0525:a4a0 in /sys/bus/usb/devices after 60 s"
	fi
fi

expect_error ctl-plug-occupied "port 0 already has a device (gzero)" plug 0 gzero
expect_ok ctl-unplug unplug 0
if [ $hcd = 1 ]; then
	if wait_until 30 not gzero_present; then
		pass ctl-linux-gzero-gone
	else
		fail ctl-linux-gzero-gone "0525:a4a0 still in /sys/bus/usb/devices 30 s after unplug"
	fi
fi
expect_error ctl-unplug-empty "port 0 has no device" unplug 0
expect_error ctl-fault-no-device "port 0 has no device" fault 0 0x81 nak 1

expect_ok ctl-replug plug 0 gzero:pattern=1
if [ $hcd = 1 ]; then
	if wait_until 60 gzero_present; then
		pass ctl-linux-gzero-back
	else
		fail ctl-linux-gzero-back "no 0525:a4a0 60 s after the replug"
	fi
fi

expect_ok ctl-fault fault 0 0x81 nak 2
expect_ok ctl-fault-clear fault 0 0x81 none 0
expect_error ctl-fault-bad-name "unknown fault 'bogus'" fault 0 0x81 bogus 1
expect_error ctl-fault-bad-ep "bad endpoint address" fault 0 0x300 nak 1
expect_error ctl-type-not-kbd "not a kbd" type 0 hello
expect_error ctl-bad-port "does not exist" plug 9 kbd
expect_error ctl-bad-device "unknown device 'mouse'" plug 1 mouse
expect_error ctl-bad-command "unknown command 'frobnicate'" frobnicate 1 2

if [ $hcd = 1 ]; then
	kite_unload || fail ctl-module-remove "rmmod failed"
fi

echo "ctl: HCD checks $([ $hcd = 1 ] && echo on || echo off)"
kt_finish
