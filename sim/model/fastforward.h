/* SPDX-License-Identifier: MIT */
/*
 * The arithmetic of the model's fast-forward (internal header of sim/model/): how the counters
 * that run while the controller is quiet move over n cycles, on plain copies of the RTL's
 * registers. kite_model.cpp reads them from the Verilated model (sim/model/fastforward.vlt),
 * calls these and writes them back. Each function follows the always_comb / always_ff of the
 * module it names, for a controller whose quiet flags hold (docs/rtl.md, "Fast-forward").
 */
#ifndef KITE_FASTFORWARD_H
#define KITE_FASTFORWARD_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* kite_frame_timer, running (no frame start within the cycles advanced) or stopped */
struct ff_frame {
	uint32_t pre, left, zero;            /* bit phase, bit times left, left == 0 */
	uint32_t mstep, mx, macc, res;       /* the serial multiplier behind reserve_o */
	/* constant while quiet */
	uint32_t running;                    /* running_q (= run_i) */
	uint32_t fi, cpb, res_mul;           /* fi_i, CLKS_PER_BIT, RES_MUL */
};

/* kite_txn in S_IDLE: the bit timer (its compares all true already) and the frame-fit pipeline */
struct ff_txn {
	uint32_t pre, bits, avail, fit;
	uint32_t pre_last, periodic, worst; /* constant while idle */
};

/* kite_port in a state without a timer of its own: the state timer and its sticky flags, the
 * debounce count (the line unchanged) */
struct ff_port {
	uint32_t tmr, t_reset, t_recov, t_resk, t_eop, db;
	uint32_t reset_clks, resume_clks, debounce, ls_bit, db_stable;  /* RESET_CLKS ... DB_STABLE */
};

/* kite_intr without a pending request: the microseconds since the last interrupt */
struct ff_intr {
	uint32_t pre, us;
	uint32_t cyc_per_us;                 /* CYC_PER_US */
};

/* The frame timer and the transaction engine (its frame-fit pipeline follows the timer's
 * bits_left_o and reserve_o) after n usb_clk cycles. */
void ff_usb_advance(struct ff_frame *f, struct ff_txn *t, uint64_t n);
void ff_port_advance(struct ff_port *p, uint64_t n);
/* kite_phy_rx's DPLL phase after n cycles without an edge (last: 3 at FS, 31 at LS). */
uint32_t ff_phy_phase(uint32_t ph, uint32_t last, uint64_t n);
/* n bus clock cycles */
void ff_intr_advance(struct ff_intr *i, uint64_t n);

#ifdef __cplusplus
}
#endif

#endif /* KITE_FASTFORWARD_H */
