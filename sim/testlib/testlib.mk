# SPDX-License-Identifier: GPL-2.0 OR MIT
# sim/testlib/testlib.mk: the test harness (kite_test.h) and the shared fixtures, every
# sim/testlib/*.c, in one archive. Included by the top-level Makefile, which defines TOP and BUILD.
#
# Targets:   testlib
# Exports:   KT_CFLAGS   -I flags for kite_test.h and the fixtures' headers
#            KT_LIB      the archive: link it FIRST (before the device-model and model archives,
#                        which the fixtures call into), and depend on it
#            KT_HDRS     the headers (a prerequisite of every test object)
#            KT_SH       the shell side of the harness (sourced by script suites and recipes)
# Every C test binary (RTL testbenches, usbdev, bridge and system tests) is compiled with
# $(KT_CFLAGS) and linked with $(KT_LIB).

KT_DIR := $(TOP)/sim/testlib
KT_BUILD := $(BUILD)/testlib
KT_SRCS := $(wildcard $(KT_DIR)/*.c)
KT_HDRS := $(wildcard $(KT_DIR)/*.h)
KT_OBJS := $(patsubst $(KT_DIR)/%.c,$(KT_BUILD)/%.o,$(KT_SRCS))
KT_LIB := $(KT_BUILD)/libkitetest.a
# the shell side (want, pass, fail, check, kt_finish), for script suites and make recipes
KT_SH := $(KT_DIR)/kite_test.sh
KT_CFLAGS := -I$(KT_DIR)
# the fixtures drive the model, the device models and the registers
KT_LIB_CFLAGS := -std=gnu11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror $(KT_CFLAGS) -I$(TOP)/sim/model \
	-I$(TOP)/sim/usbdev -I$(TOP)/driver

.PHONY: testlib
testlib: $(KT_LIB)

$(KT_BUILD)/%.o: $(KT_DIR)/%.c $(KT_HDRS) $(TOP)/sim/model/kite_model.h $(TOP)/driver/kite_regs.h
	@mkdir -p $(@D)
	$(CC) $(KT_LIB_CFLAGS) -c -o $@ $<

$(KT_LIB): $(KT_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

# The shell side of the harness (kite_test.sh, sourced by every script suite and shipped into
# the guest) selects exactly the names the C side selects: test-shell-filter.sh compares them
# under dash, bash and busybox ash.
TEST_SUITES += testlib
SUITE_CMD_testlib := $(KT_DIR)/test-shell-filter.sh
