/* SPDX-License-Identifier: MIT */
/*
 * kite_fixture: what the controller's C tests share around the Verilated controller
 * (sim/model/kite_model.h, whichever USB engine the library was built with):
 *
 *  - kf_mem: guest memory, one or more windows, for kite_mem_ops. With containment on, the
 *    controller may write only into the regions a test allowed (kf_mem_alloc / kf_mem_allow);
 *    a stray write is dropped and counted. Address ranges can answer with bus errors.
 *  - register access that reports a failed access as a failed check (kite_test.h),
 *  - transfer rings and TRBs, the endpoint context set-up, commands and doorbells,
 *  - the event ring, consumer side,
 *  - port power/reset/enable through PORTSC.
 *
 * Used by the RTL testbenches (rtl/tb/) and the system tests (sim/systest/); it uses only the
 * kite_model.h API and the generated driver/kite_regs.h.
 */
#ifndef KITE_FIXTURE_H
#define KITE_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kite_model.h"
#include "kite_regs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ guest memory */
#define KF_MAX_WINDOWS 4
#define KF_MAX_REGIONS 256
#define KF_MAX_FAULTS 8

struct kf_mem {
	struct {
		uint64_t base;
		size_t size;
		uint8_t *data;
		uint64_t next;               /* bump allocator of kf_mem_alloc */
	} win[KF_MAX_WINDOWS];
	unsigned int nwin;

	/* DMA containment: with `contain`, the controller may write only inside these regions */
	bool contain;
	struct { uint64_t lo, hi; } allowed[KF_MAX_REGIONS];
	unsigned int nallowed;
	unsigned long violations;
	char violation[200];             /* the first stray write */

	/* address ranges that answer with an error response */
	struct { uint64_t lo, hi; bool on_read, on_write; } faulty[KF_MAX_FAULTS];
	unsigned int nfaulty;
};

/* Add a zeroed window of `size` bytes at bus address `base`; returns its data (NULL: no memory). */
uint8_t *kf_mem_add(struct kf_mem *mem, uint64_t base, size_t size);
/* Free the windows (the struct may be reused after memset). */
void kf_mem_free(struct kf_mem *mem);
/* The kite_mem_ops of this memory (for kite_model_create). */
struct kite_mem_ops kf_mem_ops(struct kf_mem *mem);
/* Host pointer of [addr, addr + len) if it lies inside one window, else NULL. */
void *kf_mem_ptr(struct kf_mem *mem, uint64_t addr, size_t len);
/* Allocate `size` zeroed bytes aligned to `align` in window `win`, with a guard gap after it;
 * DMA writes are allowed into it when `device_writes`. Exits when the window is full. */
uint64_t kf_mem_alloc(struct kf_mem *mem, unsigned int win, size_t size, size_t align,
		      bool device_writes);
/* Allow DMA writes into [addr, addr + len). */
void kf_mem_allow(struct kf_mem *mem, uint64_t addr, uint64_t len);
/* Accesses touching [lo, hi) answer with an error (reads if on_read, writes if on_write). */
void kf_mem_fault(struct kf_mem *mem, uint64_t lo, uint64_t hi, bool on_read, bool on_write);
void kf_mem_fault_clear(struct kf_mem *mem);
/* Fail the current test if the controller wrote outside the allowed regions (and forget
 * them); true when clean. */
bool kf_mem_contained(struct kf_mem *mem);

/* ------------------------------------------------------------------ registers */
/* Register access; a failed access fails the current test (kt_fail) and reads 0. */
uint32_t kf_rd(struct kite_model *m, uint32_t reg);
void kf_wr(struct kite_model *m, uint32_t reg, uint32_t val);

/* ------------------------------------------------------------------ rings, contexts */
struct kf_ring {
	uint64_t base;               /* bus address of TRB 0 */
	unsigned int n;              /* TRBs including the LINK at the end */
	unsigned int enq;            /* next TRB to write */
	unsigned int pcs;            /* producer cycle state */
};

/* A ring of n TRBs (the last one the LINK back to the start) at `base`, zeroed. */
void kf_ring_init(struct kf_mem *mem, struct kf_ring *r, uint64_t base, unsigned int n);
/* Append a TRB (dw3 without the cycle bit); writes the LINK when the ring wraps. Returns the
 * TRB's bus address. */
uint64_t kf_ring_put(struct kf_mem *mem, struct kf_ring *r, uint64_t ptr, uint32_t len,
		     uint32_t dw3);
/* The TRB type field of dw3 */
static inline uint32_t kf_trb_type(unsigned int type)
{
	return type << KITE_TRB_DW3_TYPE_SHIFT;
}

/* CTX_CFG0 of an endpoint; ep_type is KITE_CTX_CFG0_TYPE_* */
uint32_t kf_ctx_cfg0(unsigned int dev_addr, unsigned int ep, bool dir_in, unsigned int ep_type,
		     bool ls, unsigned int mps, unsigned int port);
/* The dequeue pointer (with the cycle state in bit 0) of a context that starts at r's next TRB */
static inline uint64_t kf_ring_deq(const struct kf_ring *r)
{
	return (r->base + (uint64_t)r->enq * KITE_TRB_BYTES) | r->pcs;
}
/* Program context ctx (DISABLED, CFG0, CFG1, dequeue pointer `deq` with its cycle state in
 * bit 0, RUNNING); -1 if CFG0 does not read back. */
int kf_ctx_setup(struct kite_model *m, unsigned int ctx, uint32_t cfg0, uint32_t cfg1,
		 uint64_t deq);
unsigned int kf_ctx_state(struct kite_model *m, unsigned int ctx);
void kf_doorbell(struct kite_model *m, unsigned int ctx);
/* Start a command (argument, then CMD with START); its event comes on the event ring. */
void kf_cmd_issue(struct kite_model *m, unsigned int op, unsigned int ctx, uint64_t arg);

/* ------------------------------------------------------------------ event ring */
struct kf_evt {
	uint64_t ptr;
	uint32_t residual, code, type, ctx, port_op;
};

struct kf_evt_ring {
	struct kite_model *m;
	struct kf_mem *mem;
	uint64_t base;
	unsigned int n, deq, ccs;
	unsigned int wraps;          /* times the consumer went round the ring */
};

/* Program the event ring (n entries at base, zeroed and allowed for DMA writes). */
void kf_evt_start(struct kf_evt_ring *er, struct kite_model *m, struct kf_mem *mem,
		  uint64_t base, unsigned int n);
/* The next event, if the controller wrote it (not consumed). */
bool kf_evt_peek(struct kf_evt_ring *er, struct kf_evt *e);
/* Consume the event kf_evt_peek returned: move the dequeue pointer (EVT_DEQ). */
void kf_evt_pop(struct kf_evt_ring *er);

/* ------------------------------------------------------------------ ports */
/* Wait (up to max_cycles bus cycles) for (PORTSC(port) & mask) == want; false on timeout. */
bool kf_wait_portsc(struct kite_model *m, unsigned int port, uint32_t mask, uint32_t want,
		    uint64_t max_cycles);

#ifdef __cplusplus
}
#endif
#endif /* KITE_FIXTURE_H */
