# SPDX-License-Identifier: GPL-2.0 OR MIT
# driver/driver.mk: the Linux driver (docs/driver.md), built out of tree against the
# co-simulation kernel ($(KDIR), sim/uml/uml.mk); driver/Makefile is its Kbuild file.
# Included by the top-level Makefile.
#
# Targets:   driver          driver/kite-hcd.ko, driver/kite-pci.ko
#            driver-check    driver/check.sh: build warnings, checkpatch, sparse
#            driver-builds   scripts/driver-builds.sh: amd64, armhf and arm64 builds
# Suites:    driver  driver-builds
# Exports:   DRIVER_MODULES  the modules the guest loads

DRIVER_MODULES := $(TOP)/driver/kite-hcd.ko $(TOP)/driver/kite-pci.ko

.PHONY: driver driver-check driver-builds driver-clean
driver: kernel
	$(DRY_RUN)$(MAKE) -C $(KDIR) ARCH=um M=$(TOP)/driver modules

# driver/check.sh cleans and rebuilds driver/: after whatever else of this make uses the modules
driver-check: kernel | $(filter driver rootfs cosim-build cosim soak bench,$(MAKECMDGOALS))
	@KDIR=$(KDIR) $(TOP)/driver/check.sh

driver-builds:
	@$(TOP)/scripts/driver-builds.sh $(BUILD)

driver-clean:
	-$(MAKE) -C $(TOP)/driver clean >/dev/null 2>&1

TEST_SUITES += driver driver-builds
SUITE_CMD_driver := $(MAKE) -s --no-print-directory -C $(TOP) driver-check
SUITE_CMD_driver-builds := $(TOP)/scripts/driver-builds.sh
