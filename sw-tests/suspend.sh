#!/bin/sh
# Runtime power management through kite's root hub: the HCD's bus_suspend and bus_resume, port
# suspend and resume signalling (SetPortFeature/ClearPortFeature SUSPEND), data after a resume,
# and a device connected to a suspended bus waking it.
#
# Run: scripts/cosim.sh --script sw-tests/suspend.sh --name suspend --port 0=gzero
. /kite/tests/lib.sh

runtime_status() { cat "$1/power/runtime_status"; }
is_suspended() { [ "$(runtime_status "$1")" = suspended ]; }
is_active() { [ "$(runtime_status "$1")" = active ]; }
# usbsts: USBSTS from the driver's debugfs (HALTED, bit 0, while the bus is suspended).
usbsts() { awk '$1 == "USBSTS" { print $2 }' "/sys/kernel/debug/kite/$KITE_PCI_DEV/regs"; }
# port_line: the driver's debugfs line for the root port gadget zero is on (PORTSC decoded).
port_line() { grep "^port $(cat "$dev/devpath"):" "/sys/kernel/debug/kite/$KITE_PCI_DEV/ports"; }

# Three stages, each starting from where the one before left the bus: a stage runs when one of
# its tests or of a later stage's is selected.
stage1="suspend-bus-suspended suspend-controller-halted suspend-port-suspended"
stage2="suspend-bus-resumed suspend-port-resumed suspend-data-after-resume"
stage3="suspend-unplugged suspend-empty-bus-suspended suspend-connect-wakes-bus"
# shellcheck disable=SC2086
want_any $stage1 $stage2 $stage3 || { kt_finish; exit; }

kite_load selftest=0 || { fail suspend-load "insmod kite failed"; exit 1; }
if ! wait_until 60 gzero_present; then
	fail suspend-enumerated "gadget zero did not appear"
	exit 1
fi
dev=$(gzero_sysfs)
rh=/sys/bus/usb/devices/usb$(cat "$dev/busnum")

# 1. Idle device, then idle root hub: the device's port is suspended and the bus stops.
# shellcheck disable=SC2086
if want_any $stage1 $stage2 $stage3; then
	for d in "$dev" "$rh"; do
		echo 0 > "$d/power/autosuspend_delay_ms"
		echo auto > "$d/power/control"
	done
	if wait_until 60 is_suspended "$dev" && wait_until 60 is_suspended "$rh"; then
		pass suspend-bus-suspended
	else
		fail suspend-bus-suspended "device $(runtime_status "$dev"), root hub $(runtime_status "$rh")"
	fi
	sts=$(usbsts)
	if ! want suspend-controller-halted; then
		:
	elif [ $(( sts & 1 )) -eq 1 ]; then
		pass suspend-controller-halted
	else
		fail suspend-controller-halted "USBSTS $sts while the bus is suspended"
	fi
	if want suspend-port-suspended; then
		port=$(port_line)
		case $port in
		*" connected enabled "*suspend*) pass suspend-port-suspended ;;
		*) fail suspend-port-suspended "device's port not suspended: $port" ;;
		esac
	fi
fi

# 2. Waking the device resumes the bus and the port; data flows again.
# shellcheck disable=SC2086
if want_any $stage2 $stage3; then
	echo on > "$dev/power/control"
	if wait_until 60 is_active "$dev" && is_active "$rh"; then
		pass suspend-bus-resumed
	else
		fail suspend-bus-resumed "device $(runtime_status "$dev"), root hub $(runtime_status "$rh")"
	fi
	if want suspend-port-resumed; then
		port=$(port_line)
		case $port in
		*suspend* | *resume*) fail suspend-port-resumed "port still suspended: $port" ;;
		*" enabled"*) pass suspend-port-resumed ;;
		*) fail suspend-port-resumed "port not enabled: $port" ;;
		esac
	fi
	# usbtest binds only now: it does not support autosuspend, so bound it keeps the device awake.
	insmod "$KITE_MODULES/usbtest.ko" || fail suspend-usbtest "insmod usbtest failed"
	sleep 1
	out=$(testusb -a -t 1 -s 512 -c 4 2>&1)
	if echo "$out" | grep -q "test 1, " && ! echo "$out" | grep -q -- "-->"; then
		pass suspend-data-after-resume
	else
		fail suspend-data-after-resume "$(echo "$out" | tail -2 | tr '\n' ' ')"
	fi
fi

# 3. Nothing connected: the root hub suspends; a connect wakes it and the device enumerates.
# shellcheck disable=SC2086
if want_any $stage3; then
	rmmod usbtest
	if kite_ctl unplug 0 && wait_until 30 not gzero_present; then
		pass suspend-unplugged
	else
		fail suspend-unplugged "unplug failed ($kite_ctl_reply)"
	fi
	if wait_until 60 is_suspended "$rh"; then
		pass suspend-empty-bus-suspended
	else
		fail suspend-empty-bus-suspended "root hub $(runtime_status "$rh")"
	fi
	if kite_ctl plug 0 gzero && wait_until 60 gzero_present; then
		pass suspend-connect-wakes-bus
	else
		fail suspend-connect-wakes-bus "no enumeration after plug; root hub $(runtime_status "$rh")"
	fi
fi

echo on > "$rh/power/control"
kite_unload || fail suspend-unload "rmmod failed"
kt_finish
