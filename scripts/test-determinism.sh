#!/bin/sh
# Determinism of the co-simulation (docs/cosim.md, "Simulated time"): run the same script with
# the same devices twice and require byte-identical usbmon captures (timestamps included) and
# guest consoles. The guest's clock is kite-sim's simulated bus time, so the runs must not
# differ whatever the host's load.
#
# Usage: scripts/test-determinism.sh [-t PATTERN]
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
. "$TOP/sim/testlib/kite_test.sh"
while [ $# -gt 0 ]; do
	kt_option "$@" && { shift "$kt_shift"; continue; }
	echo "test-determinism: unknown option $1" >&2
	exit 2
done
want_any determinism-run-1 determinism-run-2 determinism-usbmon-identical \
	determinism-console-identical || { kt_finish; exit 0; }

RUN=$BUILD/cosim/determinism
for i in 1 2; do
	out=$(mktemp)
	"$TOP/scripts/cosim.sh" --script "$TOP/sw-tests/determinism.sh" --name determinism \
		--port 0=gzero --timeout 600 > "$out" 2>&1
	st=$?
	rm -rf "$BUILD/cosim/determinism-$i"
	cp -r "$RUN" "$BUILD/cosim/determinism-$i"
	if [ $st -eq 0 ] && grep -q '^PASS determinism-workload' "$out"; then
		pass "determinism-run-$i"
	else
		tail -20 "$out"
		fail "determinism-run-$i" "the co-simulation run failed (see $BUILD/cosim/determinism-$i)"
	fi
	rm -f "$out"
done
A=$BUILD/cosim/determinism-1
B=$BUILD/cosim/determinism-2
if cmp -s "$A/usbmon.pcap" "$B/usbmon.pcap" && [ -s "$A/usbmon.pcap" ]; then
	pass determinism-usbmon-identical
else
	fail determinism-usbmon-identical "$A/usbmon.pcap and $B/usbmon.pcap differ: $(cmp "$A/usbmon.pcap" "$B/usbmon.pcap" 2>&1)"
fi
# less the harness's progress lines, the only ones that print the host's wall clock
for d in "$A" "$B"; do
	grep -av '^kt: .* s wall' "$d/console.log" > "$d/console.det"
done
if [ -s "$A/console.det" ] && cmp -s "$A/console.det" "$B/console.det"; then
	pass determinism-console-identical
else
	diff "$A/console.det" "$B/console.det" | head -10
	fail determinism-console-identical "the two guest consoles differ (first lines above)"
fi
kt_finish
