#!/bin/sh
# make bench: usbtest bulk throughput, long run (see bench-usb.sh).
BENCH_COUNT=5 . /kite/tests/bench-usb.sh
