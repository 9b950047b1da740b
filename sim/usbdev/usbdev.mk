# sim/usbdev/usbdev.mk: USB device models (docs/device-models.md). Included by the top-level
# Makefile, which defines TOP and BUILD.
#   make usbdev-lib    -> $(BUILD)/usbdev/libusbdev.a
#   make usbdev-test   -> builds and runs the unit tests (PASS/FAIL lines)
# Exports for other makefiles:
#   USBDEV_CFLAGS   -I flags for usbdev.h (which includes kite_model.h)
#   USBDEV_LIBS     the archive to link
#   USBDEV_LIB      the archive as a prerequisite

USBDEV_SRC     := $(TOP)/sim/usbdev
USBDEV_OUT     := $(BUILD)/usbdev
USBDEV_CC      ?= $(CC)
USBDEV_CFLAGS  := -I$(USBDEV_SRC) -I$(TOP)/sim/model
USBDEV_CFLAGS_ALL := -std=c11 -O2 -g -Wall -Wextra -Werror $(USBDEV_CFLAGS)
USBDEV_LIB     := $(USBDEV_OUT)/libusbdev.a
USBDEV_LIBS    := $(USBDEV_LIB)
USBDEV_MODS    := usbdev gadget_zero hid_keyboard mass_storage port utmi_phy line
USBDEV_OBJS    := $(USBDEV_MODS:%=$(USBDEV_OUT)/obj/%.o)
USBDEV_HDRS    := $(wildcard $(USBDEV_SRC)/*.h) $(TOP)/sim/model/kite_model.h
USBDEV_TESTS   := test_usbdev test_utmi test_line test_hid test_msc
USBDEV_TEST_BINS := $(USBDEV_TESTS:%=$(USBDEV_OUT)/%)

.PHONY: usbdev-lib usbdev-test usbdev-clean

usbdev-lib: $(USBDEV_LIB)

$(USBDEV_OUT)/obj/%.o: $(USBDEV_SRC)/%.c $(USBDEV_HDRS)
	@mkdir -p $(@D)
	$(USBDEV_CC) $(USBDEV_CFLAGS_ALL) -c $< -o $@

$(USBDEV_LIB): $(USBDEV_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(USBDEV_OUT)/%: $(USBDEV_SRC)/tests/%.c $(USBDEV_SRC)/tests/usbdev_test.h $(USBDEV_HDRS) $(USBDEV_LIB) \
		$(TOP)/sim/testlib/kite_test.c $(TOP)/sim/testlib/kite_test.h
	$(USBDEV_CC) $(USBDEV_CFLAGS_ALL) -I$(USBDEV_SRC)/tests -I$(TOP)/sim/testlib -o $@ $< \
		$(TOP)/sim/testlib/kite_test.c $(USBDEV_LIBS)

# Succeeds whenever the tests ran; the runner counts the PASS/FAIL lines.
usbdev-test:
	@mkdir -p $(USBDEV_OUT); if $(MAKE) --no-print-directory -s $(USBDEV_TEST_BINS) >$(USBDEV_OUT)/test-build.log 2>&1; then \
		for t in $(USBDEV_TEST_BINS); do $$t || true; done; \
	else \
		sed "s/^/  /" $(USBDEV_OUT)/test-build.log; \
		echo "FAIL usbdev-test-build: the usbdev unit tests did not build"; \
	fi

usbdev-clean:
	rm -rf $(USBDEV_OUT)
