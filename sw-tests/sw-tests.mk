# SPDX-License-Identifier: GPL-2.0 OR MIT
# sw-tests/sw-tests.mk: the guest side of the co-simulation (docs/cosim.md): the guest tools,
# the root filesystem, and the co-simulation suites (sw-tests/*.sh run as root in the guest by
# scripts/cosim.sh). Included by the top-level Makefile after driver/driver.mk and dts/dts.mk.
#
# Targets:   rootfs   $(BUILD)/rootfs/base.cpio: busybox, the driver and usbtest modules, the
#                     guest tools, the devicetree
# Suites:    guest-tools, cosim-smoke (after cosim-build) cosim-mission cosim-usbtest cosim-dt
#            cosim-robust cosim-suspend cosim-hid cosim-storage usbmon determinism launcher;
#            cosim-ctl only when named

ROOTFS := $(BUILD)/rootfs/base.cpio
GUEST_BIN := $(BUILD)/guest-bin

# Linux's own testusb (tools/usb/testusb.c from the kernel source), linked statically so that
# the busybox guest can run it.
$(GUEST_BIN)/testusb: $(KERNEL)
	@mkdir -p $(@D)
	$(CC) -static -O2 -Wall -o $@ $(KDIR)/tools/usb/testusb.c -lpthread

# The project's own guest tools: every sw-tests/tools/*.c becomes a static binary in /kite/bin.
GUEST_TOOLS := $(patsubst $(TOP)/sw-tests/tools/%.c,$(GUEST_BIN)/%,$(wildcard $(TOP)/sw-tests/tools/*.c))
$(GUEST_BIN)/%: $(TOP)/sw-tests/tools/%.c
	@mkdir -p $(@D)
	$(CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

# usbtest.ko comes from the kernel build (CONFIG_USB_TEST=m).
KERNEL_MODULES := $(KDIR)/drivers/usb/misc/usbtest.ko

.PHONY: rootfs
rootfs: driver $(GUEST_BIN)/testusb $(GUEST_TOOLS) $(UML_DTB)
	@mkdir -p $(dir $(ROOTFS))
	@$(TOP)/scripts/mkrootfs.sh $(ROOTFS) $(DRIVER_MODULES) $(KERNEL_MODULES)

# $(call cosim_suite,NAME,SCRIPT,COSIM.SH OPTIONS): sw-tests/SCRIPT.sh in the guest
cosim_suite = $(TOP)/scripts/cosim.sh --script $(TOP)/sw-tests/$(2).sh --name $(1) $(3)

TEST_SUITES += guest-tools cosim-smoke cosim-mission cosim-usbtest cosim-dt cosim-robust \
	cosim-suspend cosim-hid cosim-storage usbmon determinism launcher
# the guest's lsusb (static, it runs on the host too) against made-up sysfs trees
SUITE_CMD_guest-tools := $(MAKE) -s --no-print-directory -C $(TOP) $(GUEST_BIN)/lsusb && \
	$(TOP)/sw-tests/tools/test-lsusb.sh $(GUEST_BIN)/lsusb
# the build step gates the first co-simulation suite (its own PASS/FAIL count)
SUITE_CMD_cosim-build := $(MAKE) -s --no-print-directory -C $(TOP) cosim-build
SUITE_NEEDS_cosim-smoke := cosim-build
SUITE_CMD_cosim-smoke := $(call cosim_suite,smoke,smoke,--timeout 300)
# make cosim's default run: keyboard, disk and gadget zero take turns on the root port
SUITE_CMD_cosim-mission := $(call cosim_suite,mission,mission,--timeout 1800)
SUITE_CMD_cosim-usbtest := $(call cosim_suite,usbtest,usbtest,--port 0=gzero --timeout 900)
SUITE_CMD_cosim-dt := $(call cosim_suite,dt,dt,--port 0=gzero --dtb $(UML_DTB) --timeout 300)
SUITE_CMD_cosim-robust := $(call cosim_suite,robust,robust,--port 0=gzero --timeout 600)
SUITE_CMD_cosim-suspend := $(call cosim_suite,suspend,suspend,--port 0=gzero --timeout 600)
SUITE_CMD_cosim-hid := $(call cosim_suite,hid,hid,--port 0=kbd --timeout 600)
SUITE_CMD_cosim-storage := $(call cosim_suite,storage,storage,--port 0=msc:blocks=8192 --timeout 600)
SUITE_CMD_cosim-ctl := $(call cosim_suite,ctl,ctl,--port 0=gzero)
# the usbmon capture of a co-simulation run, decoded with tshark; the launcher's failure paths
SUITE_CMD_usbmon := $(TOP)/scripts/test-usbmon-pcap.sh
SUITE_CMD_launcher := $(TOP)/scripts/test-launcher.sh
# two runs of the same usbtest workload: byte-identical usbmon captures and consoles
SUITE_CMD_determinism := $(TOP)/scripts/test-determinism.sh
