#!/bin/sh
# Bulk throughput through the whole Linux stack (usbtest 27/28: bulk OUT/IN with queued URBs,
# pattern 0) in bytes per second of simulated bus time, read from the controller's FRAME
# register (1 ms per frame) around each run. Sourced by bench-usb-short.sh / bench-usb-long.sh
# with BENCH_COUNT set; scripts/bench.sh runs both and takes the difference of the bridge's
# counters (read through the control channel's `counters` command just around each testusb
# run) to get MMIO accesses and interrupts per URB.
. /kite/tests/lib.sh
count=${BENCH_COUNT:-4}
kite_load selftest=0 || exit 1
wait_until 120 gzero_present
insmod "$KITE_MODULES/usbtest.ko" pattern=0 && sleep 1
regs=/sys/kernel/debug/kite/$KITE_PCI_DEV/regs
stats=/sys/kernel/debug/kite/$KITE_PCI_DEV/stats
frame() { printf '%d' "$(awk '$1 == "FRAME" { print $2 }' "$regs")"; }
# field KEY "k=v k=v ...": the value of KEY.
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
for t in 27 28; do
	u0=$(awk '$1 == "urbs_done" { print $2 }' "$stats")
	i0=$(awk '$1 == "irqs" { print $2 }' "$stats")
	f0=$(frame)
	kite_ctl counters || fail bench-counters "no counters from the bridge"
	c0=$kite_ctl_reply
	w0=$(cut -d' ' -f1 /proc/uptime)
	out=$(testusb -a -t $t -s 4096 -g 8 -c "$count" 2>&1)
	w1=$(cut -d' ' -f1 /proc/uptime)
	kite_ctl counters || fail bench-counters "no counters from the bridge"
	c1=$kite_ctl_reply
	f1=$(frame)
	u1=$(awk '$1 == "urbs_done" { print $2 }' "$stats")
	i1=$(awk '$1 == "irqs" { print $2 }' "$stats")
	frames=$(( (f1 - f0 + 2048) % 2048 ))
	bytes=$((count * 8 * 4096))
	echo "$out" | tail -1
	echo "BENCH t${t}_count=$count"
	echo "BENCH t${t}_bytes=$bytes"
	echo "BENCH t${t}_frames=$frames"
	echo "BENCH t${t}_urbs=$((u1 - u0))"
	echo "BENCH t${t}_irqs=$((i1 - i0))"
	echo "BENCH t${t}_wall_s=$(echo "$w1 - $w0" | bc)"
	for k in mmio_reads mmio_writes irqs; do
		echo "BENCH t${t}_bridge_$k=$(( $(field $k "$c1") - $(field $k "$c0") ))"
	done
	if echo "$out" | grep -q -- "-->"; then fail "bench-t$t" "$out"; else pass "bench-t$t"; fi
done
# One 400 KiB scatter-gather write (100 x 4 KiB in one usbtest request): simulated bus time and
# the host's wall time it took (clocks -w: guest clock, host wall clock, guest clock).
# shellcheck disable=SC2046
set -- $(clocks -w "$KITE_CTL")
b0=$3 w0=$2
out=$(testusb -a -t 5 -g 100 -s 4096 -c 1 2>&1)
# shellcheck disable=SC2046
set -- $(clocks -w "$KITE_CTL")
b1=$1 w1=$2
echo "$out" | tail -1
echo "BENCH sg400k_write_bus_s=$(echo "$b1 - $b0" | bc)"
echo "BENCH sg400k_write_wall_s=$(echo "$w1 - $w0" | bc)"
if echo "$out" | grep -q -- "-->"; then fail bench-sg400k "$out"; else pass bench-sg400k; fi
rmmod usbtest
kite_unload
[ "$kite_failures" -eq 0 ]
