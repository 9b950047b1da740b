#!/bin/bash
# `make bench`: measure the co-simulation transport and the simulator, write
# build/bench/results.md. The figures in docs/performance.md come from this script.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
out=$build/bench
mkdir -p "$out"

echo "bench: simulator speed (kite-model-bench)"
"$build/sim/kite-model-bench" | tee "$out/model.txt"

echo "bench: controller bulk throughput (systest-bench, UTMI and line attachments)"
"$build/systest/systest-bench" --kib 64 | tee "$out/systest-utmi.txt"
"$build/systest/systest-bench" --line --kib 32 | tee "$out/systest-line.txt"

echo "bench: synthesis (scripts/synth.sh)"
"$top/scripts/synth.sh" | tee "$out/synth.txt"

echo "bench: bulk through the whole Linux stack (usbtest 27/28, sw-tests/bench-usb*.sh)"
for run in short long; do
	"$top/scripts/cosim.sh" --script "$top/sw-tests/bench-usb-$run.sh" --name "bench-usb-$run" \
		--port 0=gzero --timeout 3600 > "$out/usb-$run.txt" 2>&1 || true
	grep -a '^BENCH ' "$build/cosim/bench-usb-$run/console.log" | tr -d '\r' | sed 's/^BENCH //' \
		> "$out/usb-$run.vals"
	grep 'cosim: bridge' "$out/usb-$run.txt" | sed 's/^cosim: bridge *//' | tr ' ' '\n' \
		> "$out/usb-$run.bridge"
	cat "$out/usb-$run.vals"
done

echo "bench: transport inside the guest (sw-tests/bench.sh)"
"$top/scripts/cosim.sh" --script "$top/sw-tests/bench.sh" --name bench | tee "$out/cosim.txt"
grep -a '^BENCH ' "$build/cosim/bench/console.log" | sed 's/^BENCH //' > "$out/guest.txt"
cat "$out/guest.txt"

val() { grep -h "^$1=" "$2" | head -1 | cut -d= -f2; }
# median over lines "key=value" of a repeated measurement
med() { grep -h "^$1=" "$2" | cut -d= -f2 | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

{
	echo "# kite benchmark results"
	echo
	echo "Command: \`make bench\`; date: $(date -u +%Y-%m-%d); machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
	echo
	echo "| figure | value |"
	echo "|---|---|"
	echo "| boot to probe (guest kernel time of the driver's identity line) | $(val boot_to_probe_s "$out/guest.txt") s |"
	echo "| MMIO read round trip, median of 3 runs' medians | $(med mmio_read_median_ns "$out/guest.txt") ns |"
	echo "| MMIO write (posted), median | $(med mmio_write_median_ns "$out/guest.txt") ns |"
	grep -h '^dma_' "$out/guest.txt" | sed 's/^/| guest /; s/=/ | /; s/$/ |/'
	echo "| simulator, DMA engine busy | $(val busy_cycles_per_s "$out/model.txt") cycles/s |"
	echo "| simulator, idle | $(val idle_cycles_per_s "$out/model.txt") cycles/s |"
	echo "| simulator, one register read through the BFM | $(val reg_read_us "$out/model.txt") us |"
	echo "| DMA self-test copy, 1 MiB, bytes per bus cycle | $(val dma_copy_bytes_per_cycle "$out/model.txt") |"
	for a in utmi line; do
		f=$out/systest-$a.txt
		for d in in out; do
			echo "| bulk $d, $a attachment: payload bytes per second of simulated bus time | $(val ${a}_bulk_${d}_bytes_per_sim_s "$f") ($(val ${a}_bulk_${d}_percent_of_1216000 "$f") % of 1,216,000) |"
		done
		echo "| simulator speed, $a attachment, bulk IN running | $(val ${a}_bulk_in_usb_cycles_per_wall_s "$f") usb_clk cycles/s |"
	done
	while IFS== read -r k v; do
		echo "| synthesis: $k | $v |"
	done < "$build/synth/results.txt"
	for t in t27 t28; do
		b=$(val ${t}_bytes "$out/usb-long.vals"); f=$(val ${t}_frames "$out/usb-long.vals")
		[ -n "$b" ] && [ -n "$f" ] && [ "$f" -gt 0 ] &&
			echo "| Linux usbtest $t (bulk $( [ $t = t27 ] && echo OUT || echo IN ), 8 x 4 KiB URBs queued): bytes per simulated second | $((b * 1000 / f)) ($(echo "scale=1; $b * 100000 / $f / 1216000" | bc) % of 1,216,000) |"
	done
	echo "| Linux usbtest: one 400 KiB scatter-gather write (-t 5 -g 100 -s 4096 -c 1): simulated bus time, host wall time | $(val sg400k_write_bus_s "$out/usb-long.vals") s, $(val sg400k_write_wall_s "$out/usb-long.vals") s |"
	# Marginal cost per URB: the long run minus the short run.
	du=$(( $(val t27_urbs "$out/usb-long.vals") + $(val t28_urbs "$out/usb-long.vals") - \
	       $(val t27_urbs "$out/usb-short.vals") - $(val t28_urbs "$out/usb-short.vals") ))
	for k in mmio_reads mmio_writes irqs; do
		d=$(( $(val t27_bridge_$k "$out/usb-long.vals") + $(val t28_bridge_$k "$out/usb-long.vals") - \
		      $(val t27_bridge_$k "$out/usb-short.vals") - $(val t28_bridge_$k "$out/usb-short.vals") ))
		[ "$du" -gt 0 ] && echo "| Linux usbtest 27/28: $k per URB (long run minus short run, $du URBs) | $(echo "scale=2; $d / $du" | bc) |"
	done
	echo
	echo "Bridge counters of the guest run: $(grep 'cosim: bridge' "$out/cosim.txt" | sed 's/cosim: bridge *//')"
} > "$out/results.md"
echo "bench: wrote ${out#"$top"/}/results.md"
cat "$out/results.md"
