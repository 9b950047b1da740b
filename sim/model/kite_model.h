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

struct kite_model_config {
	const char *trace_path;      /* FST waveform file, or NULL for none */
	unsigned int mem_latency;    /* cycles from an AR/AW handshake to the first R beat / B */
};

struct kite_model_stats {
	uint64_t cycles;             /* bus clock cycles simulated */
	uint64_t reg_reads;          /* AXI4-Lite reads */
	uint64_t reg_writes;         /* AXI4-Lite writes */
	uint64_t dma_read_bytes;     /* bytes the RTL read from memory */
	uint64_t dma_write_bytes;    /* bytes the RTL wrote to memory (strobed bytes only) */
	uint64_t dma_errors;         /* bursts answered with an error response */
};

/* Create and reset the model (reset is held for a few cycles). NULL on failure. */
struct kite_model *kite_model_create(const struct kite_model_config *cfg,
				     const struct kite_mem_ops *mem);
/* Finish the waveform file, if any, and free everything. */
void kite_model_destroy(struct kite_model *m);

/* Advance the bus clock by n cycles. */
void kite_model_tick(struct kite_model *m, unsigned int n);

/*
 * 32-bit register access through the AXI4-Lite slave port at byte offset `offset` (4-byte
 * aligned). The clock runs until the response arrives. Returns 0, -EIO on an error response,
 * -ETIMEDOUT if no response came within 10000 cycles.
 */
int kite_model_reg_read(struct kite_model *m, uint32_t offset, uint32_t *val);
int kite_model_reg_write(struct kite_model *m, uint32_t offset, uint32_t val, uint8_t strb);

/* Level of the interrupt line after the last cycle. */
bool kite_model_irq(const struct kite_model *m);
/* True while the RTL has work in flight (the `busy` output) or AXI transactions outstanding. */
bool kite_model_busy(const struct kite_model *m);

void kite_model_get_stats(const struct kite_model *m, struct kite_model_stats *st);

#ifdef __cplusplus
}
#endif

#endif /* KITE_MODEL_H */
