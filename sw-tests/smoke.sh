#!/bin/sh
# Co-simulation smoke test: the guest boots, the kite PCI device enumerates, the driver probes,
# logs the controller's identity, passes both DMA self-tests (coherent and streaming) with
# interrupts delivered, unloads cleanly, and loads again with the self-test skipped.
. /kite/tests/lib.sh

if [ -d /sys/bus/pci/devices/$KITE_PCI_DEV ] &&
	grep -q 0x4b49 /sys/bus/pci/devices/$KITE_PCI_DEV/device; then
	pass pci-enumerated
else
	fail pci-enumerated "no kite device at $KITE_PCI_DEV"
	lspci 2>/dev/null
fi

irq_before=$(kite_irq_count)
if kite_load; then pass module-load; else fail module-load "insmod failed"; fi

if [ -e /sys/bus/pci/drivers/kite_pci/$KITE_PCI_DEV ]; then
	pass probe-bound
else
	fail probe-bound "driver not bound to $KITE_PCI_DEV"
fi
check probe-logged-id dmesg_has 'kite_pci .*kite controller [0-9]+\.[0-9]+\.[0-9]+ \(id 0x4b495445\)'
check selftest-irq dmesg_has 'kite_pci .*interrupt self-test passed'
check selftest-coherent dmesg_has 'kite_pci .*DMA self-test \(coherent\): [0-9]+ cases passed'
check selftest-streaming dmesg_has 'kite_pci .*DMA self-test \(streaming\): [0-9]+ cases passed'

irq_after=$(kite_irq_count)
if [ "$irq_after" -gt "$irq_before" ]; then
	pass irq-delivered
else
	fail irq-delivered "interrupt count did not grow ($irq_before -> $irq_after)"
fi
grep -F "$KITE_PCI_DEV" /proc/interrupts

if kite_unload; then pass module-remove; else fail module-remove "rmmod failed"; fi
if [ ! -e /sys/bus/pci/drivers/kite_pci ]; then pass remove-unbound; else fail remove-unbound "driver still registered"; fi

# Skipping the self-test is a module parameter of the core.
selftests_before=$(dmesg | grep -c 'DMA self-test')
ids_before=$(dmesg | grep -c 'kite controller .*(id 0x4b495445)')
if kite_load selftest=0; then
	if [ "$(dmesg | grep -c 'DMA self-test')" -ne "$selftests_before" ]; then
		fail selftest-skip "self-test ran although selftest=0"
	else
		pass selftest-skip
	fi
	if [ "$(dmesg | grep -c 'kite controller .*(id 0x4b495445)')" -gt "$ids_before" ]; then
		pass reload-logged-id
	else
		fail reload-logged-id "no identity line on the second probe"
	fi
	kite_unload || fail module-remove-2 "second rmmod failed"
else
	fail selftest-skip "insmod selftest=0 failed"
fi

echo "smoke: $kite_failures failure(s)"
[ "$kite_failures" -eq 0 ]
