#!/bin/sh
# Co-simulation smoke test: the guest boots, the kite PCI device enumerates, the driver probes,
# logs the controller's identity, passes both DMA self-tests (coherent and streaming) with
# interrupts delivered, unloads cleanly, and loads again with the self-test skipped.
. /kite/tests/lib.sh

# The tests of the first load, and of the second (with selftest=0).
first="module-load probe-bound probe-logged-id selftest-irq selftest-coherent selftest-streaming
	irq-delivered module-remove remove-unbound"
second="selftest-skip reload-logged-id module-remove-2"

if want pci-enumerated; then
	if [ -d /sys/bus/pci/devices/$KITE_PCI_DEV ] &&
		grep -q 0x4b49 /sys/bus/pci/devices/$KITE_PCI_DEV/device; then
		pass pci-enumerated
	else
		fail pci-enumerated "no kite device at $KITE_PCI_DEV"
		lspci 2>/dev/null
	fi
fi

# shellcheck disable=SC2086
if want_any $first; then
	irq_before=$(kite_irq_count)
	if kite_load; then pass module-load; else fail module-load "insmod failed"; fi

	if want probe-bound; then
		if [ -e /sys/bus/pci/drivers/kite_pci/$KITE_PCI_DEV ]; then
			pass probe-bound
		else
			fail probe-bound "driver not bound to $KITE_PCI_DEV"
		fi
	fi
	check probe-logged-id dmesg_has 'kite_pci .*kite controller [0-9]+\.[0-9]+\.[0-9]+ \(id 0x4b495445\)'
	check selftest-irq dmesg_has 'kite_pci .*interrupt self-test passed'
	check selftest-coherent dmesg_has 'kite_pci .*DMA self-test \(coherent\): [0-9]+ cases passed'
	check selftest-streaming dmesg_has 'kite_pci .*DMA self-test \(streaming\): [0-9]+ cases passed'

	if want irq-delivered; then
		irq_after=$(kite_irq_count)
		if [ "$irq_after" -gt "$irq_before" ]; then
			pass irq-delivered
		else
			fail irq-delivered "interrupt count did not grow ($irq_before -> $irq_after)"
		fi
		grep -F "$KITE_PCI_DEV" /proc/interrupts
	fi

	# The second load needs the first one gone.
	# shellcheck disable=SC2086
	if want_any module-remove remove-unbound $second; then
		if kite_unload; then pass module-remove; else fail module-remove "rmmod failed"; fi
		if want remove-unbound; then
			if [ ! -e /sys/bus/pci/drivers/kite_pci ]; then
				pass remove-unbound
			else
				fail remove-unbound "driver still registered"
			fi
		fi
	fi
fi

# Skipping the self-test is a module parameter of the core.
# shellcheck disable=SC2086
if want_any $second; then
	selftests_before=$(dmesg | grep -c 'DMA self-test')
	ids_before=$(dmesg | grep -c 'kite controller .*(id 0x4b495445)')
	if kite_load selftest=0; then
		if want selftest-skip; then
			if [ "$(dmesg | grep -c 'DMA self-test')" -ne "$selftests_before" ]; then
				fail selftest-skip "self-test ran although selftest=0"
			else
				pass selftest-skip
			fi
		fi
		if want reload-logged-id; then
			if [ "$(dmesg | grep -c 'kite controller .*(id 0x4b495445)')" -gt "$ids_before" ]; then
				pass reload-logged-id
			else
				fail reload-logged-id "no identity line on the second probe"
			fi
		fi
		kite_unload || fail module-remove-2 "second rmmod failed"
	else
		fail selftest-skip "insmod selftest=0 failed"
	fi
fi

kt_finish
