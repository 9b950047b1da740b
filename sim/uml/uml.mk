# SPDX-License-Identifier: GPL-2.0 OR MIT
# sim/uml/uml.mk: the User-Mode Linux kernel of the co-simulation (docs/cosim.md): Debian's
# linux-source-6.1 with sim/uml/patches and sim/uml/kite.config, built by scripts/build-kernel.sh
# into $(BUILD)/uml (kept across `make clean`). Included by the top-level Makefile.
#
# Targets:   kernel
# Suites:    kernel   (the kernel builds)
# Exports:   KDIR     the kernel tree (driver/driver.mk builds the modules against it)
#            KERNEL   the UML binary

KDIR := $(BUILD)/uml/linux-source-6.1
KERNEL := $(KDIR)/linux

.PHONY: kernel
kernel: deps
	@$(TOP)/scripts/build-kernel.sh $(BUILD)
# what needs the kernel's files waits for the build (make -j); build-kernel.sh rebuilds only when
# the patches or the config change
$(KERNEL): | kernel

TEST_SUITES += kernel
SUITE_CMD_kernel := $(MAKE) -s --no-print-directory -C $(TOP) kernel
