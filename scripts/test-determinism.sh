#!/bin/sh
# Determinism of the co-simulation (docs/cosim.md, "Simulated time"): run the same script with
# the same devices twice and require identical usbmon captures (every byte, timestamps included,
# except the URB ids, which are kernel addresses) and guest consoles. The guest's clock is kite-sim's simulated bus time, so the runs must not
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
# Every byte but the URB ids: usbmon's id is the kernel address of the URB, and kmalloc still
# hands out different addresses in some runs (docs/cosim.md, "Simulated time"). Timestamps,
# setup packets, lengths, status and data must be the same.
if out=$(python3 - "$A/usbmon.pcap" "$B/usbmon.pcap" <<'PY'
import struct, sys
def records(path):
    d = open(path, "rb").read()
    if len(d) < 24:
        sys.exit("%s: no pcap header" % path)
    o, r = 24, []
    while o < len(d):
        hdr = d[o:o + 16]
        incl = struct.unpack("<IIII", hdr)[2]
        r.append((hdr, d[o + 16:o + 16 + incl]))
        o += 16 + incl
    return d[:24], r
ha, ra = records(sys.argv[1])
hb, rb = records(sys.argv[2])
if ha != hb or len(ra) != len(rb):
    sys.exit("headers or record counts differ (%d and %d records)" % (len(ra), len(rb)))
ids = 0
for i, ((xa, pa), (xb, pb)) in enumerate(zip(ra, rb)):
    if xa != xb or len(pa) != len(pb) or pa[8:] != pb[8:]:
        sys.exit("record %d differs beyond its URB id" % i)
    ids += pa[:8] != pb[:8]
print("%d records identical, %d with another URB id" % (len(ra), ids))
PY
); then
	echo "determinism: usbmon: $out"
	pass determinism-usbmon-identical
else
	fail determinism-usbmon-identical "$A/usbmon.pcap and $B/usbmon.pcap: $out"
fi
# less the harness's progress lines, the only ones that print the host's wall clock, and
# DEBUG_STACK_USAGE's "used greatest stack depth" lines: they scan a reused stack page for the
# first word never written, so they follow the same allocation differences as the URB ids
for d in "$A" "$B"; do
	grep -av -e '^kt: .* s wall' -e 'used greatest stack depth' "$d/console.log" > "$d/console.det"
done
if [ -s "$A/console.det" ] && cmp -s "$A/console.det" "$B/console.det"; then
	pass determinism-console-identical
else
	diff "$A/console.det" "$B/console.det" | head -10
	fail determinism-console-identical "the two guest consoles differ (first lines above)"
fi
kt_finish
