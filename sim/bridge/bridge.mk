# SPDX-License-Identifier: GPL-2.0 OR MIT
# sim/bridge/bridge.mk: kite-sim, the vhost-user virt-pci backend around the RTL model
# (docs/bridge.md), the UML management console client, and the bridge unit tests. Included by the
# top-level Makefile after sim/model/model.mk; sim/usbdev/usbdev.mk comes after it (its
# variables are expanded late: in recipes and, with $$, in prerequisites).
#
# Targets:   sim                 $(BUILD)/sim/kite-sim (the default model, $(KITE_MODEL_LIBS))
#                                and $(BUILD)/sim/kite-mconsole (sim/uml)
#            sim-test            the bridge unit tests against the mock model (PASS/FAIL lines)
#            sim-test-valgrind   the same under valgrind
# Suites:    bridge

SIM_SRC       := $(TOP)/sim/bridge
SIM_OUT       := $(BUILD)/sim
SIM_CFLAGS     = -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror \
                 -I$(TOP)/sim/model -I$(SIM_SRC) -I$(SIM_SRC)/tests $(USBDEV_CFLAGS)
SIM_CORE      := log unix_socket vhost_user virtqueue pcidev simtime calendar control
SIM_CORE_OBJS := $(SIM_CORE:%=$(SIM_OUT)/obj/%.o)
SIM_HDRS      := $(wildcard $(SIM_SRC)/*.h $(SIM_SRC)/tests/*.h) $(TOP)/sim/model/kite_model.h \
                 $(TOP)/sim/usbdev/usbdev.h
# the mock model (sim/bridge/tests/mock_model.c): the bridge tests run kite-sim without RTL
SIM_MOCK_OBJ  := $(SIM_OUT)/obj/mock_model.o
SIM_TEST_BIN  := $(SIM_OUT)/test_bridge
SIM_CTL_TEST_BIN := $(SIM_OUT)/test_control
SIM_MOCK_SIM  := $(SIM_OUT)/kite-sim-mock

.PHONY: sim sim-clean sim-test-valgrind

sim: $(SIM_OUT)/kite-sim $(SIM_OUT)/kite-mconsole

# The UML management console client scripts/cosim.sh uses to dump a hung guest's tasks.
$(SIM_OUT)/kite-mconsole: $(TOP)/sim/uml/kite-mconsole.c
	@mkdir -p $(@D)
	$(CC) $(SIM_CFLAGS) -o $@ $<

$(SIM_OUT)/obj/%.o: $(SIM_SRC)/%.c $(SIM_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SIM_CFLAGS) $(KITE_MODEL_CFLAGS) -c $< -o $@

$(SIM_OUT)/obj/%.o: $(SIM_SRC)/tests/%.c $(SIM_HDRS) $$(KT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SIM_CFLAGS) $(KT_CFLAGS) -c $< -o $@

# kite-sim around the RTL model (Verilated C++: linked with the C++ driver)
$(SIM_OUT)/kite-sim: $(SIM_CORE_OBJS) $(SIM_OUT)/obj/main.o $(KITE_MODEL_LIB) $$(USBDEV_LIB)
	$(CXX) -o $@ $(SIM_CORE_OBJS) $(SIM_OUT)/obj/main.o $(USBDEV_LIBS) $(KITE_MODEL_LIBS)

# kite-sim around the mock model: test_control runs it as a process (options, control channel).
$(SIM_MOCK_SIM): $(SIM_CORE_OBJS) $(SIM_OUT)/obj/main.o $(SIM_MOCK_OBJ) $$(USBDEV_LIB)
	$(CC) -o $@ $(SIM_CORE_OBJS) $(SIM_OUT)/obj/main.o $(SIM_MOCK_OBJ) $(USBDEV_LIBS)

$(SIM_TEST_BIN): $(SIM_CORE_OBJS) $(SIM_OUT)/obj/test_bridge.o $(SIM_MOCK_OBJ) $$(KT_LIB) $$(USBDEV_LIB)
	$(CC) -o $@ $(SIM_CORE_OBJS) $(SIM_OUT)/obj/test_bridge.o $(SIM_MOCK_OBJ) $(KT_LIB) $(USBDEV_LIBS)

# (kite-sim-mock is a prerequisite: the test runs it)
$(SIM_CTL_TEST_BIN): $(SIM_CORE_OBJS) $(SIM_OUT)/obj/test_control.o $(SIM_MOCK_OBJ) $$(KT_LIB) \
		$$(USBDEV_LIB) $(SIM_MOCK_SIM)
	$(CC) -o $@ $(SIM_CORE_OBJS) $(SIM_OUT)/obj/test_control.o $(SIM_MOCK_OBJ) $(KT_LIB) $(USBDEV_LIBS)

define BRIDGE_RUN
@$(call kt_run,$(SIM_TEST_BIN))
@$(call kt_run,$(SIM_CTL_TEST_BIN),$(SIM_MOCK_SIM))
endef
$(eval $(call kite_suite,bridge,sim-test,$(SIM_TEST_BIN) $(SIM_CTL_TEST_BIN),BRIDGE_RUN))

sim-test-valgrind: $(SIM_TEST_BIN) $(SIM_CTL_TEST_BIN)
	valgrind --error-exitcode=3 --leak-check=full --show-leak-kinds=all --track-fds=yes $(SIM_TEST_BIN)
	valgrind --error-exitcode=3 --leak-check=full --show-leak-kinds=all --track-fds=yes $(SIM_CTL_TEST_BIN) $(SIM_MOCK_SIM)

sim-clean:
	rm -rf $(SIM_OUT)
