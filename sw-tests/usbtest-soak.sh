#!/bin/sh
# The soak: usbtest at tools/usb/hcd-tests.sh's own parameter sets and full counts, one pass
# over all of its test types (control, out, in, iso-out, iso-in, halt, unlink; its `loop` type
# runs nothing), through sw-tests/usbtest.sh's runner with these tables in place of its own.
# `make soak` runs it (hours; `make soak SOAK_DIV=N` divides every count by N to try the
# plumbing). As in hcd-tests.sh: testusb's defaults (-g 32, -v 512) unless a line says
# otherwise, and -s 2048 but for the control writes (256), 7b (4096), 7c (64) and the iso tests
# (32768).
# Run: scripts/cosim.sh --script sw-tests/usbtest-soak.sh --port 0=gzero
usbtest_bulk='t9-ch9 5000 -t 9 -s 2048
t10-queued-control 5000 -t 10 -s 2048
t14-control-write-read 15000 -t 14 -s 256 -v 1
t21-control-odd 100 -t 21 -s 256 -v 1
t1-bulk-out 5000 -t 1 -s 2048
t3-bulk-out-vary 5000 -t 3 -s 2048 -v 421
t17-bulk-out-odd 100 -t 17 -s 2048
t19-bulk-out-odd-premapped 100 -t 19 -s 2048
t5-sg-out 2000 -t 5 -s 2048
t7a-sg-out-vary 2000 -t 7 -s 2048 -v 579
t7b-sg-out-vary-big 2000 -t 7 -s 4096 -v 41
t7c-sg-out-vary-micro 2000 -t 7 -s 64 -v 63
t2-bulk-in 5000 -t 2 -s 2048
t4-bulk-in-vary 5000 -t 4 -s 2048
t18-bulk-in-odd 100 -t 18 -s 2048
t20-bulk-in-odd-premapped 100 -t 20 -s 2048
t6-sg-in 2000 -t 6 -s 2048
t8-sg-in-vary 2000 -t 8 -s 2048
t13-halt 2000 -t 13 -s 2048
t11-unlink-in 2000 -t 11 -s 2048
t12-unlink-out 2000 -t 12 -s 2048'
usbtest_iso='t15-iso-out 1000 -t 15 -s 32768 -g 8 -v 0
t22-iso-out-odd 100 -t 22 -s 32768 -g 8 -v 0
t16-iso-in 1000 -t 16 -s 32768 -g 8 -v 0
t23-iso-in-odd 100 -t 23 -s 32768 -g 8 -v 0'
# hcd-tests.sh has no interrupt tests.
usbtest_intr=''
export usbtest_bulk usbtest_iso usbtest_intr
exec sh /kite/tests/usbtest.sh
