# SPDX-License-Identifier: GPL-2.0 OR MIT
# sim/systest/systest.mk: the controller's system tests (C driver + Verilated controller + memory
# model + USB device models). Included by the top-level Makefile after sim/model/model.mk and
# sim/usbdev/usbdev.mk.
#
# Targets:   systest        build and run them (PASS/FAIL lines): UTMI attachment, line
#                           attachment, memory latencies from 0 to 500 cycles, and IN through a
#                           bus clock slower than usb_clk: 6 MHz with latency 500, and 1 MHz
#                           (slower than the line's byte rate) with 1023-byte isochronous packets;
#                           the fast-forward against clocking every cycle (systest_ff.c) with
#                           each attachment and the 6 MHz bus clock; then the same against the
#                           minimal configuration (rtl/configs.mk)
#            systest-bench  bulk IN/OUT throughput in simulated bus time (scripts/bench.sh)
# Suites:    systest

SYSTEST_SRC := $(TOP)/sim/systest
SYSTEST_OUT := $(BUILD)/systest
SYSTEST_BIN := $(SYSTEST_OUT)/systest
SYSTEST_MINIMAL_BIN := $(SYSTEST_OUT)/systest-minimal
SYSTEST_BENCH_BIN := $(SYSTEST_OUT)/systest-bench
SYSTEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror $(KT_CFLAGS) $(KITE_MODEL_CFLAGS) \
	$(USBDEV_CFLAGS) -I$(SYSTEST_SRC)
SYSTEST_OBJS := $(SYSTEST_OUT)/systest.o $(SYSTEST_OUT)/systest_main.o $(SYSTEST_OUT)/systest_ff.o

$(SYSTEST_OUT)/%.o: $(SYSTEST_SRC)/%.c $(SYSTEST_SRC)/systest.h $(TOP)/driver/kite_regs.h $(KT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SYSTEST_CFLAGS) -c $< -o $@

# $(call systest_bin,BINARY,OBJECTS,MODEL ARCHIVE)
define systest_bin
$(1): $(2) $(KT_LIB) $(USBDEV_LIB) $(3)
	$(CXX) -o $$@ $(2) $(KT_LIB) $(USBDEV_LIBS) $(3) $(KITE_MODEL_SYSLIBS)
endef
$(eval $(call systest_bin,$(SYSTEST_BIN),$(SYSTEST_OBJS),$(KITE_MODEL_LIB)))
$(eval $(call systest_bin,$(SYSTEST_MINIMAL_BIN),$(SYSTEST_OBJS),$(KITE_MODEL_minimal_LIB)))
$(eval $(call systest_bin,$(SYSTEST_BENCH_BIN),$(SYSTEST_OUT)/systest.o $(SYSTEST_OUT)/systest_bench.o,$(KITE_MODEL_LIB)))

define SYSTEST_RUN
@$(call kt_run,$(SYSTEST_BIN))
@$(call kt_run,$(SYSTEST_BIN),--line)
@$(call kt_run,$(SYSTEST_BIN),--latency 0 bulk-sg)
@$(call kt_run,$(SYSTEST_BIN),--latency 500 bulk-sg faults out-faults)
@$(call kt_run,$(SYSTEST_BIN),--usb-per-bus 8 --latency 500 in-slow-bus fast-forward)
@$(call kt_run,$(SYSTEST_BIN),--usb-per-bus 48 in-slow-bus)
@$(call kt_run,$(SYSTEST_MINIMAL_BIN),--config minimal)
@$(call kt_run,$(SYSTEST_MINIMAL_BIN),--config minimal --line enumerate bulk-sg faults)
endef
$(eval $(call kite_suite,systest,systest,$(SYSTEST_BIN) $(SYSTEST_MINIMAL_BIN),SYSTEST_RUN))

.PHONY: systest-bench
systest-bench: $(SYSTEST_BENCH_BIN)
