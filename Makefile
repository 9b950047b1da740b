# kite: top-level build. The two commands a user needs:
#   make cosim   build everything (installing missing Debian packages) and run the co-simulation
#   make test    build everything and run every test; ends with `N passed, N failed`
# Other targets: make help
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD := $(TOP)/build
export TOP BUILD

SCRIPT ?= $(TOP)/sw-tests/mission.sh
WAVES ?= 0

.DEFAULT_GOAL := help
# Prerequisites may name a variable an .mk included later defines, as $$(NAME).
.SECONDEXPANSION:
# make -n runs the recipe lines that call $(MAKE); those whose inputs a dry run does not make
# (Verilator's generated makefile, the driver's modules.order) start with $(DRY_RUN): under
# make -n they are printed and do nothing.
DRY_RUN := $(if $(findstring n,$(firstword -$(MAKEFLAGS))),true || )

# Each folder builds its outputs and declares its test suites (TEST_SUITES, SUITE_CMD_<name>:
# rtl/rtl.mk explains them); the include order is make test's suite order.
include $(TOP)/rtl/rtl.mk
include $(TOP)/sim/testlib/testlib.mk
include $(TOP)/sim/model/model.mk
include $(TOP)/sim/bridge/bridge.mk
include $(TOP)/sim/usbdev/usbdev.mk
include $(TOP)/sim/systest/systest.mk
include $(TOP)/sim/uml/uml.mk
include $(TOP)/dts/dts.mk
include $(TOP)/driver/driver.mk
include $(TOP)/sw-tests/sw-tests.mk

.PHONY: help deps synth cosim-build cosim test print-suites soak bench clean distclean

help:
	@echo "kite: FPGA USB 2.0 host controller, Linux driver and co-simulation"
	@echo ""
	@echo "  make cosim                 build everything and run the co-simulation: USB devices"
	@echo "                             enumerate, the USB tree, data moved, throughput (sw-tests/mission.sh)"
	@echo "  make cosim SCRIPT=<file>   run <file> as root inside the guest instead"
	@echo "  make cosim WAVES=1         also write build/cosim/<name>/waves.fst (GTKWave)"
	@echo "  make cosim T=<pattern>     only the guest tests whose names match"
	@echo "  make test                  run all tests (RTL, bridge, driver checks, co-simulation)"
	@echo "  make test T=<pattern>      only the tests whose names match (every suite, KT_FILTER)"
	@echo "  make test SUITES=\"rtl systest\"   only these suites (make print-suites lists them)"
	@echo "  make cosim SCRIPT=sw-tests/usbtest.sh DEVICES=0=gzero   Linux's usbtest against gadget zero"
	@echo "  make soak                  usbtest at hcd-tests.sh's full counts (hours; SOAK_DIV=N divides them)"
	@echo "  make bench                 run the benchmarks, write build/bench/results.md"
	@echo "  make regs                  regenerate SV package, C header and docs from rtl/regs/"
	@echo "  make kernel | sim | driver | rootfs   build one part"

# Missing Debian packages are installed first; this does nothing when all are present.
deps:
	@$(TOP)/scripts/install-deps.sh

# Place and route of both configurations; the YoWASP ECP5 tools go into build/venv on first use.
synth: deps
	@$(TOP)/scripts/synth.sh

cosim-build: deps kernel sim rootfs

# DEVICES="0=gzero:pattern=1 1=kbd" (one --port each), ATTACH=utmi|line: see docs/cosim.md.
# The time limit: COSIM_TIMEOUT seconds if set, else 30 minutes (the default script simulates
# ~3 s of bus time, which takes minutes while every bus cycle is simulated).
cosim: cosim-build
	@$(TOP)/scripts/cosim.sh --script $(SCRIPT) $(if $(COSIM_TIMEOUT),,--timeout 1800) \
		$(if $(filter 1,$(WAVES)),--waves $(BUILD)/cosim/$(basename $(notdir $(SCRIPT)))/waves.fst) \
		$(if $(ATTACH),--attach $(ATTACH)) $(foreach d,$(DEVICES),--port $(d)) \
		$(if $(T),--filter '$(T)')

# T=PATTERN: every test binary and co-simulation script runs only the tests it matches
# (KT_FILTER, sim/testlib/kite_test.h); SUITES="a b": only these suites.
test: deps
	@$(if $(T),KT_FILTER='$(T)' )$(TOP)/scripts/run-tests.sh $(SUITES)

# The suites for scripts/run-tests.sh, one line each: NAME<TAB>-<TAB>COMMAND, in order; a suite
# that needs another first (SUITE_NEEDS_<name>) is preceded by that one's line with `gate` in the
# second field: when it fails, the next suite is skipped. PRINT_SUITES="a b" prints only these
# (any suite with a SUITE_CMD_, also the ones make test leaves out); an unknown name gets an
# empty command.
KT_TAB := $(subst x,,x	x)
kt_suite_line = $(info $(1)$(KT_TAB)$(2)$(KT_TAB)$(SUITE_CMD_$(1)))
print-suites:
	@:$(foreach s,$(or $(PRINT_SUITES),$(TEST_SUITES)),$(if $(SUITE_NEEDS_$(s)),$(call kt_suite_line,$(SUITE_NEEDS_$(s)),gate))$(call kt_suite_line,$(s),-))

# Linux's usbtest against the gadget-zero model at tools/usb/hcd-tests.sh's parameter sets and
# full counts (sw-tests/usbtest-soak.sh; hours). SOAK_DIV=N divides every count by N (at least
# 1 each), to try the plumbing. Each test prints a progress line as it starts and ends.
SOAK_DIV ?= 1
soak: cosim-build
	@case '$(SOAK_DIV)' in ''|0*|*[!0-9]*) \
		echo "make soak: SOAK_DIV must be a positive whole number, not '$(SOAK_DIV)'" >&2; exit 2 ;; esac
	@mkdir -p $(BUILD)/soak
	@printf '#!/bin/sh\nUSBTEST_DIV=%s exec sh /kite/tests/usbtest-soak.sh\n' '$(SOAK_DIV)' > $(BUILD)/soak/run.sh
	@$(TOP)/scripts/cosim.sh --script $(BUILD)/soak/run.sh --name soak --port 0=gzero \
		--timeout 86400

bench: cosim-build $(MODEL_BENCH) $(SYSTEST_BENCH_BIN)
	@$(TOP)/scripts/bench.sh

# Keeps the kernel build (build/uml, minutes to rebuild) and the ARM kernel trees (build/xkernel).
clean: driver-clean
	rm -rf $(BUILD)/sim $(BUILD)/model $(BUILD)/model-* $(BUILD)/rtl $(BUILD)/usb $(BUILD)/lint \
		$(BUILD)/testlib $(BUILD)/usbdev $(BUILD)/systest $(BUILD)/guest-bin $(BUILD)/dts \
		$(BUILD)/rootfs $(BUILD)/cosim $(BUILD)/bench $(BUILD)/test-logs

# Also drops the cached kernel build (minutes to rebuild).
distclean: clean
	rm -rf $(BUILD)
