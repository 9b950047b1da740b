/* SPDX-License-Identifier: MIT */
/*
 * Wishbone B4 classic bus functional models (32-bit data, word addresses) for the kite_wb_top
 * testbench: a master for the register slave and a memory slave for the DMA master.
 *
 * Cycle protocol (as in sim/model/axi_bfm.h): every bus cycle the harness
 *   1. copies the BFM outputs (*_o) to the DUT inputs, clk = 0, eval;
 *   2. copies the DUT outputs to the *_i fields and calls the step functions, which see what
 *      the DUT samples at the coming clock edge and compute next cycle's outputs;
 *   3. clk = 1, eval.
 * BFM outputs are registered: they never depend combinationally on DUT outputs. So the memory
 * slave answers at the earliest one cycle after STB (a registered ACK), plus random waits.
 */
#ifndef WB_BFM_H
#define WB_BFM_H

#include <stdint.h>

/* ---------------------------------------------------------------- master */
struct wb_master {
	/* master -> DUT */
	uint8_t cyc_o, stb_o, we_o, sel_o;
	uint32_t adr_o, dat_o;
	/* DUT -> master */
	uint8_t ack_i, err_i;
	uint32_t dat_i;
	/* the access in progress */
	int busy, done, err;
	uint32_t rdata;
	unsigned int gap;		/* cycles before STB is raised */
	unsigned int waited;		/* cycles STB was high before the answer */
	/* randomisation: percentage of accesses preceded by idle cycles or CYC-only cycles */
	unsigned int gap_pct;
	uint32_t rng;
	/* protocol checking */
	unsigned int violations;
	char first_violation[160];
};

void wb_master_init(struct wb_master *m, uint32_t seed, unsigned int gap_pct);
/* adr: word address */
void wb_master_start(struct wb_master *m, int we, uint32_t adr, uint32_t dat, uint8_t sel);
void wb_master_step(struct wb_master *m);

/* ---------------------------------------------------------------- memory slave */
struct wb_mem_slave {
	/* slave -> DUT */
	uint8_t ack_o, err_o;
	uint32_t dat_o;
	/* DUT -> slave */
	uint8_t cyc_i, stb_i, we_i, sel_i;
	uint32_t adr_i, dat_i;
	/* memory: byte addresses [base, base + size) */
	uint8_t *mem;
	uint32_t base, size;
	/* random wait states: 0..wait_max extra cycles before ACK/ERR */
	unsigned int wait_max;
	/* 0: registered answer (ACK/ERR at the earliest in the cycle after STB); 1: combinational
	 * answer (ACK/ERR in the cycle of STB when no wait state is drawn; the harness calls
	 * wb_mem_slave_comb() after the DUT's outputs settled and evaluates again) */
	int comb;
	uint32_t rng;
	/* ERR for accesses touching the byte window [err_lo, err_hi) (err_hi > err_lo), per
	 * direction; accesses outside the memory always get ERR */
	uint32_t err_lo, err_hi;
	int err_reads, err_writes;
	/* the access in progress */
	int pending;
	unsigned int wait_left;
	uint8_t p_we, p_sel;
	uint32_t p_adr, p_dat;
	/* statistics */
	uint64_t cycles, reads, writes, write_bytes, errors, wait_cycles, cyc_cycles;
	uint64_t cycs;			/* CYC rising edges (bus tenures) */
	uint64_t comb_answers;		/* answers given in the cycle of the request (comb) */
	uint8_t prev_cyc;
	/* protocol checking */
	unsigned int violations;
	char first_violation[160];
};

void wb_mem_slave_init(struct wb_mem_slave *s, uint8_t *mem, uint32_t base, uint32_t size,
		       unsigned int wait_max, uint32_t seed);
void wb_mem_slave_step(struct wb_mem_slave *s);
/* Combinational mode only: answer the current request now if its wait states are over.
 * Returns 1 when ack_o/err_o/dat_o changed (the DUT must be evaluated again). */
int wb_mem_slave_comb(struct wb_mem_slave *s);

#endif /* WB_BFM_H */
