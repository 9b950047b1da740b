/* SPDX-License-Identifier: MIT */
/*
 * kite_model: the cycle-level model of the kite controller as one C API.
 *
 * It wraps the Verilated kite_axi_top (rtl/) and the C bus functional models that drive it:
 * an AXI4-Lite master for register access and an AXI4 memory slave that serves the RTL's DMA
 * master through caller-supplied memory callbacks. Everything that runs the RTL (the PCI bridge,
 * the system tests, the benchmarks) goes through this header; nothing else includes Verilator.
 */
#ifndef KITE_MODEL_H
#define KITE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct kite_model;

/*
 * Memory seen by the RTL's AXI4 master. Called once per burst (read) or once per contiguous run
 * of enabled write strobes (write), with byte addresses. Return 0 on success; any other value
 * makes the model answer the burst with an AXI DECERR response (the bridge does this for
 * addresses outside the guest's memory regions).
 */
struct kite_mem_ops {
	int (*read)(void *ctx, uint64_t addr, void *buf, size_t len);
	int (*write)(void *ctx, uint64_t addr, const void *buf, size_t len);
	void *ctx;
};

/*
 * USB side. Each root port's far end is a port backend: a device model behind a UTMI-level PHY
 * emulation (fast) or behind the D+/D- lines of the RTL's on-chip FS/LS PHY (faithful). The
 * backend is called once per usb_clk cycle (48 MHz), after the RTL's outputs for that cycle
 * settled; what it returns is what the RTL samples at the next usb_clk edge.
 */
enum kite_attach {
	KITE_ATTACH_UTMI = 0,        /* the RTL's UTMI port talks to the backend's PHY emulation */
	KITE_ATTACH_LINE = 1,        /* the RTL's on-chip PHY drives D+/D-; the backend is a device on the line */
};

/* UTMI+ signals from the host controller to the PHY (see docs/internal/usb-engine-interface.md). */
struct kite_utmi_host {
	uint8_t data_out, txvalid, xcvrselect, termselect, opmode, line_ctrl;
};

/* UTMI+ signals from the PHY to the host controller. */
struct kite_utmi_phy {
	uint8_t txready, data_in, rxvalid, rxactive, rxerror, linestate;
};

/* The host's transceiver on the line: drives dp/dm when oe; 15k pull-downs when pulldown. */
struct kite_line_host {
	uint8_t dp, dm, oe, pulldown;
};

/* The line as the host's receiver sees it after the backend resolved both drivers and pulls. */
struct kite_line_bus {
	uint8_t dp, dm;
};

struct kite_port_backend {
	/* KITE_ATTACH_UTMI: PHY emulation + device. */
	void (*utmi)(void *ctx, const struct kite_utmi_host *host, struct kite_utmi_phy *phy);
	/* KITE_ATTACH_LINE: device on the line; resolves host drive, device drive and pulls. */
	void (*line)(void *ctx, const struct kite_line_host *host, struct kite_line_bus *bus);
	void *ctx;
	/*
	 * For the fast-forward (kite_model_skip), both or neither; a port whose backend has
	 * none is never skipped over. quiet: how many usb_clk cycles from now the backend would
	 * answer exactly as in the last cycle while the host keeps its side idle (not driving, no
	 * packet): 0 if it is busy or something of its own is due at the next cycle, UINT64_MAX
	 * if nothing is ever due. idle: that many such cycles passed at once (at most what quiet
	 * returned); it must leave the backend as that many calls of utmi/line would have.
	 */
	uint64_t (*quiet)(void *ctx);
	void (*idle)(void *ctx, uint64_t usb_cycles);
};

struct kite_model_config {
	const char *trace_path;      /* FST waveform file, or NULL for none */
	unsigned int mem_latency;    /* cycles from an AR/AW handshake to the first R beat / B */
	enum kite_attach attach;     /* how the ports' backends connect */
	unsigned int bus_per_usb;    /* bus clock cycles per usb_clk cycle (0 means 2: 96 MHz bus) */
	unsigned int usb_per_bus;    /* > 1: usb_clk cycles per bus clock cycle instead, a bus clock
				      * slower than usb_clk (bus_per_usb is then ignored); 0, 1: off */
};

struct kite_model_stats {
	uint64_t cycles;             /* bus clock cycles simulated */
	uint64_t usb_cycles;         /* usb_clk cycles simulated */
	uint64_t reg_reads;          /* AXI4-Lite reads */
	uint64_t reg_writes;         /* AXI4-Lite writes */
	uint64_t dma_read_bytes;     /* bytes the RTL read from memory */
	uint64_t dma_write_bytes;    /* bytes the RTL wrote to memory (strobed bytes only) */
	uint64_t dma_errors;         /* bursts answered with an error response */
	uint64_t usb_cycles_skipped; /* of usb_cycles, those kite_model_skip jumped over */
};

/* Create and reset the model (reset is held for a few cycles). NULL on failure. */
struct kite_model *kite_model_create(const struct kite_model_config *cfg,
				     const struct kite_mem_ops *mem);
/* Finish the waveform file, if any, and free everything. */
void kite_model_destroy(struct kite_model *m);

/* Advance the bus clock by n cycles (n * usb_per_bus usb_clk cycles with a slow bus clock). */
void kite_model_tick(struct kite_model *m, unsigned int n);

/*
 * 32-bit register access through the AXI4-Lite slave port at byte offset `offset` (4-byte
 * aligned). The clock runs until the response arrives. Returns 0, -EIO on an error response,
 * -ETIMEDOUT if no response came within 10000 cycles.
 */
int kite_model_reg_read(struct kite_model *m, uint32_t offset, uint32_t *val);
int kite_model_reg_write(struct kite_model *m, uint32_t offset, uint32_t val, uint8_t strb);

/*
 * Simulated bus time since the end of reset, in picoseconds: usb_clk is 48 MHz, so one usb_clk
 * cycle is 20833.3 ps (rounded down to whole ps at the current cycle). Register accesses tick
 * the clock and count too. This is the time base of the co-simulation (UML time-travel) and of
 * the waveform.
 */
uint64_t kite_model_time_ps(const struct kite_model *m);

/*
 * Fast-forward over idle bus time (docs/rtl.md, "Fast-forward"). kite_model_quiet_cycles: how
 * many usb_clk cycles from now can be skipped with no difference to clocking them but the time
 * that passed. 0 unless the whole controller is quiet (the RTL's quiet flags of both clock
 * domains and every PHY have held for a while: nothing in flight, only counters count), no
 * register access or DMA burst is outstanding and every attached backend has quiet/idle; else
 * the cycles until the next thing due: the next frame start (less a few cycles) or the nearest
 * backend event. UINT64_MAX: nothing is due at all (RUN = 0, no backend timer). A multiple of
 * usb_per_bus with a slow bus clock.
 * kite_model_skip: advance by usb_cycles (at most kite_model_quiet_cycles(m) and, with a slow
 * bus clock, a multiple of usb_per_bus; else -EINVAL and nothing happens) as if that many cycles
 * had been clocked: the RTL's counters jump, the cycle counts and kite_model_time_ps advance,
 * each backend's idle() is called. Returns 0.
 */
uint64_t kite_model_quiet_cycles(struct kite_model *m);
int kite_model_skip(struct kite_model *m, uint64_t usb_cycles);

/* Level of the interrupt line after the last cycle. */
bool kite_model_irq(const struct kite_model *m);
/* True while the RTL has work in flight (the `busy` output) or AXI transactions outstanding. */
bool kite_model_busy(const struct kite_model *m);

void kite_model_get_stats(const struct kite_model *m, struct kite_model_stats *st);

/*
 * Attach a backend to root port `port` (NULL: nothing attached, the line idles at SE0). The
 * backend struct is copied; its ctx must stay valid until it is detached or the model is
 * destroyed. Returns 0, or -EINVAL for a port the RTL does not have.
 */
int kite_model_set_port(struct kite_model *m, unsigned int port, const struct kite_port_backend *b);

#ifdef __cplusplus
}
#endif

#endif /* KITE_MODEL_H */
