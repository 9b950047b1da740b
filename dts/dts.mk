# SPDX-License-Identifier: GPL-2.0 OR MIT
# dts/dts.mk: kite's devicetree sources (docs/devicetree.md). Included by the top-level Makefile.
#
# Targets:   dt-check   scripts/dt-check.sh: every .dts/.dtsi and overlay, the binding
#            $(UML_DTB) the co-simulation's devicetree (reserved memory for the controller),
#                       for scripts/cosim.sh --dtb
# Suites:    dt

UML_DTB := $(BUILD)/dts/kite-uml-cosim.dtb
$(UML_DTB): $(TOP)/dts/uml/kite-uml.dts
	@mkdir -p $(@D)
	dtc -q -I dts -O dtb -o $@ $<

.PHONY: dt-check
dt-check:
	@$(TOP)/scripts/dt-check.sh

TEST_SUITES += dt
SUITE_CMD_dt := $(TOP)/scripts/dt-check.sh
