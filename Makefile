# kite: top-level build. The two commands a user needs:
#   make cosim   build everything (installing missing Debian packages) and run the co-simulation
#   make test    build everything and run every test; ends with `N passed, N failed`
# Other targets: make help
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD := $(TOP)/build
export TOP BUILD

KDIR := $(BUILD)/uml/linux-source-6.1
KERNEL := $(KDIR)/linux
ROOTFS := $(BUILD)/rootfs/base.cpio
SCRIPT ?= $(TOP)/sw-tests/smoke.sh
WAVES ?= 0

.DEFAULT_GOAL := help

# usb.mk first: rtl.mk builds the model from $(USB_RTL_SRCS).
include $(TOP)/rtl/usb.mk
include $(TOP)/rtl/rtl.mk
-include $(TOP)/sim/usbdev/usbdev.mk
include $(TOP)/sim/sim.mk
-include $(TOP)/sim/systest/systest.mk

.PHONY: print-rtl-srcs synth
# Source list for scripts/synth.sh (the named configurations: print-config-<name>, rtl/configs.mk).
print-rtl-srcs:
	@echo $(USB_RTL_SRCS) $(RTL_SRCS)
# Place and route of both configurations; the YoWASP ECP5 tools go into build/venv on first use.
synth: deps
	@$(TOP)/scripts/synth.sh

.PHONY: help deps kernel driver driver-check rootfs cosim-build cosim test soak bench clean distclean

help:
	@echo "kite: FPGA USB 2.0 host controller, Linux driver and co-simulation"
	@echo ""
	@echo "  make cosim                 build everything and run the co-simulation smoke test"
	@echo "  make cosim SCRIPT=<file>   run <file> as root inside the guest instead"
	@echo "  make cosim WAVES=1         also write build/cosim/<name>/waves.fst (GTKWave)"
	@echo "  make test                  run all tests (RTL, bridge, driver checks, co-simulation)"
	@echo "  make cosim SCRIPT=sw-tests/usbtest.sh DEVICES=0=gzero   Linux's usbtest against gadget zero"
	@echo "  make soak                  usbtest at full counts (hours)"
	@echo "  make bench                 run the benchmarks, write build/bench/results.md"
	@echo "  make regs                  regenerate SV package, C header and docs from rtl/regs/"
	@echo "  make kernel | sim | driver | rootfs   build one part"

# Missing Debian packages are installed first; this does nothing when all are present.
deps:
	@$(TOP)/scripts/install-deps.sh

kernel: deps
	@$(TOP)/scripts/build-kernel.sh $(BUILD)

# The driver modules, built out of tree against the co-simulation kernel.
DRIVER_MODULES := $(TOP)/driver/kite-hcd.ko $(TOP)/driver/kite-pci.ko
driver: kernel
	$(MAKE) -C $(KDIR) ARCH=um M=$(TOP)/driver modules

driver-check: kernel
	@KDIR=$(KDIR) $(TOP)/driver/check.sh

# Guest tools: Linux's own testusb (tools/usb/testusb.c from the kernel source), linked
# statically so that the busybox guest can run it.
GUEST_BIN := $(BUILD)/guest-bin
$(GUEST_BIN)/testusb: $(KERNEL)
	@mkdir -p $(@D)
	$(CC) -static -O2 -Wall -o $@ $(KDIR)/tools/usb/testusb.c -lpthread

# The co-simulation's devicetree (reserved memory for the controller): scripts/cosim.sh --dtb.
UML_DTB := $(BUILD)/dts/kite-uml-cosim.dtb
$(UML_DTB): $(TOP)/dts/uml/kite-uml.dts
	@mkdir -p $(@D)
	dtc -q -I dts -O dtb -o $@ $<

# usbtest.ko comes from the kernel build (CONFIG_USB_TEST=m).
KERNEL_MODULES := $(KDIR)/drivers/usb/misc/usbtest.ko

# The project's own guest tools: every sw-tests/tools/*.c becomes a static binary in /kite/bin.
GUEST_TOOLS := $(patsubst $(TOP)/sw-tests/tools/%.c,$(GUEST_BIN)/%,$(wildcard $(TOP)/sw-tests/tools/*.c))
$(GUEST_BIN)/%: $(TOP)/sw-tests/tools/%.c
	@mkdir -p $(@D)
	$(CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

rootfs: driver $(GUEST_BIN)/testusb $(GUEST_TOOLS) $(UML_DTB)
	@mkdir -p $(dir $(ROOTFS))
	@$(TOP)/scripts/mkrootfs.sh $(ROOTFS) $(DRIVER_MODULES) $(KERNEL_MODULES)

cosim-build: deps kernel sim rootfs

# DEVICES="0=gzero:pattern=1 1=kbd" (one --port each), ATTACH=utmi|line: see docs/cosim.md.
cosim: cosim-build
	@$(TOP)/scripts/cosim.sh --script $(SCRIPT) \
		$(if $(filter 1,$(WAVES)),--waves $(BUILD)/cosim/$(basename $(notdir $(SCRIPT)))/waves.fst) \
		$(if $(ATTACH),--attach $(ATTACH)) $(foreach d,$(DEVICES),--port $(d))

test: deps
	@$(TOP)/scripts/run-tests.sh

# Linux's usbtest at full counts against the gadget-zero model (hours; SOAK_SCALE=N multiplies
# make test's counts by N instead of 250: SOAK_SCALE=10 takes about 16 minutes).
SOAK_SCALE ?= 250
soak: cosim-build
	@mkdir -p $(BUILD)/soak
	@printf '#!/bin/sh\nUSBTEST_SCALE=%s exec sh /kite/tests/usbtest.sh\n' '$(SOAK_SCALE)' > $(BUILD)/soak/run.sh
	@$(TOP)/scripts/cosim.sh --script $(BUILD)/soak/run.sh --name soak --port 0=gzero \
		--timeout 86400

MODEL_BENCH := $(BUILD)/sim/kite-model-bench
$(MODEL_BENCH): $(TOP)/sim/bench/model_bench.c $(KITE_MODEL_LIB)
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -Werror $(KITE_MODEL_CFLAGS) -o $@ $< $(KITE_MODEL_LIBS)

bench: cosim-build $(MODEL_BENCH) $(SYSTEST_BENCH_BIN)
	@$(TOP)/scripts/bench.sh

clean:
	rm -rf $(BUILD)/sim $(BUILD)/model $(BUILD)/rtl $(BUILD)/rootfs $(BUILD)/cosim $(BUILD)/bench
	-$(MAKE) -C $(TOP)/driver clean >/dev/null 2>&1

# Also drops the cached kernel build (minutes to rebuild).
distclean: clean
	rm -rf $(BUILD)
