#!/bin/sh
# The devicetree path in the co-simulation (run with --dtb build/dts/kite-uml-cosim.dtb and a
# gadget zero on port 0): /reserved-memory holds a shared-dma-pool, the PCI function's DT node
# points at it with memory-region, and the driver takes it the way a board's platform glue does
# (of_reserved_mem_device_init()). Checks that the rings, the event ring and the self-test's
# coherent buffers really come from that region, and that transfers work out of it.
. /kite/tests/lib.sh

# Every test needs the pool and the driver: nothing selected, nothing loaded.
want_any dt-pool-created dt-driver-uses-region dt-selftest-coherent dt-enumerated \
	dt-rings-in-region dt-usbtest-t1 dt-usbtest-t2 dt-unload-released || { kt_finish; exit; }

line=$(dmesg | grep 'created DMA memory pool at' | head -1)
base=$(echo "$line" | sed -n 's/.*pool at \(0x[0-9a-fA-F]*\), size \([0-9]*\) MiB.*/\1/p')
mib=$(echo "$line" | sed -n 's/.*pool at \(0x[0-9a-fA-F]*\), size \([0-9]*\) MiB.*/\2/p')
if [ -n "$base" ] && [ -n "$mib" ]; then
	pass dt-pool-created
else
	fail dt-pool-created "no 'created DMA memory pool' line at boot"
	exit 1
fi
lo=$(printf '%d' "$base")
hi=$((lo + mib * 1048576))
echo "dt: pool $base, $mib MiB"

# in_pool ADDR: the bus address lies inside the pool
in_pool() {
	a=$(printf '%d' "$1")
	[ "$a" -ge "$lo" ] && [ "$a" -lt "$hi" ]
}

kite_load || { fail dt-load "insmod failed"; exit 1; }
check dt-driver-uses-region dmesg_has 'kite_pci .*coherent memory from reserved region .*kite-dma-pool'
check dt-selftest-coherent dmesg_has 'kite_pci .*DMA self-test \(coherent\): [0-9]+ cases passed'

if want_any dt-enumerated dt-rings-in-region dt-usbtest-t1 dt-usbtest-t2; then
	if wait_until 20 gzero_present; then
		pass dt-enumerated
	else
		fail dt-enumerated "'wait_until 20 gzero_present' failed"
	fi
fi

if want dt-rings-in-region; then
	rings=/sys/kernel/debug/kite/$KITE_PCI_DEV/rings
	cat "$rings"
	n=0
	bad=""
	for a in $(sed -n 's/.* at \(0x[0-9a-fA-F]*\).*/\1/p' "$rings"); do
		n=$((n + 1))
		in_pool "$a" || bad="$bad $a"
	done
	if [ "$n" -ge 2 ] && [ -z "$bad" ]; then
		pass dt-rings-in-region
	else
		fail dt-rings-in-region "$n rings listed; outside the pool:$bad"
	fi
fi

if want_any dt-usbtest-t1 dt-usbtest-t2; then
	insmod "$KITE_MODULES/usbtest.ko" && sleep 1
	for t in 1 2; do
		want "dt-usbtest-t$t" || continue
		# testusb exits 0 even when a test fails: judge by its output.
		out=$(testusb -a -t $t -s 512 -c 5 2>&1)
		if echo "$out" | grep -q "test $t, " && ! echo "$out" | grep -q -- "-->"; then
			pass "dt-usbtest-t$t"
		else
			fail "dt-usbtest-t$t" "testusb -t $t failed with the rings in the reserved region"
		fi
	done
	rmmod usbtest
fi
kite_unload
check dt-unload-released test ! -e /sys/bus/pci/drivers/kite_pci/$KITE_PCI_DEV
kt_finish
