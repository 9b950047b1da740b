#!/bin/sh
# HID boot keyboard through the kite HCD: usbhid binds the kbd model, kite-sim types text
# (kite_ctl type), and the key events read back from /dev/input/eventN must be exactly the
# expected key codes, each pressed then released, in order. Done at full speed, then again with
# the low-speed variant plugged in its place (checked to enumerate at 1.5 Mb/s).
#
# Run: scripts/cosim.sh --script sw-tests/hid.sh --port 0=kbd
. /kite/tests/lib.sh

# type_and_check NAME TEXT: type TEXT followed by Enter on port 0, compare the key events.
type_and_check() {
	name=$1
	text=$2
	kt_start "$name-keys"
	dev=$(kbd_event) || { fail "$name-typed" "no event device"; return; }
	tmp=$(mktemp -d)
	kbd_codes "$text" > "$tmp/want"
	count=$(wc -l < "$tmp/want")
	evread "$dev" 180000 "$count" > "$tmp/got" 2> "$tmp/err" &
	pid=$!
	wait_until 10 grep -q ready "$tmp/err"
	t0=$(cut -d' ' -f1 /proc/uptime)
	if ! kite_ctl type 0 "$text\\n"; then
		fail "$name-type-cmd" "kite_ctl type: $kite_ctl_reply"
		kill "$pid" 2>/dev/null
		wait "$pid"
		rm -rf "$tmp"
		return
	fi
	wait "$pid"
	st=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	echo "hid: $name: $(grep -c . "$tmp/got") lines from $dev in $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') s, $(grep '^repeats' "$tmp/got")"
	grep -v '^repeats' "$tmp/got" > "$tmp/keys"
	if [ "$st" -eq 0 ] && cmp -s "$tmp/want" "$tmp/keys"; then
		pass "$name-keys"
	else
		fail "$name-keys" "evread status $st ($(cat "$tmp/err" | grep -v ready | tr '\n' ' ')); want '$(tr '\n' ',' < "$tmp/want")' got '$(tr '\n' ',' < "$tmp/keys")'"
	fi
	rm -rf "$tmp"
}

# The full-speed keyboard's tests, then the low-speed one's (swapped in for it).
fullspeed="hid-fs-bound hid-fs-speed hid-fs-usbhid hid-fs-keys"
lowspeed="hid-fs-unplugged hid-ls-bound hid-ls-speed hid-ls-first-enumeration hid-ls-keys"
# shellcheck disable=SC2086
want_any $fullspeed $lowspeed || { kt_finish; exit; }

kite_load selftest=0 || { fail hid-load "insmod failed"; exit 1; }

# Full speed.
kt_start hid-fs-bound
if wait_until 60 kbd_present; then
	pass hid-fs-bound
	echo "hid: fs keyboard at $(kbd_event), speed $(cat /sys/bus/usb/devices/1-1/speed 2>/dev/null)"
else
	fail hid-fs-bound "no input event device for 1209:0001 after 60 s"
	dmesg | tail -30
	kite_unload
	exit 1
fi
check hid-fs-speed grep -qx 12 /sys/bus/usb/devices/1-1/speed
check hid-fs-usbhid test -d /sys/bus/usb/drivers/usbhid/1-1:1.0
if want hid-fs-keys; then
	sleep 1
	type_and_check hid-fs "kite 42"
fi

# Swap in the low-speed variant.
# shellcheck disable=SC2086
if want_any $lowspeed; then
	if kite_ctl unplug 0 && wait_until 30 kbd_absent; then
		pass hid-fs-unplugged
	else
		fail hid-fs-unplugged "keyboard still present 30 s after unplug ($kite_ctl_reply)"
	fi
	# While waiting, keep the root port's state (driver debugfs) every 2 s: evidence if the
	# enumeration needs retries.
	portlog=$(mktemp)
	ls_wait() {
		n=0
		while [ $n -lt 120 ]; do
			kbd_present && return 0
			[ $((n % 4)) = 0 ] && echo "t=$(cut -d' ' -f1 /proc/uptime) $(cat /sys/kernel/debug/kite/*/ports 2>/dev/null)" >> "$portlog"
			sleep 0.5
			n=$((n + 1))
		done
		return 1
	}
	kt_start hid-ls-bound
	if kite_ctl plug 0 kbd:ls=1 && ls_wait; then
		pass hid-ls-bound
		echo "hid: ls keyboard at $(kbd_event), speed $(cat /sys/bus/usb/devices/1-1/speed 2>/dev/null)"
		check hid-ls-speed grep -qx 1.5 /sys/bus/usb/devices/1-1/speed
		# usbcore had to retry (power-cycle the port) before the device enumerated?
		if ! want hid-ls-first-enumeration; then
			:
		elif dmesg | grep -q 'usb1-port1: unable to enumerate'; then
			fail hid-ls-first-enumeration "usbcore retried the enumeration; root port state while waiting:"
			cat "$portlog"
			dmesg | grep -E 'usb1-port1|usb 1-1' | tail -12
		else
			pass hid-ls-first-enumeration
		fi
		if want hid-ls-keys; then
			sleep 1
			type_and_check hid-ls "ls 1.5"
		fi
	else
		fail hid-ls-bound "no low-speed keyboard 60 s after plug ($kite_ctl_reply)"
		cat "$portlog"
		dmesg | tail -30
	fi
	rm -f "$portlog"
fi

kite_unload || fail hid-unload "rmmod failed"
kt_finish
