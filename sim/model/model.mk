# SPDX-License-Identifier: GPL-2.0 OR MIT
# sim/model/model.mk: the C model libraries (docs/rtl.md, "The C model"): the Verilated
# kite_sim_top (kite_axi_top + one kite_fs_phy per port), Verilator's runtime, the C++ glue
# kite_model.cpp, the C BFMs and the fast-forward's arithmetic (fastforward.c; what it reads and
# writes in the RTL: fastforward.vlt) in one archive per parameter set; and the model bench.
# Included by the top-level Makefile after rtl/rtl.mk (sources, kite_verilate).
#
# Targets:   model (the default configuration)  model-all (every variant)  model-bench
# Exports:   KITE_MODEL_LIB          the default model's archive (a prerequisite for linking)
#            KITE_MODEL_LIBS         that archive and the libraries it needs (-l flags)
#            KITE_MODEL_SYSLIBS      the libraries alone, after any other model archive
#            KITE_MODEL_CFLAGS       -I flags for kite_model.h and driver/kite_regs.h
#            KITE_MODEL_<v>_LIB      the archive of variant <v> (minimal, d32, d128, stub)

MODEL_DIR := $(TOP)/sim/model
MODEL_C_SRCS := $(MODEL_DIR)/axil_master.c $(MODEL_DIR)/axi_mem_slave.c $(MODEL_DIR)/fastforward.c
MODEL_HDRS := $(MODEL_DIR)/kite_model.h $(MODEL_DIR)/kite_model_test.h $(MODEL_DIR)/axi_bfm.h \
	$(MODEL_DIR)/fastforward.h
MODEL_VLT := $(MODEL_DIR)/fastforward.vlt

KITE_MODEL_CFLAGS := -I$(MODEL_DIR) -I$(TOP)/driver
KITE_MODEL_SYSLIBS := -lz -lpthread -lstdc++ -lm

# $(call kite_model,VARIANT,DIR,VERILATOR FLAGS,C++ OPTIMISATION,USB ENGINE SOURCES)
# builds DIR/libkitemodel.a (KITE_MODEL_VARIANT_LIB): libVkite_sim_top.a (kite_verilate),
# kite_model.o, the BFMs and the state hash of the tests (kite_model_state.cpp, generated from
# the Verilated root by scripts/vl-state-hash.py).
define kite_model
KITE_MODEL_$(1)_LIB := $(2)/libkitemodel.a
$(call kite_verilate,$(2),kite_sim_top,$(RTL_SRCS) $(5) $(SIM_TOP_SRC) $(MODEL_VLT),--trace-fst $(3),$(4))
$(2)/kite_model.o: $(MODEL_DIR)/kite_model.cpp $(MODEL_HDRS) $(2)/libVkite_sim_top.a
	$(CXX) $(VL_GLUE_CXXFLAGS) $(4) $(call vl_glue_defs,--trace-fst) -I$(2)/obj -I$(MODEL_DIR) \
		-c -o $$@ $$<
$(2)/kite_model_state.cpp: $(2)/libVkite_sim_top.a $(TOP)/scripts/vl-state-hash.py
	$(PYTHON3) $(TOP)/scripts/vl-state-hash.py $(2)/obj/Vkite_sim_top___024root.h >$$@.tmp
	mv $$@.tmp $$@
$(2)/kite_model_state.o: $(2)/kite_model_state.cpp
	$(CXX) $(VL_GLUE_CXXFLAGS) -O1 -I$(2)/obj -c -o $$@ $$<
$(2)/%.o: $(MODEL_DIR)/%.c $(MODEL_HDRS)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -I$(MODEL_DIR) -c -o $$@ $$<
$(2)/libkitemodel.a: $(2)/libVkite_sim_top.a $(2)/kite_model.o $(2)/kite_model_state.o \
		$(patsubst $(MODEL_DIR)/%.c,$(2)/%.o,$(MODEL_C_SRCS))
	rm -f $$@
	{ echo 'create $$@'; echo 'addlib $(2)/libVkite_sim_top.a'; \
		$$(foreach o,$$(filter %.o,$$^),echo 'addmod $$(o)';) echo save; echo end; } | ar -M
endef

# the model the simulator links: the default configuration (rtl/configs.mk), fastest code
$(eval $(call kite_model,default,$(BUILD)/model,$(addprefix -G,$(KITE_CONFIG_default)),-O2,$(USB_RTL_SRCS)))
# the minimal configuration, for the system tests (sim/systest/systest.mk)
$(eval $(call kite_model,minimal,$(BUILD)/model-minimal,$(addprefix -G,$(KITE_CONFIG_minimal)),-O1,$(USB_RTL_SRCS)))
# test variants (rtl/tb/kite_dma_test): narrow bus and 32-bit addresses; wide bus with the
# longest bursts
$(eval $(call kite_model,d32,$(BUILD)/model-d32,-GADDR_WIDTH=32 -GDATA_WIDTH=32 -GMAX_BURST_BEATS=8 -GDMA_BUF_BYTES=256,-O1,$(USB_RTL_SRCS)))
$(eval $(call kite_model,d128,$(BUILD)/model-d128,-GADDR_WIDTH=64 -GDATA_WIDTH=128 -GMAX_BURST_BEATS=256 -GDMA_BUF_BYTES=2048,-O1,$(USB_RTL_SRCS)))
# host-engine tests (rtl/tb/kite_xfer): the scripted stub engine, two ports, 32-bit data bus
# (more realignment), 8 contexts
$(eval $(call kite_model,stub,$(BUILD)/model-stub,-GNUM_PORTS=2 -GNUM_CTX=8 -GDATA_WIDTH=32 -GMAX_BURST_BEATS=8,-O1,$(RTL_STUB_SRCS)))

KITE_MODEL_LIB := $(KITE_MODEL_default_LIB)
KITE_MODEL_LIBS := $(KITE_MODEL_LIB) $(KITE_MODEL_SYSLIBS)

# The model bench (scripts/bench.sh): cycles per second of the default model.
MODEL_BENCH := $(BUILD)/sim/kite-model-bench
$(MODEL_BENCH): $(TOP)/sim/bench/model_bench.c $(KITE_MODEL_LIB) $(MODEL_HDRS)
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -Werror $(KITE_MODEL_CFLAGS) -o $@ $< $(KITE_MODEL_LIBS)

.PHONY: model model-all model-bench
model: $(KITE_MODEL_LIB)
model-all: $(foreach v,default minimal d32 d128 stub,$(KITE_MODEL_$(v)_LIB))
model-bench: $(MODEL_BENCH)
