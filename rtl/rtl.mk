# SPDX-License-Identifier: GPL-2.0 OR MIT
# kite RTL: register generation, lint and the RTL/USB unit testbenches; the one Verilator recipe
# (kite_verilate) and the one C test-binary recipe (kite_test_bin) every model and testbench
# uses. Included first by the top-level Makefile, which defines TOP and BUILD.
#
# Targets:   regs  regs-check  rtl-lint  usb-lint  lint-<module>  rtl-test  usb-test
#            print-rtl-srcs  print-config-<name>
# Suites:    regs  lint  rtl  usb
# Exports:   RTL_SRCS USB_RTL_SRCS RTL_STUB_SRCS SIM_TOP_SRC   SystemVerilog file lists
#            KITE_CONFIGS KITE_CONFIG_<name>                     (rtl/configs.mk)
#            kite_verilate kite_test_bin kite_suite kt_run      the macros below

VERILATOR ?= verilator
PYTHON3 ?= python3
CC ?= cc
CXX ?= g++
# parallel jobs of a test suite's build step (scripts/run-tests.sh runs the suites one by one)
KT_JOBS ?= 2

RTL_DIR := $(TOP)/rtl
RTL_BUILD := $(BUILD)/rtl
USB_BUILD := $(BUILD)/usb
VERILATOR_INC := $(shell $(VERILATOR) --getenv VERILATOR_ROOT 2>/dev/null)/include

# ------------------------------------------------------------------ sources
RTL_PKG := $(RTL_DIR)/kite_regs_pkg.sv
# bus-clock side of the controller
RTL_MODULES := kite_cdc_sync kite_cdc_pulse kite_cdc_fifo kite_hdma kite_intr \
	kite_ctx_ram kite_regs kite_axil_regs kite_xfer kite_dma_op kite_core kite_axi_top \
	kite_wb_top
RTL_SRCS := $(RTL_PKG) $(addprefix $(RTL_DIR)/,$(addsuffix .sv,$(RTL_MODULES)))
# USB engine and on-chip FS/LS PHY (docs/usb-engine.md), in compile order (package first)
USB_MODULES := kite_frame_timer kite_pkt_tx kite_pkt_rx kite_txn kite_port kite_usb_engine \
	kite_phy_tx kite_phy_rx kite_fs_phy
USB_RTL_SRCS := $(RTL_DIR)/kite_usb_pkg.sv $(addprefix $(RTL_DIR)/,$(addsuffix .sv,$(USB_MODULES)))
# test stand-ins for kite_usb_engine / kite_fs_phy with a private scripted protocol: only for
# the host-engine testbench (rtl/tb/kite_xfer, model variant "stub" in sim/model/model.mk)
RTL_STUB_SRCS := $(RTL_DIR)/tb/usb_stub/kite_usb_engine.sv $(RTL_DIR)/tb/usb_stub/kite_fs_phy.sv
# the model's top: kite_axi_top with one kite_fs_phy per port
SIM_TOP_SRC := $(RTL_DIR)/tb/kite_sim_top.sv
RTL_VLT := $(RTL_DIR)/lint/verilator.vlt

# the named configurations (data only; scripts/synth.sh hashes that file)
include $(RTL_DIR)/configs.mk

.PHONY: print-rtl-srcs $(addprefix print-config-,$(KITE_CONFIGS))
# source list for scripts/synth.sh and LiteX users (docs/rtl.md)
print-rtl-srcs:
	@echo $(USB_RTL_SRCS) $(RTL_SRCS)
$(addprefix print-config-,$(KITE_CONFIGS)): print-config-%:
	@echo $(KITE_CONFIG_$*)

# ------------------------------------------------------------------ register generation
REGGEN := $(TOP)/scripts/reggen.py

.PHONY: regs regs-check
regs:
	$(PYTHON3) $(REGGEN)

# one check, reggen-up-to-date, under the name filter of every kite test (KT_FILTER)
regs-check:
	@. $(KT_SH); if want reggen-up-to-date; then \
		if out=$$($(PYTHON3) $(REGGEN) --check 2>&1); then pass reggen-up-to-date; \
		else fail reggen-up-to-date "$$(echo "$$out" | sed 's/^FAIL reggen-up-to-date: //')"; fi; \
	fi; kt_finish

# ------------------------------------------------------------------ lint
# verilator -Wall on each module (every RTL source, the module as top), one PASS/FAIL line
# lint-<module>, under the name filter (KT_FILTER), and the closing count; waivers in
# rtl/lint/verilator.vlt. make lint-<module> lints one module, make rtl-lint / usb-lint a
# share, make lint all of them.
.PHONY: lint rtl-lint usb-lint
lint_modules = @mkdir -p $(BUILD)/lint; . $(KT_SH); for m in $(1); do \
		want lint-$$m || continue; \
		if $(VERILATOR) --lint-only -Wall --assert $(RTL_VLT) $(RTL_SRCS) $(USB_RTL_SRCS) \
			--top-module $$m >$(BUILD)/lint/$$m.log 2>&1; then \
			pass lint-$$m; \
		else \
			fail lint-$$m "see $(BUILD)/lint/$$m.log"; sed -n '1,5p' $(BUILD)/lint/$$m.log; \
		fi; \
	done; kt_finish
lint:
	$(call lint_modules,$(RTL_MODULES) $(USB_MODULES))
rtl-lint:
	$(call lint_modules,$(RTL_MODULES))
usb-lint:
	$(call lint_modules,$(USB_MODULES))
lint-%:
	$(call lint_modules,$*)

# ------------------------------------------------------------------ the Verilator recipe
# $(call kite_verilate,DIR,TOP MODULE,SV SOURCES,VERILATOR FLAGS,C++ OPTIMISATION)
# builds DIR/libV<TOP>.a: the Verilated TOP (C++ in DIR/obj, whose headers the C++ glue
# includes) and Verilator's runtime, in one archive. VERILATOR FLAGS are the parameters (-G),
# defines (+define+) and --trace-fst (then the archive holds the FST writer, and
# $(call vl_glue_defs,FLAGS) are the defines the glue is compiled with). --assert: the RTL's
# assertions (`ifndef SYNTHESIS) stop every model and testbench loudly. The archive is rebuilt
# when a source or the command (DIR/verilate.cmd) changes.
VL_FLAGS := --cc --assert -O3 --x-assign fast --x-initial fast -Wno-fatal
vl_make_opts = OPT_FAST="$(1)" OPT_SLOW="-O1" OPT_GLOBAL="-O2"
vl_rt_objs = verilated.o verilated_threads.o $(if $(filter --trace-fst,$(1)),verilated_fst_c.o)
vl_glue_defs = $(if $(filter --trace-fst,$(1)),-DVM_TRACE=1 -DVM_TRACE_FST=1)
VL_GLUE_CXXFLAGS := -std=gnu++17 -faligned-new -I$(VERILATOR_INC) -I$(VERILATOR_INC)/vltstd

define kite_verilate
VL_CMD_$(1) := $(VERILATOR) $(VL_FLAGS) --top-module $(2) $(4) $(3) $(call vl_make_opts,$(5)) \
	$(call vl_rt_objs,$(4))
$(1)/libV$(2).a: $(3) $$(call kt_cmd_file,$(1)/verilate.cmd,VL_CMD_$(1))
	rm -rf $(1)/obj $$@
	$(VERILATOR) $(VL_FLAGS) --top-module $(2) $(4) --Mdir $(1)/obj $(3) \
		>$(1)/verilate.log 2>&1 || { cat $(1)/verilate.log; exit 1; }
	$$(DRY_RUN)$$(MAKE) --no-print-directory -s -C $(1)/obj -f V$(2).mk $(call vl_make_opts,$(5)) \
		V$(2)__ALL.a $(call vl_rt_objs,$(4)) >$(1)/build.log 2>&1 || { cat $(1)/build.log; exit 1; }
	{ echo 'create $$@'; echo 'addlib $(1)/obj/V$(2)__ALL.a'; \
		$(foreach o,$(call vl_rt_objs,$(4)),echo 'addmod $(1)/obj/$(o)';) echo save; echo end; } | ar -M
endef

# $(call kt_cmd_file,FILE,VARIABLE): FILE, holding the value of VARIABLE (a command line); it is
# rewritten, and so newer than what depends on it, only when that value changed.
kt_cmd_file = $(if $(subst x$(strip $(file <$(1)))x,,x$(strip $($(2)))x),$(shell mkdir -p $(dir $(1)))$(file >$(1),$(strip $($(2)))))$(1)

# ------------------------------------------------------------------ C test binaries
# $(call kite_test_bin,BINARY,C SOURCES,C++ SOURCES,ARCHIVES,EXTRA CFLAGS,HEADERS)
# compiles every source (objects in BINARY.obj/) and links BINARY with the test harness FIRST
# ($(KT_LIB), sim/testlib/testlib.mk: its fixtures call into the archives after it), then the
# ARCHIVES (model libraries, Verilated libV*.a). An archive variable that a later .mk defines is
# passed as $$$$(NAME), for the top Makefile's .SECONDEXPANSION. Every source sees $(KT_CFLAGS),
# its own directory and EXTRA CFLAGS (-I, -D); C sources also rtl/tb/common and the model and
# driver headers, C++ sources (glue, C++ testbenches) the Verilated headers of every archive
# (DIR/obj of DIR/libV<top>.a). BINARY is rebuilt when a source, a header, an archive or the
# compile flags (BINARY.obj/cmd) change.
KT_TB_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-missing-field-initializers \
	-I$(RTL_DIR)/tb/common -I$(TOP)/sim/model -I$(TOP)/driver
KT_TB_HDRS := $(RTL_DIR)/tb/common/vl_glue.h $(TOP)/driver/kite_regs.h
KT_TB_LDLIBS := -lz -lpthread -lm

define kite_test_bin
KT_TB_CMD_$(1) := $(CC) $(KT_TB_CFLAGS) $(5) $(2) $(CXX) $(VL_GLUE_CXXFLAGS) -O2 $(3) $(KT_TB_LDLIBS)
$(1): $(2) $(3) $(4) $(6) $(KT_TB_HDRS) $$$$(KT_LIB) $$$$(KT_HDRS) \
		$$(call kt_cmd_file,$(1).obj/cmd,KT_TB_CMD_$(1))
	@mkdir -p $(1).obj
	$(foreach s,$(2),$(CC) $(KT_TB_CFLAGS) $$(KT_CFLAGS) -I$(dir $(s)) $(5) \
		-c -o $(1).obj/$(notdir $(s)).o $(s) && ) true
	$(foreach s,$(3),$(CXX) $(VL_GLUE_CXXFLAGS) -O2 $$(KT_CFLAGS) -I$(dir $(s)) $(5) \
		$$(foreach a,$$(filter-out $$(KT_LIB),$$(filter %.a,$$^)),-I$$(dir $$(a))obj) \
		-c -o $(1).obj/$(notdir $(s)).o $(s) && ) true
	$(CXX) -o $$@ $(foreach s,$(2) $(3),$(1).obj/$(notdir $(s)).o) \
		$$(KT_LIB) $$(filter-out $$(KT_LIB),$$(filter %.a,$$^)) $(KT_TB_LDLIBS)
endef

# The one thin C++ glue of the C testbenches that drive a Verilated top directly
# (rtl/tb/common/vl_glue.h): compiled per testbench with -DGLUE_TOP=V<top> and
# $(call vl_glue_pins,PINS HEADER,PIN STRUCT,X-MACRO PREFIX[,CLOCK]) (the lists PREFIX_INPUTS and
# PREFIX_OUTPUTS; CLOCK: a clock the glue drives).
VL_GLUE := $(RTL_DIR)/tb/common/vl_glue.cpp
vl_glue_pins = -DGLUE_PINS_H=$(1) -DGLUE_PINS=$(2) -DGLUE_INPUTS=$(3)_INPUTS \
	-DGLUE_OUTPUTS=$(3)_OUTPUTS $(if $(4),-DGLUE_CLOCK=$(4))

# ------------------------------------------------------------------ test suites
# A suite is what scripts/run-tests.sh runs and counts (`make print-suites`, top Makefile):
#   TEST_SUITES += NAME            in make test's order (include order of the .mk files)
#   SUITE_CMD_NAME := COMMAND      its shell command; PASS/FAIL lines on stdout
#   SUITE_NEEDS_NAME := OTHER      optional: run suite OTHER first, skip NAME if OTHER fails
# Suites not in TEST_SUITES (SUITE_CMD_ only) run when named: scripts/run-tests.sh NAME.
#
# $(call kite_suite,NAME,TARGET,BINARIES,RUN): the suite NAME of test binaries.
#   make TARGET        builds BINARIES and runs them (RUN: a variable holding one
#                      $(call kt_run,BINARY[,ARGS]) recipe line per run)
#   make TARGET-build  builds them; make TARGET-run runs those that are built and up to date
# The suite's command builds what it can (-k, in $(BUILD)/test-logs/NAME-build.log), then runs:
# a binary that could not be built gets one FAIL line, the others still run. One make builds
# everything a target needs (no recursive make of the same outputs: make -j is safe).
define kite_suite
.PHONY: $(2) $(2)-build $(2)-run
$(2)-build: $(3)
$(2): $(2)-build
	$$($(4))
$(2)-run: KT_BUILD_LOG := $(BUILD)/test-logs/$(1)-build.log
$(2)-run:
	$$($(4))
TEST_SUITES += $(1)
SUITE_CMD_$(1) := mkdir -p $(BUILD)/test-logs; \
	$(MAKE) -s --no-print-directory -C $(TOP) -k -j$(KT_JOBS) $(2)-build \
	>$(BUILD)/test-logs/$(1)-build.log 2>&1; \
	$(MAKE) -s --no-print-directory -C $(TOP) $(2)-run
endef

# $(call kt_run,BINARY[,ARGS]): a shell command of a suite's RUN lines: run BINARY (its PASS/FAIL
# lines) if it is up to date, else `FAIL build-<name>`. Exit status 0 or 1 (some test failed: its FAIL
# lines said so) is fine; any other (a crash, a usage error) is a FAIL of its own.
kt_run = if ! $(MAKE) -s --no-print-directory -q $(1) 2>/dev/null; then \
		echo "FAIL build-$(notdir $(1)): see $(or $(KT_BUILD_LOG),the build output)"; \
	else \
		$(1) $(2); s=$$?; \
		[ $$s -le 1 ] || echo "FAIL $(notdir $(1))$(if $(2), $(2)): exited with status $$s"; \
	fi

TEST_SUITES += regs lint
SUITE_CMD_regs := $(MAKE) -s --no-print-directory -C $(TOP) regs-check
SUITE_CMD_lint := $(MAKE) -s --no-print-directory -C $(TOP) lint

# ------------------------------------------------------------------ RTL testbenches
# Testbenches linked with a model library (sim/model/model.mk): rtl/tb/kite_axil_regs (the
# registers), kite_axi_top (integration, FST output), kite_dma_test (the self-test, once per
# model variant: d64 is the default model), kite_xfer (the host engine against the scripted
# stub engine). Their archives come from sim/model/model.mk, included later.
RTL_TB := $(RTL_BUILD)/tb
RTL_VARIANTS := d32 d128
RTL_TB_DMA_SRC := $(RTL_DIR)/tb/kite_dma_test/kite_dma_test_tb.c

$(eval $(call kite_test_bin,$(RTL_TB)/kite_axil_regs_tb,$(RTL_DIR)/tb/kite_axil_regs/kite_axil_regs_tb.c,,$$$$(KITE_MODEL_LIB)))
$(eval $(call kite_test_bin,$(RTL_TB)/kite_axi_top_tb,$(RTL_DIR)/tb/kite_axi_top/kite_axi_top_tb.c,,$$$$(KITE_MODEL_LIB)))
$(eval $(call kite_test_bin,$(RTL_TB)/kite_xfer_tb,$(RTL_DIR)/tb/kite_xfer/kite_xfer_tb.c,,$$$$(KITE_MODEL_stub_LIB)))
$(eval $(call kite_test_bin,$(RTL_TB)/kite_dma_test_tb-d64,$(RTL_TB_DMA_SRC),,$$$$(KITE_MODEL_LIB)))
$(foreach v,$(RTL_VARIANTS),$(eval $(call kite_test_bin,$(RTL_TB)/kite_dma_test_tb-$(v),$(RTL_TB_DMA_SRC),,$$$$(KITE_MODEL_$(v)_LIB))))

# rtl/tb/kite_regs_walk: the generated register walk (kite_regs_walk.h from rtl/regs by
# reggen) on the default and the minimal model, with the parameters the walk expects: the
# configuration's, and the on-chip PHY kite_sim_top adds
RTL_WALK_SRC := $(RTL_DIR)/tb/kite_regs_walk/kite_regs_walk_tb.c
RTL_WALK_HDR := $(RTL_DIR)/tb/kite_regs_walk/kite_regs_walk.h
$(eval $(call kite_test_bin,$(RTL_TB)/kite_regs_walk_tb,$(RTL_WALK_SRC),,$$$$(KITE_MODEL_LIB),,$(RTL_WALK_HDR)))
$(eval $(call kite_test_bin,$(RTL_TB)/kite_regs_walk_tb-minimal,$(RTL_WALK_SRC),,$$$$(KITE_MODEL_minimal_LIB),,$(RTL_WALK_HDR)))
RTL_WALK_PARAMS_default := $(KITE_CONFIG_default) ONCHIP_PHY=1
RTL_WALK_PARAMS_minimal := $(KITE_CONFIG_minimal) ONCHIP_PHY=1

# rtl/tb/kite_cdc: the async FIFO (16 x 16) alone, two free-running clocks; C++ testbench
$(eval $(call kite_verilate,$(RTL_BUILD)/cdc,kite_cdc_fifo,$(RTL_DIR)/kite_cdc_sync.sv $(RTL_DIR)/kite_cdc_fifo.sv,-GWIDTH=16 -GDEPTH=16,-O1))
$(eval $(call kite_test_bin,$(RTL_TB)/kite_cdc_tb,,$(RTL_DIR)/tb/kite_cdc/kite_cdc_tb.cpp,$(RTL_BUILD)/cdc/libVkite_cdc_fifo.a))

# rtl/tb/kite_wb_top: its own Verilated kite_wb_top (default parameters, the real USB engine,
# bus clock 96 MHz), C Wishbone BFMs and the one C++ glue. The Verilated archive depends on the RTL
# only, so editing the C testbench relinks without re-Verilating.
RTL_WB_TB_DIR := $(RTL_DIR)/tb/kite_wb_top
$(eval $(call kite_verilate,$(RTL_BUILD)/wb,kite_wb_top,$(RTL_SRCS) $(USB_RTL_SRCS),-GBUS_CLK_HZ=96000000,-O1))
$(eval $(call kite_test_bin,$(RTL_TB)/kite_wb_top_tb,$(RTL_WB_TB_DIR)/kite_wb_top_tb.c $(RTL_WB_TB_DIR)/wb_bfm.c,$(VL_GLUE),$(RTL_BUILD)/wb/libVkite_wb_top.a,-I$(RTL_WB_TB_DIR) -DGLUE_TOP=Vkite_wb_top -DGLUE_NAME=kite_wb $(call vl_glue_pins,wb_pins.h,wb_top_pins,WB_TOP),$(RTL_WB_TB_DIR)/wb_bfm.h $(RTL_WB_TB_DIR)/wb_pins.h))

# rtl/tb/reggen: the generator's checks (arrays, structs, --check), a shell script
$(RTL_TB)/reggen_tb.sh: $(RTL_DIR)/tb/reggen/reggen_tb.sh $(REGGEN)
	@mkdir -p $(dir $@)
	cp $< $@

RTL_TBS := $(RTL_TB)/kite_axil_regs_tb $(RTL_TB)/kite_axi_top_tb \
	$(addprefix $(RTL_TB)/kite_dma_test_tb-,d64 $(RTL_VARIANTS)) $(RTL_TB)/kite_xfer_tb \
	$(RTL_TB)/kite_cdc_tb $(RTL_TB)/reggen_tb.sh $(RTL_TB)/kite_wb_top_tb \
	$(RTL_TB)/kite_regs_walk_tb $(RTL_TB)/kite_regs_walk_tb-minimal

define RTL_RUN
@$(call kt_run,$(RTL_TB)/kite_axil_regs_tb)
@$(call kt_run,$(RTL_TB)/kite_axi_top_tb,$(RTL_BUILD)/kite_axi_top.fst)
@$(foreach v,d64 $(RTL_VARIANTS),$(call kt_run,$(RTL_TB)/kite_dma_test_tb-$(v),$(v));)
@$(call kt_run,$(RTL_TB)/kite_xfer_tb)
@$(call kt_run,$(RTL_TB)/kite_cdc_tb)
@$(call kt_run,$(RTL_TB)/reggen_tb.sh,$(TOP))
@$(call kt_run,$(RTL_TB)/kite_wb_top_tb)
@$(call kt_run,$(RTL_TB)/kite_regs_walk_tb,$(addprefix -p ,$(RTL_WALK_PARAMS_default)))
@$(call kt_run,$(RTL_TB)/kite_regs_walk_tb-minimal,-n minimal $(addprefix -p ,$(RTL_WALK_PARAMS_minimal)))
endef
$(eval $(call kite_suite,rtl,rtl-test,$(RTL_TBS),RTL_RUN))

# ------------------------------------------------------------------ USB engine and PHY testbenches
# rtl/tb/kite_fs_phy (kite_fs_phy alone, C UTMI link and line device) and rtl/tb/kite_usb_engine
# (kite_usb_engine_tb_top: the engine, one port, UTMI or through kite_fs_phy): each its
# Verilated top, thin C++ glue and the C test.
USB_TB_ENG_DIR := $(RTL_DIR)/tb/kite_usb_engine
USB_TB_PHY_DIR := $(RTL_DIR)/tb/kite_fs_phy
USB_TBS := $(USB_BUILD)/kite_fs_phy/kite_fs_phy_tb $(USB_BUILD)/kite_usb_engine/kite_usb_engine_tb

$(eval $(call kite_verilate,$(USB_BUILD)/kite_fs_phy,kite_fs_phy,$(USB_RTL_SRCS),,-O2))
$(eval $(call kite_test_bin,$(USB_BUILD)/kite_fs_phy/kite_fs_phy_tb,$(USB_TB_PHY_DIR)/kite_fs_phy_tb.c,$(VL_GLUE),$(USB_BUILD)/kite_fs_phy/libVkite_fs_phy.a,-I$(USB_TB_PHY_DIR) -DGLUE_TOP=Vkite_fs_phy $(call vl_glue_pins,phy_pins.h,phy_pins,PHY,usb_clk),$(USB_TB_PHY_DIR)/phy_pins.h $(USB_TB_PHY_DIR)/usb_line.h))
$(eval $(call kite_verilate,$(USB_BUILD)/kite_usb_engine,kite_usb_engine_tb_top,$(USB_RTL_SRCS) $(USB_TB_ENG_DIR)/kite_usb_engine_tb_top.sv,,-O2))
$(eval $(call kite_test_bin,$(USB_BUILD)/kite_usb_engine/kite_usb_engine_tb,$(USB_TB_ENG_DIR)/kite_usb_engine_tb.c,$(VL_GLUE),$(USB_BUILD)/kite_usb_engine/libVkite_usb_engine_tb_top.a,-I$(USB_TB_PHY_DIR) -I$(USB_TB_ENG_DIR) -DGLUE_TOP=Vkite_usb_engine_tb_top $(call vl_glue_pins,eng_pins.h,eng_pins,ENG,usb_clk),$(USB_TB_ENG_DIR)/eng_pins.h $(USB_TB_PHY_DIR)/usb_line.h))

define USB_RUN
@$(foreach t,$(USB_TBS),$(call kt_run,$(t));)
endef
$(eval $(call kite_suite,usb,usb-test,$(USB_TBS),USB_RUN))
