#!/bin/sh
# usbmon on the kite bus: capture gadget zero's re-enumeration (unplug, plug) through the binary
# interface /dev/usbmonN into /host/usbmon.pcap (build/cosim/<name>/usbmon.pcap on the host;
# LINKTYPE_USB_LINUX_MMAPPED, sw-tests/tools/usbmon2pcap.c). scripts/test-usbmon-pcap.sh runs
# this and decodes the file with tshark on the host.
#
# Run: scripts/cosim.sh --script sw-tests/usbmon.sh --name usbmon --port 0=gzero
. /kite/tests/lib.sh

PCAP=${USBMON_PCAP:-/host/usbmon.pcap}

# The capture's tests, with those scripts/test-usbmon-pcap.sh runs on the file on the host.
capture="usbmon-reenumerated usbmon-capture usbmon-pcap-written usbmon-pcap-readable
	usbmon-pcap-device-descriptor usbmon-pcap-get-descriptor-request"
# shellcheck disable=SC2086
want_any usbmon-enumerated usbmon-debugfs-text usbmon-chardev $capture || { kt_finish; exit; }

kite_load selftest=0 || { fail usbmon-load "insmod kite failed"; exit 1; }
if wait_until 120 gzero_present; then
	pass usbmon-enumerated
else
	fail usbmon-enumerated "gadget zero did not appear"
	exit 1
fi
bus=$(cat "$(gzero_sysfs)/busnum")
dev=/dev/usbmon$bus
check usbmon-debugfs-text test -r "/sys/kernel/debug/usb/usbmon/${bus}u"
if [ -c "$dev" ]; then
	pass usbmon-chardev
else
	fail usbmon-chardev "$dev missing: $(ls /dev/usbmon* 2>&1 | tr '\n' ' ')"
	exit 1
fi

# shellcheck disable=SC2086
if want_any $capture; then
	rm -f "$PCAP"
	usbmon2pcap -t 120 "$dev" "$PCAP" 2>/tmp/usbmon2pcap.err &
	cap=$!
	sleep 1
	if kite_ctl unplug 0 && wait_until 30 not gzero_present && kite_ctl plug 0 gzero && wait_until 60 gzero_present; then
		pass usbmon-reenumerated
	else
		fail usbmon-reenumerated "unplug/plug/enumeration failed ($kite_ctl_reply)"
	fi
	sleep 1
	kill -TERM "$cap" 2>/dev/null
	n=100
	while kill -0 "$cap" 2>/dev/null && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	if kill -0 "$cap" 2>/dev/null; then
		kill -9 "$cap"
		fail usbmon-capture "usbmon2pcap did not stop on SIGTERM (killed)"
	elif wait "$cap"; then
		pass usbmon-capture
	else
		fail usbmon-capture "usbmon2pcap failed: $(cat /tmp/usbmon2pcap.err)"
	fi
	cat /tmp/usbmon2pcap.err
	size=$(wc -c < "$PCAP" 2>/dev/null || echo 0)
	echo "usbmon: $PCAP is $size bytes"
	# More than the 24-byte pcap header plus one record.
	if [ "$size" -gt 200 ]; then pass usbmon-pcap-written; else fail usbmon-pcap-written "$PCAP is $size bytes"; fi
fi

kite_unload || fail usbmon-unload "rmmod failed"
kt_finish
