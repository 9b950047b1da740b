# SPDX-License-Identifier: GPL-2.0 OR MIT
# kite RTL: register generation, lint, unit tests and the C model library.
# Included by the top-level Makefile, which defines TOP (repo root) and BUILD ($(TOP)/build).
#
# Targets:   regs  regs-check  rtl-lint  rtl-test  model
# Exports:   KITE_MODEL_LIBS    archive(s) and -l flags to link a program with the model
#            KITE_MODEL_CFLAGS  -I flags for kite_model.h and driver/kite_regs.h
#            KITE_MODEL_LIB     the archive alone (a prerequisite for linking)

VERILATOR ?= verilator
PYTHON3 ?= python3
CC ?= cc
CXX ?= g++
RTL_JOBS ?= 2

RTL_DIR := $(TOP)/rtl
MODEL_DIR := $(TOP)/sim/model
RTL_BUILD := $(BUILD)/rtl
MODEL_BUILD := $(BUILD)/model
VERILATOR_ROOT_INC := $(shell $(VERILATOR) --getenv VERILATOR_ROOT 2>/dev/null)/include

RTL_PKG := $(RTL_DIR)/kite_regs_pkg.sv
# bus-clock side of the controller (the USB engine comes from rtl/usb.mk: $(USB_RTL_SRCS))
RTL_MODULES := kite_cdc_sync kite_cdc_pulse kite_cdc_fifo kite_hdma kite_intr \
	kite_ctx_ram kite_regs kite_axil_regs kite_xfer kite_dma_op kite_core kite_axi_top \
	kite_wb_top
RTL_SRCS := $(RTL_PKG) $(addprefix $(RTL_DIR)/,$(addsuffix .sv,$(RTL_MODULES)))
# Test stand-ins for kite_usb_engine / kite_fs_phy with a private scripted protocol: only for
# the host-engine testbenches (rtl/tb/kite_xfer) and, while rtl/usb.mk does not exist yet, for
# the default model (with a warning).
RTL_STUB_SRCS := $(RTL_DIR)/tb/usb_stub/kite_usb_engine.sv $(RTL_DIR)/tb/usb_stub/kite_fs_phy.sv
ifeq ($(strip $(USB_RTL_SRCS)),)
$(warning rtl/usb.mk not found: the model is built with the TEST STUB USB engine (rtl/tb/usb_stub))
RTL_USB_SRCS := $(RTL_STUB_SRCS)
else
RTL_USB_SRCS := $(USB_RTL_SRCS)
endif
SIM_TOP_SRC := $(RTL_DIR)/tb/kite_sim_top.sv
RTL_VLT := $(RTL_DIR)/lint/verilator.vlt
REGGEN := $(TOP)/scripts/reggen.py
REGS_TOML := $(RTL_DIR)/regs/kite_regs.toml
REGS_OUT := $(RTL_PKG) $(TOP)/driver/kite_regs.h $(TOP)/docs/registers.md

MODEL_C_SRCS := $(MODEL_DIR)/axil_master.c $(MODEL_DIR)/axi_mem_slave.c
MODEL_DEPS := $(MODEL_C_SRCS) $(MODEL_DIR)/kite_model.cpp $(MODEL_DIR)/kite_model.h \
	$(MODEL_DIR)/kite_model_test.h $(MODEL_DIR)/axi_bfm.h $(RTL_SRCS) $(SIM_TOP_SRC) \
	$(RTL_DIR)/rtl.mk

KITE_MODEL_LIB := $(MODEL_BUILD)/libkitemodel.a
KITE_MODEL_LIBS := $(KITE_MODEL_LIB) -lz -lpthread -lstdc++ -lm
KITE_MODEL_CFLAGS := -I$(MODEL_DIR) -I$(TOP)/driver

# --assert: the RTL's assertions (`ifndef SYNTHESIS) stop the model loudly in every test and in
# the co-simulation
VL_FLAGS := --cc --assert --trace-fst -O3 --x-assign fast --x-initial fast -Wno-fatal \
	--top-module kite_sim_top
VL_GLOBAL_OBJS := verilated.o verilated_fst_c.o verilated_threads.o

.PHONY: regs regs-check rtl-lint rtl-test model

# ------------------------------------------------------------------ register generation
regs:
	$(PYTHON3) $(REGGEN)

regs-check:
	@$(PYTHON3) $(REGGEN) --check

# ------------------------------------------------------------------ lint
rtl-lint:
	@mkdir -p $(BUILD)
	@for m in $(RTL_MODULES); do \
		if $(VERILATOR) --lint-only -Wall --assert $(RTL_VLT) $(RTL_SRCS) $(RTL_USB_SRCS) --top-module $$m \
			>$(BUILD)/lint-$$m.log 2>&1; then \
			echo "PASS lint-$$m"; \
		else \
			echo "FAIL lint-$$m: see $(BUILD)/lint-$$m.log"; sed -n '1,5p' $(BUILD)/lint-$$m.log; \
		fi; \
	done

# ------------------------------------------------------------------ model library variants
# $(call kite_model_rules,DIR,VERILATOR -G flags,C++ optimisation flags[,USB engine sources])
# builds DIR/libkitemodel.a: the Verilated kite_sim_top (kite_axi_top + kite_fs_phy per port),
# Verilator's runtime and the C BFMs. The USB engine defaults to $(RTL_USB_SRCS).
define kite_model_rules
$(1)/libkitemodel.a: $(MODEL_DEPS) $(if $(4),$(4),$(RTL_USB_SRCS))
	@mkdir -p $(1)
	rm -rf $(1)/obj $(1)/*.o $(1)/libkitemodel.a
	$(VERILATOR) $(VL_FLAGS) $(2) --Mdir $(1)/obj $(RTL_SRCS) $(if $(4),$(4),$(RTL_USB_SRCS)) \
		$(SIM_TOP_SRC) >$(1)/verilate.log 2>&1 || \
		{ cat $(1)/verilate.log; exit 1; }
	$(MAKE) --no-print-directory -s -C $(1)/obj -f Vkite_sim_top.mk -j$(RTL_JOBS) \
		OPT_FAST="$(3)" OPT_SLOW="-O1" OPT_GLOBAL="-O2" \
		Vkite_sim_top__ALL.a $(VL_GLOBAL_OBJS) >$(1)/build.log 2>&1 || \
		{ cat $(1)/build.log; exit 1; }
	$(CXX) -std=gnu++17 $(3) -c -o $(1)/kite_model.o $(MODEL_DIR)/kite_model.cpp \
		-I$(1)/obj -I$(VERILATOR_ROOT_INC) -I$(VERILATOR_ROOT_INC)/vltstd -I$(MODEL_DIR) \
		-DVM_TRACE=1 -DVM_TRACE_FST=1 -faligned-new
	$(CC) -std=gnu11 -O2 -Wall -Wextra -c -o $(1)/axil_master.o $(MODEL_DIR)/axil_master.c \
		-I$(MODEL_DIR)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -c -o $(1)/axi_mem_slave.o \
		$(MODEL_DIR)/axi_mem_slave.c -I$(MODEL_DIR)
	printf 'create $(1)/libkitemodel.a\naddlib $(1)/obj/Vkite_sim_top__ALL.a\n%s\nsave\nend\n' \
		"$$$$(for o in $(VL_GLOBAL_OBJS); do echo addmod $(1)/obj/$$$$o; done; \
		for o in kite_model axil_master axi_mem_slave; do echo addmod $(1)/$$$$o.o; done)" \
		| ar -M
endef

# the model the simulator links: the default configuration, fastest code
include $(RTL_DIR)/configs.mk
$(eval $(call kite_model_rules,$(MODEL_BUILD),$(addprefix -G,$(KITE_CONFIG_default)),-O2))
model: $(KITE_MODEL_LIB)
# the minimal configuration, for the system tests (sim/systest/systest.mk)
KITE_MODEL_MINIMAL_LIB := $(BUILD)/model-minimal/libkitemodel.a
$(eval $(call kite_model_rules,$(BUILD)/model-minimal,$(addprefix -G,$(KITE_CONFIG_minimal)),-O1))

# test variants: narrow bus and 32-bit addresses; wide bus with the longest bursts
RTL_VARIANTS := d32 d128
RTL_VARIANT_G_d32 := -GADDR_WIDTH=32 -GDATA_WIDTH=32 -GMAX_BURST_BEATS=8 -GDMA_BUF_BYTES=256
RTL_VARIANT_G_d128 := -GADDR_WIDTH=64 -GDATA_WIDTH=128 -GMAX_BURST_BEATS=256 -GDMA_BUF_BYTES=2048
$(foreach v,$(RTL_VARIANTS),$(eval $(call kite_model_rules,$(RTL_BUILD)/$(v),$(RTL_VARIANT_G_$(v)),-O1)))
# host-engine tests: the scripted stub engine, two ports, 32-bit data bus (more realignment),
# 8 contexts; and one with the default 64-bit bus and 4 ports
RTL_STUB_LIB := $(RTL_BUILD)/stub/libkitemodel.a
$(eval $(call kite_model_rules,$(RTL_BUILD)/stub,-GNUM_PORTS=2 -GNUM_CTX=8 -GDATA_WIDTH=32 -GMAX_BURST_BEATS=8,-O1,$(RTL_STUB_SRCS)))

# ------------------------------------------------------------------ testbenches
# the test harness and the shared fixtures (sim/testlib), linked into every testbench
RTL_TESTLIB := $(TOP)/sim/testlib
RTL_TESTLIB_SRCS := $(RTL_TESTLIB)/kite_test.c $(RTL_TESTLIB)/kite_fixture.c
RTL_TB_CFLAGS := -std=gnu11 -O1 -Wall -Wextra $(KITE_MODEL_CFLAGS) -I$(RTL_TESTLIB)
RTL_TB_COMMON := $(TOP)/driver/kite_regs.h $(RTL_TESTLIB_SRCS) \
	$(RTL_TESTLIB)/kite_test.h $(RTL_TESTLIB)/kite_fixture.h

# $(call kite_tb_rule,BINARY,SOURCE,LIBRARY)
define kite_tb_rule
$(1): $(2) $(3) $(RTL_TB_COMMON)
	@mkdir -p $(dir $(1))
	$(CC) $(RTL_TB_CFLAGS) -o $(1) $(2) $(RTL_TESTLIB_SRCS) $(3) -lz -lpthread -lstdc++ -lm
endef

RTL_TB_REGS := $(RTL_BUILD)/tb/kite_axil_regs_tb
RTL_TB_TOP := $(RTL_BUILD)/tb/kite_axi_top_tb
RTL_TB_DMA := $(RTL_BUILD)/tb/kite_dma_test_tb-d64 \
	$(foreach v,$(RTL_VARIANTS),$(RTL_BUILD)/tb/kite_dma_test_tb-$(v))
RTL_TB_XFER := $(RTL_BUILD)/tb/kite_xfer_tb
RTL_TB_CDC := $(RTL_BUILD)/tb/kite_cdc_tb
RTL_TB_REGGEN := $(RTL_BUILD)/tb/reggen_tb.sh
RTL_TB_WB := $(RTL_BUILD)/tb/kite_wb_top_tb
RTL_TB_WALK := $(RTL_BUILD)/tb/kite_regs_walk_tb $(RTL_BUILD)/tb/kite_regs_walk_tb-minimal
RTL_TBS := $(RTL_TB_REGS) $(RTL_TB_TOP) $(RTL_TB_DMA) $(RTL_TB_XFER) $(RTL_TB_CDC) $(RTL_TB_REGGEN) \
	$(RTL_TB_WB) $(RTL_TB_WALK)

$(eval $(call kite_tb_rule,$(RTL_TB_REGS),$(RTL_DIR)/tb/kite_axil_regs/kite_axil_regs_tb.c,$(KITE_MODEL_LIB)))
# the generated register walk (rtl/tb/kite_regs_walk), on the default and the minimal model
RTL_WALK_SRCS := $(RTL_DIR)/tb/kite_regs_walk/kite_regs_walk_tb.c
$(eval $(call kite_tb_rule,$(RTL_BUILD)/tb/kite_regs_walk_tb,$(RTL_WALK_SRCS),$(KITE_MODEL_LIB)))
$(eval $(call kite_tb_rule,$(RTL_BUILD)/tb/kite_regs_walk_tb-minimal,$(RTL_WALK_SRCS),$(KITE_MODEL_MINIMAL_LIB)))
$(RTL_TB_REGS) $(RTL_TB_WALK): $(TOP)/sim/testlib/kite_test.h
$(RTL_TB_WALK): $(RTL_DIR)/tb/kite_regs_walk/kite_regs_walk.h
# the parameters the walk expects: the configuration's, and the on-chip PHY kite_sim_top adds
RTL_WALK_PARAMS_default := $(KITE_CONFIG_default) ONCHIP_PHY=1
RTL_WALK_PARAMS_minimal := $(KITE_CONFIG_minimal) ONCHIP_PHY=1
$(eval $(call kite_tb_rule,$(RTL_TB_TOP),$(RTL_DIR)/tb/kite_axi_top/kite_axi_top_tb.c,$(KITE_MODEL_LIB)))
$(eval $(call kite_tb_rule,$(RTL_TB_XFER),$(RTL_DIR)/tb/kite_xfer/kite_xfer_tb.c,$(RTL_STUB_LIB)))

# CDC FIFO testbench: its own small Verilated model (two free-running clocks)
RTL_CDC_DIR := $(RTL_BUILD)/cdc
$(RTL_TB_CDC): $(RTL_DIR)/kite_cdc_fifo.sv $(RTL_DIR)/kite_cdc_sync.sv \
		$(RTL_DIR)/tb/kite_cdc/kite_cdc_tb.cpp $(RTL_DIR)/rtl.mk $(RTL_TB_COMMON)
	@mkdir -p $(RTL_CDC_DIR) $(dir $@)
	$(CC) $(RTL_TB_CFLAGS) -c -o $(RTL_CDC_DIR)/kite_test.o $(RTL_TESTLIB)/kite_test.c
	$(VERILATOR) --cc --exe --assert -O2 -Wno-fatal --top-module kite_cdc_fifo -GWIDTH=16 -GDEPTH=16 \
		-CFLAGS -I$(RTL_TESTLIB) -LDFLAGS $(RTL_CDC_DIR)/kite_test.o \
		--Mdir $(RTL_CDC_DIR) -o $@ $(RTL_DIR)/kite_cdc_fifo.sv $(RTL_DIR)/kite_cdc_sync.sv \
		$(RTL_DIR)/tb/kite_cdc/kite_cdc_tb.cpp >$(RTL_CDC_DIR)/verilate.log 2>&1
	$(MAKE) --no-print-directory -s -C $(RTL_CDC_DIR) -f Vkite_cdc_fifo.mk -j$(RTL_JOBS) \
		OPT_FAST=-O1 >$(RTL_CDC_DIR)/build.log 2>&1
	@# Verilator and its make skip unchanged outputs: mark the binary as up to date (else a
	@# change of rtl.mk alone leaves it older than its prerequisites for ever)
	@touch $@

# reggen checks (arrays, structs, --check): a shell script that runs the generator
$(RTL_TB_REGGEN): $(RTL_DIR)/tb/reggen/reggen_tb.sh $(REGGEN)
	@mkdir -p $(dir $@)
	cp $< $@

# Wishbone top testbench: its own Verilated kite_wb_top (default parameters, the USB engine the
# model uses, bus clock 96 MHz), C Wishbone BFMs (rtl/tb/kite_wb_top/) and the one C++ glue
# (rtl/tb/common/vl_glue.cpp). The Verilated archive depends on the RTL only, so editing the C
# testbench relinks without re-Verilating.
RTL_WB_BUILD := $(RTL_BUILD)/wb
RTL_WB_TB_DIR := $(RTL_DIR)/tb/kite_wb_top
RTL_WB_VL_LIB := $(RTL_WB_BUILD)/obj/Vkite_wb_top__ALL.a
RTL_WB_VL_OBJS := verilated.o verilated_threads.o
$(RTL_WB_VL_LIB): $(RTL_SRCS) $(RTL_USB_SRCS) $(RTL_DIR)/rtl.mk
	@mkdir -p $(RTL_WB_BUILD)
	rm -rf $(RTL_WB_BUILD)/obj
	$(VERILATOR) --cc --assert -O3 --x-assign fast --x-initial fast -Wno-fatal --top-module kite_wb_top \
		-GBUS_CLK_HZ=96000000 --Mdir $(RTL_WB_BUILD)/obj $(RTL_SRCS) $(RTL_USB_SRCS) \
		>$(RTL_WB_BUILD)/verilate.log 2>&1 || { cat $(RTL_WB_BUILD)/verilate.log; exit 1; }
	$(MAKE) --no-print-directory -s -C $(RTL_WB_BUILD)/obj -f Vkite_wb_top.mk -j$(RTL_JOBS) \
		OPT_FAST="-O1" OPT_SLOW="-O1" OPT_GLOBAL="-O2" Vkite_wb_top__ALL.a $(RTL_WB_VL_OBJS) \
		>$(RTL_WB_BUILD)/build.log 2>&1 || { cat $(RTL_WB_BUILD)/build.log; exit 1; }
$(RTL_TB_WB): $(RTL_WB_VL_LIB) $(RTL_WB_TB_DIR)/kite_wb_top_tb.c $(RTL_WB_TB_DIR)/wb_bfm.c \
		$(RTL_WB_TB_DIR)/wb_bfm.h $(RTL_WB_TB_DIR)/wb_pins.h \
		$(RTL_DIR)/tb/common/vl_glue.cpp $(RTL_DIR)/tb/common/vl_glue.h $(RTL_TB_COMMON)
	@mkdir -p $(dir $@)
	$(CXX) -std=gnu++17 -O1 -c -o $(RTL_WB_BUILD)/glue.o $(RTL_DIR)/tb/common/vl_glue.cpp \
		-DGLUE_TOP=Vkite_wb_top -DGLUE_NAME=kite_wb -DGLUE_PINS_H=wb_pins.h -DGLUE_PINS=wb_top_pins \
		-DGLUE_INPUTS=WB_TOP_INPUTS -DGLUE_OUTPUTS=WB_TOP_OUTPUTS \
		-I$(RTL_WB_BUILD)/obj -I$(VERILATOR_ROOT_INC) -I$(VERILATOR_ROOT_INC)/vltstd \
		-I$(RTL_WB_TB_DIR) -I$(RTL_DIR)/tb/common -faligned-new
	$(CC) $(RTL_TB_CFLAGS) -Werror -I$(RTL_DIR)/tb/common -c -o $(RTL_WB_BUILD)/tb.o \
		$(RTL_WB_TB_DIR)/kite_wb_top_tb.c
	$(CC) $(RTL_TB_CFLAGS) -Werror -c -o $(RTL_WB_BUILD)/wb_bfm.o $(RTL_WB_TB_DIR)/wb_bfm.c
	$(CC) $(RTL_TB_CFLAGS) -Werror -c -o $(RTL_WB_BUILD)/kite_test.o $(RTL_TESTLIB)/kite_test.c
	$(CXX) -o $@ $(RTL_WB_BUILD)/tb.o $(RTL_WB_BUILD)/wb_bfm.o $(RTL_WB_BUILD)/glue.o \
		$(RTL_WB_BUILD)/kite_test.o \
		$(RTL_WB_VL_LIB) $(addprefix $(RTL_WB_BUILD)/obj/,$(RTL_WB_VL_OBJS)) -lpthread

$(eval $(call kite_tb_rule,$(RTL_BUILD)/tb/kite_dma_test_tb-d64,$(RTL_DIR)/tb/kite_dma_test/kite_dma_test_tb.c,$(KITE_MODEL_LIB)))
$(foreach v,$(RTL_VARIANTS),$(eval $(call kite_tb_rule,$(RTL_BUILD)/tb/kite_dma_test_tb-$(v),$(RTL_DIR)/tb/kite_dma_test/kite_dma_test_tb.c,$(RTL_BUILD)/$(v)/libkitemodel.a)))

.PHONY: rtl-test-build
rtl-test-build: $(RTL_TBS)

# Builds what it can (-k), then runs every testbench whose build is up to date; a testbench
# that could not be built gets a FAIL line. Succeeds as long as the tests ran.
rtl-test:
	@mkdir -p $(RTL_BUILD)
	@$(MAKE) --no-print-directory -k -j$(RTL_JOBS) rtl-test-build >$(RTL_BUILD)/build.log 2>&1 || true
	@for t in $(RTL_TBS); do \
		n=$$(basename $$t); \
		if ! $(MAKE) --no-print-directory -q $$t 2>/dev/null; then \
			echo "FAIL build-$$n: see $(RTL_BUILD)/build.log"; continue; \
		fi; \
		case $$n in \
		kite_dma_test_tb-*) $$t $${n#kite_dma_test_tb-} || true ;; \
		kite_axi_top_tb) $$t $(RTL_BUILD)/kite_axi_top.fst || true ;; \
		reggen_tb.sh) sh $$t $(TOP) || true ;; \
		kite_regs_walk_tb) $$t $(addprefix -p ,$(RTL_WALK_PARAMS_default)) || true ;; \
		kite_regs_walk_tb-minimal) $$t -n minimal $(addprefix -p ,$(RTL_WALK_PARAMS_minimal)) || true ;; \
		*) $$t || true ;; \
		esac; \
	done
