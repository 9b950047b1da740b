#!/bin/sh
# usbmon end to end: run sw-tests/usbmon.sh in the co-simulation (gadget zero on port 0,
# re-enumerated while /dev/usbmonN is captured into build/cosim/usbmon/usbmon.pcap), then decode
# the capture on the host with tshark and check that it holds gadget zero's device descriptor
# (GET_DESCRIPTOR response: idVendor 0x0525, idProduct 0xa4a0). Needs tshark (Debian package
# tshark). Prints PASS/FAIL lines, the guest's and its own, and a closing `N passed, N failed`
# over both; exit status 0 when all passed.
#
# Usage: scripts/test-usbmon-pcap.sh [--no-run] [-t PATTERN]
#   --no-run: only decode an existing capture
#   -t PATTERN (or KT_FILTER=PATTERN): the name filter of every kite test (docs/testing.md), here
#   and in the guest; the guest captures when one of the checks below is selected.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
RUN=$TOP/build/cosim/usbmon
PCAP=$RUN/usbmon.pcap
. "$TOP/sim/testlib/kite_test.sh"
norun=""
while [ $# -gt 0 ]; do
	kt_option "$@" && { shift "$kt_shift"; continue; }
	case $1 in
	--no-run) norun=1; shift ;;
	*) echo "test-usbmon-pcap: unknown option $1" >&2; exit 2 ;;
	esac
done
decode="usbmon-pcap-readable usbmon-pcap-device-descriptor usbmon-pcap-get-descriptor-request"

if [ -z "$norun" ]; then
	# The guest's own tests (sw-tests/usbmon.sh) are filtered there, and counted here.
	cosim_out=$(mktemp)
	"$TOP/scripts/cosim.sh" --script "$TOP/sw-tests/usbmon.sh" --name usbmon --port 0=gzero \
		--timeout 300 --filter "$kt_filter" > "$cosim_out" 2>&1
	st=$?
	grep -avE '^[0-9]+ passed, [0-9]+ failed$' "$cosim_out"
	kt_add_counts "$cosim_out"
	rm -f "$cosim_out"
	if [ $st -eq 0 ]; then
		pass usbmon-pcap-cosim
	else
		fail usbmon-pcap-cosim "the co-simulation run failed (see $RUN/console.log)"
	fi
fi

# shellcheck disable=SC2086
want_any $decode || { kt_finish; exit; }
if ! command -v tshark >/dev/null 2>&1; then
	fail usbmon-pcap-tshark "tshark not installed (apt-get install tshark)"
	kt_finish
	exit 1
fi
if [ ! -s "$PCAP" ]; then
	fail usbmon-pcap-file "$PCAP missing or empty"
	kt_finish
	exit 1
fi

# tshark refuses to run as root with a dumpcap warning only for live capture; reading is fine.
if want usbmon-pcap-readable; then
	if out=$(tshark -r "$PCAP" -q -z io,stat,0 2>&1); then
		frames=$(tshark -r "$PCAP" 2>/dev/null | wc -l)
		echo "usbmon-pcap: $PCAP: $frames frames"
		if [ "$frames" -gt 0 ]; then pass usbmon-pcap-readable; else fail usbmon-pcap-readable "no frames decoded"; fi
	else
		fail usbmon-pcap-readable "tshark cannot read $PCAP: $(echo "$out" | tail -2)"
	fi
fi

# The device descriptor: a GET_DESCRIPTOR(DEVICE) response carries idVendor and idProduct.
if want usbmon-pcap-device-descriptor; then
	desc=$(tshark -r "$PCAP" -Y 'usb.idVendor == 0x0525' -T fields -e frame.number -e usb.idVendor \
		-e usb.idProduct -e usb.bcdUSB 2>/dev/null)
	echo "usbmon-pcap: device descriptors (frame, idVendor, idProduct, bcdUSB):"
	echo "$desc" | sed 's/^/  /'
	if echo "$desc" | awk -F'\t' '$2 ~ /^(0x0*525|1317)$/ && $3 ~ /^(0x0*a4a0|42144)$/ { f = 1 } END { exit !f }'; then
		pass usbmon-pcap-device-descriptor
	else
		fail usbmon-pcap-device-descriptor "no GET_DESCRIPTOR device response with 0525:a4a0 in $PCAP"
	fi
fi

# The request side too: a SETUP GET_DESCRIPTOR (bRequest 6) for the device descriptor (type 1).
if want usbmon-pcap-get-descriptor-request; then
	req=$(tshark -r "$PCAP" -Y 'usb.setup.bRequest == 6 && usb.DescriptorIndex == 0 && usb.bDescriptorType == 1' \
		-T fields -e frame.number 2>/dev/null | wc -l)
	if [ "$req" -gt 0 ]; then
		pass usbmon-pcap-get-descriptor-request
	else
		fail usbmon-pcap-get-descriptor-request "no GET_DESCRIPTOR(DEVICE) SETUP decoded"
	fi
fi

kt_finish
