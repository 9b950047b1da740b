/* SPDX-License-Identifier: MIT */
/*
 * C bus functional models used by kite_model.cpp and the RTL testbenches (internal header).
 *
 * Cycle protocol (see kite_model.cpp): every cycle the glue
 *   1. copies the BFM outputs (*_o fields) to the DUT inputs, clk = 0, eval;
 *   2. copies the DUT outputs to the *_i fields and calls the BFM step functions, which see the
 *      handshakes that happen at the coming clock edge and compute next cycle's outputs;
 *   3. clk = 1, eval (the DUT sees the inputs of step 1 at the edge).
 * BFM outputs are therefore registered: they never depend combinationally on DUT outputs.
 */
#ifndef KITE_AXI_BFM_H
#define KITE_AXI_BFM_H

#include <stdbool.h>
#include <stdint.h>

#include "kite_model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- AXI4-Lite master */
struct axil_pins {
	/* master -> DUT */
	uint64_t awaddr_o;
	uint8_t awvalid_o;
	uint32_t wdata_o;
	uint8_t wstrb_o;
	uint8_t wvalid_o;
	uint8_t bready_o;
	uint64_t araddr_o;
	uint8_t arvalid_o;
	uint8_t rready_o;
	/* DUT -> master */
	uint8_t awready_i;
	uint8_t wready_i;
	uint8_t bvalid_i;
	uint8_t bresp_i;
	uint8_t arready_i;
	uint8_t rvalid_i;
	uint8_t rresp_i;
	uint32_t rdata_i;
};

enum axil_order {
	AXIL_ORDER_TOGETHER = 0,	/* AW and W in the same cycle */
	AXIL_ORDER_AW_FIRST = 1,	/* W two cycles after AW was accepted */
	AXIL_ORDER_W_FIRST = 2,		/* AW two cycles after W was accepted */
};

struct axil_master {
	struct axil_pins p;
	int busy;		/* a transaction is in progress */
	int is_write;
	int done;		/* the response arrived */
	uint32_t rdata;
	uint8_t resp;
	int aw_done, w_done;
	unsigned int delay;	/* cycles before the second channel starts (ordering modes) */
	enum axil_order order;
};

void axil_master_init(struct axil_master *a);
void axil_master_start_read(struct axil_master *a, uint64_t addr);
void axil_master_start_write(struct axil_master *a, uint64_t addr, uint32_t data, uint8_t strb);
void axil_master_step(struct axil_master *a);

/* ---------------------------------------------------------------- AXI4 memory slave */
#define AXI_MEM_MAX_BEATS 256
#define AXI_MEM_MAX_BYTES 16		/* widest data bus supported: 128 bits */
#define AXI_MEM_QUEUE 4			/* outstanding bursts accepted per direction */

struct axi_mem_pins {
	/* slave -> DUT */
	uint8_t awready_o;
	uint8_t wready_o;
	uint8_t bvalid_o;
	uint8_t bresp_o;
	uint32_t bid_o;
	uint8_t arready_o;
	uint8_t rvalid_o;
	uint8_t rresp_o;
	uint8_t rlast_o;
	uint32_t rid_o;
	uint32_t rdata_o[AXI_MEM_MAX_BYTES / 4];
	/* DUT -> slave */
	uint32_t awid_i;
	uint64_t awaddr_i;
	uint8_t awlen_i;
	uint8_t awsize_i;
	uint8_t awburst_i;
	uint8_t awvalid_i;
	uint32_t wdata_i[AXI_MEM_MAX_BYTES / 4];
	uint32_t wstrb_i;
	uint8_t wlast_i;
	uint8_t wvalid_i;
	uint8_t bready_i;
	uint32_t arid_i;
	uint64_t araddr_i;
	uint8_t arlen_i;
	uint8_t arsize_i;
	uint8_t arburst_i;
	uint8_t arvalid_i;
	uint8_t rready_i;
};

struct axi_mem_burst {
	uint64_t addr;
	uint32_t id;
	unsigned int beats;
	unsigned int beat;	/* next beat to send / receive */
	uint64_t ready_at;	/* cycle from which R beats / B may be sent */
	int err;
	uint8_t data[AXI_MEM_MAX_BEATS * AXI_MEM_MAX_BYTES];	/* read data */
};

struct axi_mem_slave {
	struct axi_mem_pins p;
	struct kite_mem_ops ops;
	unsigned int bytes;		/* data bus width in bytes */
	unsigned int addr_bits;		/* address width */
	unsigned int latency;		/* cycles from AR/AW handshake to first R beat / B */
	unsigned int stall_pct;		/* 0..100: chance of deasserting a ready/valid per cycle */
	uint32_t rng;
	uint8_t err_resp;		/* response for a failed callback: 3 DECERR (default), 2 SLVERR */
	uint64_t now;			/* cycle counter */
	/* read side */
	struct axi_mem_burst rq[AXI_MEM_QUEUE];
	unsigned int rq_head, rq_count;
	/* write side: accepted AWs, the one receiving W is the head */
	struct axi_mem_burst wq[AXI_MEM_QUEUE];
	unsigned int wq_head, wq_count;
	unsigned int wq_wdone;		/* how many of the queued AWs received all their W beats */
	uint8_t run[AXI_MEM_MAX_BEATS * AXI_MEM_MAX_BYTES];
	uint64_t run_addr;
	unsigned int run_len;
	/* statistics and protocol checking */
	uint64_t read_bytes, write_bytes, errors, bursts_rd, bursts_wr;
	unsigned int violations;
	char first_violation[160];
};

void axi_mem_slave_init(struct axi_mem_slave *s, const struct kite_mem_ops *ops,
			unsigned int bytes, unsigned int addr_bits, unsigned int latency);
void axi_mem_slave_step(struct axi_mem_slave *s);
bool axi_mem_slave_idle(const struct axi_mem_slave *s);
/* n idle cycles at once (no burst outstanding, the master's outputs as they are): the same
 * state as n calls of axi_mem_slave_step. */
void axi_mem_slave_skip(struct axi_mem_slave *s, uint64_t n);

#ifdef __cplusplus
}
#endif

#endif /* KITE_AXI_BFM_H */
