#!/bin/sh
# One fixed usbtest workload under a usbmon capture: scripts/test-determinism.sh runs this twice
# and requires byte-identical captures (usbmon timestamps included) and consoles. The guest's
# clock is the simulated bus time (kite-sim is UML's time-travel calendar), so nothing here may
# depend on the host: no wall clock, no host load.
#
# Run: scripts/cosim.sh --script sw-tests/determinism.sh --name determinism --port 0=gzero
. /kite/tests/lib.sh

PCAP=/host/usbmon.pcap

want_any determinism-workload || { kt_finish; exit; }
kite_load selftest=0 || { fail determinism-load "insmod kite failed"; exit 1; }
wait_until 20 gzero_present || { fail determinism-enumerated "gadget zero did not appear"; exit 1; }
insmod "$KITE_MODULES/usbtest.ko" || { fail determinism-insmod "insmod usbtest failed"; exit 1; }
bus=$(cat "$(gzero_sysfs)/busnum")
rm -f "$PCAP"
usbmon2pcap -t 120 "/dev/usbmon$bus" "$PCAP" 2>/tmp/usbmon2pcap.err &
cap=$!
sleep 0.2
ok=1
# bulk both ways, scatter-gather, chapter 9, queued control, halts
for args in "-t 1 -s 512 -c 4" "-t 2 -s 512 -c 4" "-t 5 -g 4 -s 1024 -c 2" "-t 9 -c 1" \
	"-t 10 -c 1" "-t 13 -c 1"; do
	# shellcheck disable=SC2086
	out=$(testusb -a $args 2>&1 < /dev/null)
	echo "$out" | tail -1
	echo "$out" | grep -q -- "-->" && ok=0
done
sleep 0.2
kill -TERM "$cap"
wait "$cap" || ok=0
cat /tmp/usbmon2pcap.err
rmmod usbtest
kite_unload
# the same in both runs: the capture's size (its bytes are compared on the host)
echo "determinism: usbmon.pcap $(wc -c < "$PCAP") bytes"
if [ $ok = 1 ] && [ -s "$PCAP" ]; then
	pass determinism-workload
else
	fail determinism-workload "a usbtest run or the capture failed"
fi
kt_finish
