# SPDX-License-Identifier: GPL-2.0 OR MIT
# Named configurations of kite_axi_top, the one place their parameters are written down.
# Each is a list of NAME=VALUE parameter settings (everything else keeps kite_axi_top's
# default). scripts/synth.sh reads them through `make print-config-NAME`; a simulation build
# can turn one into Verilator flags with $(addprefix -G,$(KITE_CONFIG_minimal)).
KITE_CONFIGS := default minimal
# the full controller: 64-bit AXI, 16 contexts, DMA self-test engine
KITE_CONFIG_default := ADDR_WIDTH=64 DATA_WIDTH=64 NUM_CTX=16 NUM_PORTS=1 SELF_TEST=1
# the smallest useful one: 32-bit AXI, 4 contexts, no self-test engine
KITE_CONFIG_minimal := ADDR_WIDTH=32 DATA_WIDTH=32 NUM_CTX=4 NUM_PORTS=1 SELF_TEST=0
