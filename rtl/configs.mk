# SPDX-License-Identifier: GPL-2.0 OR MIT
# The named configurations of kite (docs/rtl.md, "Configurations"), written once: parameter
# assignments of kite_axi_top / kite_sim_top. Data only (no rules): rtl/rtl.mk includes it and
# prints a configuration (make print-config-<name>); sim/model/model.mk turns them into Verilator
# -G flags, scripts/synth.sh into Yosys chparam (and keys its cached results on this file alone).
#   default  AXI 64-bit data and addresses, 16 contexts, DMA self-test: the co-simulation's
#   minimal  32-bit data and addresses, 4 contexts, no self-test: the smallest useful controller
KITE_CONFIGS := default minimal
KITE_CONFIG_default := ADDR_WIDTH=64 DATA_WIDTH=64 NUM_CTX=16 SELF_TEST=1
KITE_CONFIG_minimal := ADDR_WIDTH=32 DATA_WIDTH=32 NUM_CTX=4 SELF_TEST=0
