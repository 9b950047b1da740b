#!/bin/sh
# `make soak`: sw-tests/usbtest.sh at the counts of tools/usb/hcd-tests.sh (about 250 times the
# default run's). Hours of wall time in the co-simulation: not part of `make test`.
USBTEST_SCALE=${USBTEST_SCALE:-250} exec sh /kite/tests/usbtest.sh
