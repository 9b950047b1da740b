# sim/sim.mk: kite-sim, the vhost-user virt-pci backend around the RTL model (docs/bridge.md).
# Included by the top-level Makefile, which defines TOP and BUILD.
#   make sim       -> $(BUILD)/sim/kite-mconsole (sim/uml) and $(BUILD)/sim/kite-sim (linked with $(KITE_MODEL_LIBS) from rtl/rtl.mk's
#                     `model` target; with no model yet, with the mock in sim/bridge/tests)
#   make sim-test  -> builds and runs the bridge unit tests (PASS/FAIL lines)
# kite-sim and the tests link the USB device models ($(USBDEV_LIBS) from sim/usbdev/usbdev.mk).

SIM_SRC       := $(TOP)/sim/bridge
SIM_OUT       := $(BUILD)/sim
SIM_CC        ?= $(CC)
SIM_CFLAGS    := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror \
                 -I$(TOP)/sim/model -I$(SIM_SRC) -I$(SIM_SRC)/tests $(USBDEV_CFLAGS)
SIM_CORE      := log vhost_user virtqueue pcidev simtime control
SIM_CORE_OBJS := $(SIM_CORE:%=$(SIM_OUT)/obj/%.o)
SIM_HDRS      := $(wildcard $(SIM_SRC)/*.h $(SIM_SRC)/tests/*.h) $(TOP)/sim/model/kite_model.h \
                 $(TOP)/sim/usbdev/usbdev.h
SIM_MOCK_OBJ  := $(SIM_OUT)/obj/mock_model.o
SIM_KT_OBJ    := $(SIM_OUT)/obj/kite_test.o
SIM_TEST_BIN  := $(SIM_OUT)/test_bridge
SIM_CTL_TEST_BIN := $(SIM_OUT)/test_control
SIM_MOCK_SIM  := $(SIM_OUT)/kite-sim-mock

# The real model when rtl/rtl.mk provides it (Verilated C++: link with the C++ driver).
ifneq ($(strip $(KITE_MODEL_LIBS)),)
SIM_MODEL_DEP  := model
SIM_MODEL_LINK := $(KITE_MODEL_LIBS)
SIM_LD         := $(CXX)
else
SIM_MODEL_DEP  := $(SIM_MOCK_OBJ)
SIM_MODEL_LINK := $(SIM_MOCK_OBJ)
SIM_LD         := $(SIM_CC)
endif

.PHONY: sim sim-test sim-test-valgrind sim-clean

sim: $(SIM_OUT)/kite-sim $(SIM_OUT)/kite-mconsole

# The UML management console client scripts/cosim.sh uses to dump a hung guest's tasks.
$(SIM_OUT)/kite-mconsole: $(TOP)/sim/uml/kite-mconsole.c
	@mkdir -p $(@D)
	$(SIM_CC) $(SIM_CFLAGS) -o $@ $<

$(SIM_OUT)/obj/%.o: $(SIM_SRC)/%.c $(SIM_HDRS)
	@mkdir -p $(@D)
	$(SIM_CC) $(SIM_CFLAGS) $(KITE_MODEL_CFLAGS) -c $< -o $@

$(SIM_OUT)/obj/%.o: $(SIM_SRC)/tests/%.c $(SIM_HDRS) $(TOP)/sim/testlib/kite_test.h
	@mkdir -p $(@D)
	$(SIM_CC) $(SIM_CFLAGS) -I$(TOP)/sim/testlib -c $< -o $@

$(SIM_KT_OBJ): $(TOP)/sim/testlib/kite_test.c $(TOP)/sim/testlib/kite_test.h
	@mkdir -p $(@D)
	$(SIM_CC) $(SIM_CFLAGS) -c $< -o $@

$(SIM_OUT)/kite-sim: $(SIM_CORE_OBJS) $(SIM_OUT)/obj/main.o $(SIM_MODEL_DEP) $(USBDEV_LIB)
	$(SIM_LD) -o $@ $(SIM_CORE_OBJS) $(SIM_OUT)/obj/main.o $(USBDEV_LIBS) $(SIM_MODEL_LINK)

$(SIM_TEST_BIN): $(SIM_CORE_OBJS) $(SIM_OUT)/obj/test_bridge.o $(SIM_MOCK_OBJ) $(SIM_KT_OBJ) $(USBDEV_LIB)
	$(SIM_CC) -o $@ $(SIM_CORE_OBJS) $(SIM_OUT)/obj/test_bridge.o $(SIM_MOCK_OBJ) $(SIM_KT_OBJ) $(USBDEV_LIBS)

$(SIM_CTL_TEST_BIN): $(SIM_CORE_OBJS) $(SIM_OUT)/obj/test_control.o $(SIM_MOCK_OBJ) $(SIM_KT_OBJ) $(USBDEV_LIB)
	$(SIM_CC) -o $@ $(SIM_CORE_OBJS) $(SIM_OUT)/obj/test_control.o $(SIM_MOCK_OBJ) $(SIM_KT_OBJ) $(USBDEV_LIBS)

# kite-sim around the mock model: test_control runs it as a process (options, control channel).
$(SIM_MOCK_SIM): $(SIM_CORE_OBJS) $(SIM_OUT)/obj/main.o $(SIM_MOCK_OBJ) $(USBDEV_LIB)
	$(SIM_CC) -o $@ $(SIM_CORE_OBJS) $(SIM_OUT)/obj/main.o $(SIM_MOCK_OBJ) $(USBDEV_LIBS)

# Succeeds whenever the tests ran; the runner counts the PASS/FAIL lines.
sim-test:
	@mkdir -p $(SIM_OUT); if $(MAKE) --no-print-directory -s $(SIM_TEST_BIN) $(SIM_CTL_TEST_BIN) $(SIM_MOCK_SIM) >$(SIM_OUT)/test-build.log 2>&1; then \
		$(SIM_TEST_BIN) || true; \
		$(SIM_CTL_TEST_BIN) $(SIM_MOCK_SIM) || true; \
	else \
		sed "s/^/  /" $(SIM_OUT)/test-build.log; \
		echo "FAIL sim-test-build: the bridge unit tests did not build"; \
	fi

sim-test-valgrind: $(SIM_TEST_BIN) $(SIM_CTL_TEST_BIN) $(SIM_MOCK_SIM)
	valgrind --error-exitcode=3 --leak-check=full --show-leak-kinds=all --track-fds=yes $(SIM_TEST_BIN)
	valgrind --error-exitcode=3 --leak-check=full --show-leak-kinds=all --track-fds=yes $(SIM_CTL_TEST_BIN) $(SIM_MOCK_SIM)

sim-clean:
	rm -rf $(SIM_OUT)
