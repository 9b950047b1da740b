# SPDX-License-Identifier: GPL-2.0 OR MIT
# kite USB engine and on-chip FS/LS PHY: lint and unit tests.
# Included by the top-level Makefile (after rtl/rtl.mk), which defines TOP and BUILD.
#
# Targets:   usb-lint   verilator --lint-only -Wall on each module: PASS/FAIL lint-<module>
#            usb-test   build and run the testbenches in rtl/tb/kite_usb_engine, rtl/tb/kite_fs_phy
# Exports:   USB_RTL_SRCS  the USB engine and PHY sources in compile order (package first), for
#                          kite_core's and the model's Verilator / synthesis file lists

VERILATOR ?= verilator
CC ?= cc
CXX ?= g++
USB_JOBS ?= 2

USB_RTL_DIR := $(TOP)/rtl
USB_BUILD := $(BUILD)/usb
USB_VLT := $(USB_RTL_DIR)/lint/verilator.vlt

USB_LINT_MODULES := kite_frame_timer kite_pkt_tx kite_pkt_rx kite_txn kite_port kite_usb_engine \
	kite_phy_tx kite_phy_rx kite_fs_phy
USB_RTL_SRCS := $(USB_RTL_DIR)/kite_usb_pkg.sv \
	$(addprefix $(USB_RTL_DIR)/,$(addsuffix .sv,$(USB_LINT_MODULES)))

USB_VL_ROOT_INC := $(shell $(VERILATOR) --getenv VERILATOR_ROOT 2>/dev/null)/include
USB_VL_FLAGS := --cc --assert -O3 --x-assign fast --x-initial fast -Wno-fatal
USB_VL_OBJS := verilated.o verilated_threads.o
USB_TB_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -I$(TOP)/rtl/tb/common -I$(TOP)/sim/model \
	-I$(TOP)/driver -I$(USB_RTL_DIR)/tb/kite_fs_phy -I$(TOP)/sim/testlib
# the one glue around a Verilated top (rtl/tb/common/vl_glue.h) and the test harness
USB_VL_GLUE := $(USB_RTL_DIR)/tb/common/vl_glue.cpp
USB_TB_COMMON := $(USB_VL_GLUE) $(USB_RTL_DIR)/tb/common/vl_glue.h $(TOP)/sim/testlib/kite_test.c \
	$(TOP)/sim/testlib/kite_test.h

.PHONY: usb-lint usb-test usb-test-build

usb-lint:
	@mkdir -p $(USB_BUILD)
	@for m in $(USB_LINT_MODULES); do \
		if $(VERILATOR) --lint-only -Wall --assert $(USB_VLT) $(USB_RTL_SRCS) --top-module $$m \
			>$(USB_BUILD)/lint-$$m.log 2>&1; then \
			echo "PASS lint-$$m"; \
		else \
			echo "FAIL lint-$$m: see $(USB_BUILD)/lint-$$m.log"; sed -n '1,5p' $(USB_BUILD)/lint-$$m.log; \
		fi; \
	done

# $(call usb_tb_rules,NAME,TOP MODULE,EXTRA SV,C SOURCE,GLUE -D FLAGS,HEADERS)
# builds $(USB_BUILD)/NAME/NAME_tb: the Verilated top, Verilator's runtime, the glue (vl_glue.cpp
# with the -D flags naming the pins header, struct and X-macro lists), the harness and the C test.
define usb_tb_rules
$(USB_BUILD)/$(1)/$(1)_tb: $(USB_RTL_SRCS) $(3) $(4) $(6) $(USB_TB_COMMON) $(USB_RTL_DIR)/usb.mk
	@mkdir -p $(USB_BUILD)/$(1)
	rm -rf $(USB_BUILD)/$(1)/obj $(USB_BUILD)/$(1)/*.o $$@
	$(VERILATOR) $(USB_VL_FLAGS) --top-module $(2) --Mdir $(USB_BUILD)/$(1)/obj \
		$(USB_RTL_SRCS) $(3) >$(USB_BUILD)/$(1)/verilate.log 2>&1 || \
		{ cat $(USB_BUILD)/$(1)/verilate.log; exit 1; }
	$(MAKE) --no-print-directory -s -C $(USB_BUILD)/$(1)/obj -f V$(2).mk -j$(USB_JOBS) \
		OPT_FAST="-O2" OPT_SLOW="-O1" OPT_GLOBAL="-O2" V$(2)__ALL.a $(USB_VL_OBJS) \
		>$(USB_BUILD)/$(1)/build.log 2>&1 || { cat $(USB_BUILD)/$(1)/build.log; exit 1; }
	$(CXX) -std=gnu++17 -O2 -c -o $(USB_BUILD)/$(1)/glue.o $(USB_VL_GLUE) -DGLUE_TOP=V$(2) $(5) \
		-I$(USB_BUILD)/$(1)/obj -I$(USB_VL_ROOT_INC) -I$(USB_VL_ROOT_INC)/vltstd -I$(dir $(4)) \
		-I$(USB_RTL_DIR)/tb/common -faligned-new
	$(CC) $(USB_TB_CFLAGS) -I$(dir $(4)) -c -o $(USB_BUILD)/$(1)/tb.o $(4)
	$(CC) $(USB_TB_CFLAGS) -c -o $(USB_BUILD)/$(1)/kite_test.o $(TOP)/sim/testlib/kite_test.c
	$(CXX) -o $$@ $(USB_BUILD)/$(1)/tb.o $(USB_BUILD)/$(1)/glue.o $(USB_BUILD)/$(1)/kite_test.o \
		$(USB_BUILD)/$(1)/obj/V$(2)__ALL.a $(addprefix $(USB_BUILD)/$(1)/obj/,$(USB_VL_OBJS)) -lpthread
endef

USB_TB_ENG_DIR := $(USB_RTL_DIR)/tb/kite_usb_engine
USB_TB_PHY_DIR := $(USB_RTL_DIR)/tb/kite_fs_phy

USB_GLUE_PHY := -DGLUE_PINS_H=phy_pins.h -DGLUE_PINS=phy_pins -DGLUE_INPUTS=PHY_INPUTS \
	-DGLUE_OUTPUTS=PHY_OUTPUTS -DGLUE_CLOCK=usb_clk
USB_GLUE_ENG := -DGLUE_PINS_H=eng_pins.h -DGLUE_PINS=eng_pins -DGLUE_INPUTS=ENG_INPUTS \
	-DGLUE_OUTPUTS=ENG_OUTPUTS -DGLUE_CLOCK=usb_clk

$(eval $(call usb_tb_rules,kite_fs_phy,kite_fs_phy,,$(USB_TB_PHY_DIR)/kite_fs_phy_tb.c,$(USB_GLUE_PHY),$(USB_TB_PHY_DIR)/phy_pins.h $(USB_TB_PHY_DIR)/usb_line.h))
$(eval $(call usb_tb_rules,kite_usb_engine,kite_usb_engine_tb_top,$(USB_TB_ENG_DIR)/kite_usb_engine_tb_top.sv,$(USB_TB_ENG_DIR)/kite_usb_engine_tb.c,$(USB_GLUE_ENG),$(USB_TB_ENG_DIR)/eng_pins.h $(USB_TB_PHY_DIR)/usb_line.h))

USB_TBS := $(USB_BUILD)/kite_fs_phy/kite_fs_phy_tb $(USB_BUILD)/kite_usb_engine/kite_usb_engine_tb

usb-test-build: $(USB_TBS)

# Builds what it can (-k), then runs every testbench whose build is up to date; a testbench that
# could not be built gets a FAIL line. Succeeds as long as the tests ran.
usb-test:
	@mkdir -p $(USB_BUILD)
	@$(MAKE) --no-print-directory -k -j$(USB_JOBS) usb-test-build >$(USB_BUILD)/build.log 2>&1 || true
	@for t in $(USB_TBS); do \
		n=$$(basename $$t); \
		if ! $(MAKE) --no-print-directory -q $$t 2>/dev/null; then \
			echo "FAIL build-$$n: see $(USB_BUILD)/build.log"; continue; \
		fi; \
		$$t || true; \
	done
