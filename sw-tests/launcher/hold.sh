#!/bin/sh
# Guest side of the launcher test: keep the guest busy until the host kills the simulator.
. /kite/tests/lib.sh
kite_load selftest=0
echo "HOLD-READY"
i=0
while [ $i -lt 600 ]; do
	cat /sys/kernel/debug/kite/$KITE_PCI_DEV/regs > /dev/null
	sleep 0.1
	i=$((i + 1))
done
