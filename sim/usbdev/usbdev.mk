# SPDX-License-Identifier: GPL-2.0 OR MIT
# sim/usbdev/usbdev.mk: USB device models (docs/device-models.md). Included by the top-level
# Makefile, which defines TOP and BUILD.
#
# Targets:   usbdev-lib    $(BUILD)/usbdev/libusbdev.a
#            usbdev-test   builds and runs the unit tests (PASS/FAIL lines; no RTL needed)
# Suites:    usbdev
# Exports:   USBDEV_CFLAGS   -I flags for usbdev.h (which includes kite_model.h)
#            USBDEV_LIBS     the archive to link
#            USBDEV_LIB      the archive as a prerequisite

USBDEV_SRC     := $(TOP)/sim/usbdev
USBDEV_OUT     := $(BUILD)/usbdev
USBDEV_CFLAGS  := -I$(USBDEV_SRC) -I$(TOP)/sim/model
USBDEV_CFLAGS_ALL := -std=c11 -O2 -g -Wall -Wextra -Werror $(USBDEV_CFLAGS)
USBDEV_LIB     := $(USBDEV_OUT)/libusbdev.a
USBDEV_LIBS    := $(USBDEV_LIB)
USBDEV_MODS    := usbdev gadget_zero hid_keyboard mass_storage port utmi_phy line
USBDEV_OBJS    := $(USBDEV_MODS:%=$(USBDEV_OUT)/obj/%.o)
USBDEV_HDRS    := $(wildcard $(USBDEV_SRC)/*.h) $(TOP)/sim/model/kite_model.h
USBDEV_TESTS   := test_usbdev test_utmi test_line test_hid test_msc test_idle
USBDEV_TEST_BINS := $(USBDEV_TESTS:%=$(USBDEV_OUT)/%)

.PHONY: usbdev-lib usbdev-clean

usbdev-lib: $(USBDEV_LIB)

$(USBDEV_OUT)/obj/%.o: $(USBDEV_SRC)/%.c $(USBDEV_HDRS)
	@mkdir -p $(@D)
	$(CC) $(USBDEV_CFLAGS_ALL) -c $< -o $@

$(USBDEV_LIB): $(USBDEV_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(USBDEV_OUT)/%: $(USBDEV_SRC)/tests/%.c $(wildcard $(USBDEV_SRC)/tests/*.h) $(USBDEV_HDRS) $(KT_HDRS) \
		$(KT_LIB) $(USBDEV_LIB)
	$(CC) $(USBDEV_CFLAGS_ALL) $(KT_CFLAGS) -I$(USBDEV_SRC)/tests -o $@ $< $(KT_LIB) $(USBDEV_LIBS)

define USBDEV_RUN
@$(foreach t,$(USBDEV_TEST_BINS),$(call kt_run,$(t));)
endef
$(eval $(call kite_suite,usbdev,usbdev-test,$(USBDEV_TEST_BINS),USBDEV_RUN))

usbdev-clean:
	rm -rf $(USBDEV_OUT)
