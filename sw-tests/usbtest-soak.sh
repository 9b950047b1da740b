#!/bin/sh
# The soak run at hcd-tests.sh counts (about 250 times the default run's), for
# `make cosim SCRIPT=sw-tests/usbtest-soak.sh DEVICES=0=gzero`; `make soak [SOAK_SCALE=N]` runs the
# same with its own scale. Hours of wall time in the co-simulation: not part of `make test`.
USBTEST_SCALE=${USBTEST_SCALE:-250} exec sh /kite/tests/usbtest.sh
