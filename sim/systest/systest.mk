# sim/systest/systest.mk: the controller's system tests (C driver + Verilated controller + memory
# model + USB device models). Included by the top-level Makefile after rtl/rtl.mk and
# sim/usbdev/usbdev.mk.
#   make systest        build and run them (PASS/FAIL lines): UTMI attachment, line attachment,
#                       memory latencies from 0 to 500 cycles, and IN through a bus clock
#                       slower than usb_clk: 6 MHz with latency 500, and 1 MHz (slower than
#                       the line's byte rate) with 1023-byte isochronous packets
#   make systest-bench  bulk IN/OUT throughput in simulated bus time (scripts/bench.sh)

SYSTEST_SRC := $(TOP)/sim/systest
SYSTEST_OUT := $(BUILD)/systest
SYSTEST_BIN := $(SYSTEST_OUT)/systest
SYSTEST_BENCH_BIN := $(SYSTEST_OUT)/systest-bench
SYSTEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror $(KITE_MODEL_CFLAGS) $(USBDEV_CFLAGS) -I$(SYSTEST_SRC) \
	-I$(TOP)/sim/testlib
# the shared test harness and fixtures (sim/testlib)
SYSTEST_TESTLIB := $(SYSTEST_OUT)/kite_test.o $(SYSTEST_OUT)/kite_fixture.o
SYSTEST_LIBS := $(USBDEV_LIBS) $(KITE_MODEL_LIBS)

.PHONY: systest systest-bench

$(SYSTEST_OUT)/%.o: $(SYSTEST_SRC)/%.c $(SYSTEST_SRC)/systest.h $(TOP)/driver/kite_regs.h \
		$(TOP)/sim/testlib/kite_fixture.h $(TOP)/sim/testlib/kite_test.h
	@mkdir -p $(@D)
	$(CC) $(SYSTEST_CFLAGS) -c $< -o $@

$(SYSTEST_OUT)/%.o: $(TOP)/sim/testlib/%.c $(TOP)/sim/testlib/kite_fixture.h $(TOP)/sim/testlib/kite_test.h \
		$(TOP)/driver/kite_regs.h
	@mkdir -p $(@D)
	$(CC) $(SYSTEST_CFLAGS) -c $< -o $@

$(SYSTEST_BIN): $(SYSTEST_OUT)/systest.o $(SYSTEST_OUT)/systest_main.o $(SYSTEST_TESTLIB) $(KITE_MODEL_LIB) $(USBDEV_LIB)
	$(CXX) -o $@ $(SYSTEST_OUT)/systest.o $(SYSTEST_OUT)/systest_main.o $(SYSTEST_TESTLIB) $(SYSTEST_LIBS)

# the same tests against the minimal configuration (rtl/configs.mk)
SYSTEST_MINIMAL_BIN := $(SYSTEST_OUT)/systest-minimal
$(SYSTEST_MINIMAL_BIN): $(SYSTEST_OUT)/systest.o $(SYSTEST_OUT)/systest_main.o $(SYSTEST_TESTLIB) $(KITE_MODEL_MINIMAL_LIB) $(USBDEV_LIB)
	$(CXX) -o $@ $(SYSTEST_OUT)/systest.o $(SYSTEST_OUT)/systest_main.o $(SYSTEST_TESTLIB) $(USBDEV_LIBS) \
		$(KITE_MODEL_MINIMAL_LIB) $(filter-out $(KITE_MODEL_LIB),$(KITE_MODEL_LIBS))

$(SYSTEST_BENCH_BIN): $(SYSTEST_OUT)/systest.o $(SYSTEST_OUT)/systest_bench.o $(SYSTEST_TESTLIB) $(KITE_MODEL_LIB) \
		$(USBDEV_LIB)
	$(CXX) -o $@ $(SYSTEST_OUT)/systest.o $(SYSTEST_OUT)/systest_bench.o $(SYSTEST_TESTLIB) $(SYSTEST_LIBS)

# Succeeds whenever the tests ran; the runner counts the PASS/FAIL lines.
systest:
	@mkdir -p $(SYSTEST_OUT)
	@if $(MAKE) --no-print-directory -s $(SYSTEST_BIN) $(SYSTEST_MINIMAL_BIN) > $(SYSTEST_OUT)/build.log 2>&1; then \
		$(SYSTEST_BIN) || true; \
		$(SYSTEST_BIN) --line || true; \
		$(SYSTEST_BIN) --latency 0 bulk-sg || true; \
		$(SYSTEST_BIN) --latency 500 bulk-sg faults out-faults || true; \
		$(SYSTEST_BIN) --usb-per-bus 8 --latency 500 in-slow-bus || true; \
		$(SYSTEST_BIN) --usb-per-bus 48 in-slow-bus || true; \
		$(SYSTEST_MINIMAL_BIN) --config minimal || true; \
		$(SYSTEST_MINIMAL_BIN) --config minimal --line enumerate bulk-sg faults || true; \
	else \
		tail -20 $(SYSTEST_OUT)/build.log | sed 's/^/  /'; \
		echo "FAIL systest-build: the system tests did not build"; \
	fi

systest-bench: $(SYSTEST_BENCH_BIN)
