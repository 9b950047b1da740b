#!/bin/sh
# make bench: usbtest bulk throughput, short run (see bench-usb.sh).
BENCH_COUNT=1 . /kite/tests/bench-usb.sh
