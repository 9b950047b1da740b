#!/bin/sh
# Transport benchmark inside the guest (run by `make bench` through scripts/bench.sh).
# Prints `BENCH key=value` lines; scripts/bench.sh turns them into build/bench/results.md.
. /kite/tests/lib.sh

kite_load selftest=0 || { fail bench-load "insmod failed"; exit 1; }
d=/sys/kernel/debug/kite/$KITE_PCI_DEV

# Boot to probe: kernel time (seconds since the guest kernel started) of the identity line.
t=$(dmesg | grep 'kite controller' | head -1 | sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p')
echo "BENCH boot_to_probe_s=$t"

for i in 1 2 3; do
	sed 's/^/BENCH /' "$d/bench_mmio" || fail bench-mmio "cannot read $d/bench_mmio"
done
for n in 4096 65536 262144; do
	echo "$n" > "$d/bench_dma_len" || fail bench-dma "cannot set the DMA length"
	sed 's/^/BENCH /' "$d/bench_dma" || fail bench-dma "cannot read $d/bench_dma"
done
kite_unload
[ "$kite_failures" -eq 0 ] && pass bench-ran
