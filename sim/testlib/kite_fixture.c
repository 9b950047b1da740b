// SPDX-License-Identifier: MIT
/*
 * kite_fixture: guest memory with DMA containment, rings, contexts and events around the
 * Verilated controller (kite_fixture.h).
 */
#include "kite_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kite_test.h"

/* ------------------------------------------------------------------ guest memory */

uint8_t *kf_mem_add(struct kf_mem *mem, uint64_t base, size_t size)
{
	uint8_t *data;

	if (mem->nwin == KF_MAX_WINDOWS)
		return NULL;
	data = calloc(1, size);
	if (!data)
		return NULL;
	mem->win[mem->nwin].base = base;
	mem->win[mem->nwin].size = size;
	mem->win[mem->nwin].data = data;
	mem->win[mem->nwin].next = base + 0x1000;
	mem->nwin++;
	return data;
}

void kf_mem_free(struct kf_mem *mem)
{
	for (unsigned int i = 0; i < mem->nwin; i++) {
		free(mem->win[i].data);
		mem->win[i].data = NULL;
	}
	mem->nwin = 0;
}

void *kf_mem_ptr(struct kf_mem *mem, uint64_t addr, size_t len)
{
	for (unsigned int i = 0; i < mem->nwin; i++) {
		uint64_t base = mem->win[i].base, size = mem->win[i].size;

		if (addr >= base && addr - base <= size && len <= size - (addr - base))
			return mem->win[i].data + (addr - base);
	}
	return NULL;
}

static bool faulty(struct kf_mem *mem, uint64_t addr, size_t len, bool write)
{
	for (unsigned int i = 0; i < mem->nfaulty; i++)
		if ((write ? mem->faulty[i].on_write : mem->faulty[i].on_read) &&
		    addr < mem->faulty[i].hi && addr + len > mem->faulty[i].lo)
			return true;
	return false;
}

static int mem_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct kf_mem *mem = ctx;
	uint8_t *p = kf_mem_ptr(mem, addr, len);

	if (!p || faulty(mem, addr, len, false))
		return -1;
	memcpy(buf, p, len);
	return 0;
}

static void stray(struct kf_mem *mem, uint64_t addr, size_t len, const char *where)
{
	if (!mem->violations++)
		snprintf(mem->violation, sizeof(mem->violation), "write of %zu bytes at 0x%llx %s",
			 len, (unsigned long long)addr, where);
}

static int mem_write(void *ctx, uint64_t addr, const void *buf, size_t len)
{
	struct kf_mem *mem = ctx;
	uint8_t *p = kf_mem_ptr(mem, addr, len);
	bool ok = !mem->contain;

	if (!p || faulty(mem, addr, len, true)) {
		if (!p && mem->contain)
			stray(mem, addr, len, "outside memory");
		return -1;
	}
	for (unsigned int i = 0; i < mem->nallowed && !ok; i++)
		ok = addr >= mem->allowed[i].lo && addr + len <= mem->allowed[i].hi;
	if (!ok) {
		/* Not written: a stray write must not hide the next test's failure either. */
		stray(mem, addr, len, "outside every buffer and ring");
		return 0;
	}
	memcpy(p, buf, len);
	return 0;
}

struct kite_mem_ops kf_mem_ops(struct kf_mem *mem)
{
	struct kite_mem_ops ops = { mem_read, mem_write, mem };

	return ops;
}

void kf_mem_allow(struct kf_mem *mem, uint64_t addr, uint64_t len)
{
	if (mem->nallowed == KF_MAX_REGIONS) {
		fprintf(stderr, "kite_fixture: too many DMA regions\n");
		exit(2);
	}
	mem->allowed[mem->nallowed].lo = addr;
	mem->allowed[mem->nallowed].hi = addr + len;
	mem->nallowed++;
}

uint64_t kf_mem_alloc(struct kf_mem *mem, unsigned int win, size_t size, size_t align,
		      bool device_writes)
{
	uint64_t a;

	if (win >= mem->nwin) {
		fprintf(stderr, "kite_fixture: no memory window %u\n", win);
		exit(2);
	}
	a = (mem->win[win].next + align - 1) & ~(uint64_t)(align - 1);
	if (a + size > mem->win[win].base + mem->win[win].size) {
		fprintf(stderr, "kite_fixture: out of test memory\n");
		exit(2);
	}
	/* Guard gap: a write just past a buffer lands outside every region. */
	mem->win[win].next = a + size + 64;
	memset(kf_mem_ptr(mem, a, size), 0, size);
	if (device_writes)
		kf_mem_allow(mem, a, size);
	return a;
}

void kf_mem_fault(struct kf_mem *mem, uint64_t lo, uint64_t hi, bool on_read, bool on_write)
{
	if (mem->nfaulty < KF_MAX_FAULTS)
		mem->faulty[mem->nfaulty++] = (typeof(mem->faulty[0])){ lo, hi, on_read, on_write };
}

void kf_mem_fault_clear(struct kf_mem *mem)
{
	mem->nfaulty = 0;
}

bool kf_mem_contained(struct kf_mem *mem)
{
	if (!mem->violations)
		return true;
	kt_fail("DMA containment: %lu stray writes, first: %s", mem->violations, mem->violation);
	mem->violations = 0;
	return false;
}

/* ------------------------------------------------------------------ registers */

uint32_t kf_rd(struct kite_model *m, uint32_t reg)
{
	uint32_t v = 0;
	int rc = kite_model_reg_read(m, reg, &v);

	if (rc)
		kt_fail("register read 0x%03x failed: %d", reg, rc);
	return v;
}

void kf_wr(struct kite_model *m, uint32_t reg, uint32_t val)
{
	int rc = kite_model_reg_write(m, reg, val, 0xf);

	if (rc)
		kt_fail("register write 0x%03x failed: %d", reg, rc);
}

/* ------------------------------------------------------------------ rings, contexts */

void kf_ring_init(struct kf_mem *mem, struct kf_ring *r, uint64_t base, unsigned int n)
{
	void *p = kf_mem_ptr(mem, base, (size_t)n * KITE_TRB_BYTES);

	r->base = base;
	r->n = n;
	r->enq = 0;
	r->pcs = 1;
	if (p)
		memset(p, 0, (size_t)n * KITE_TRB_BYTES);
}

static void trb_write(struct kf_mem *mem, uint64_t at, uint64_t ptr, uint32_t len, uint32_t dw3)
{
	uint32_t *dw = kf_mem_ptr(mem, at, KITE_TRB_BYTES);

	if (!dw) {
		kt_fail("TRB at 0x%llx outside memory", (unsigned long long)at);
		return;
	}
	dw[0] = (uint32_t)ptr;
	dw[1] = (uint32_t)(ptr >> 32);
	dw[2] = len;
	/* The dword with the cycle bit goes last, as a driver's dma_wmb() would order it. */
	__atomic_store_n(&dw[3], dw3, __ATOMIC_RELEASE);
}

uint64_t kf_ring_put(struct kf_mem *mem, struct kf_ring *r, uint64_t ptr, uint32_t len,
		     uint32_t dw3)
{
	uint64_t at = r->base + (uint64_t)r->enq * KITE_TRB_BYTES;

	trb_write(mem, at, ptr, len, (dw3 & ~KITE_TRB_DW3_C_MASK) | r->pcs);
	if (++r->enq == r->n - 1) {
		uint64_t link = r->base + (uint64_t)r->enq * KITE_TRB_BYTES;

		trb_write(mem, link, r->base, 0,
			  kf_trb_type(KITE_TRB_TYPE_LINK) | KITE_TRB_DW3_TC_MASK |
			  (dw3 & KITE_TRB_DW3_CH_MASK) | r->pcs);
		r->enq = 0;
		r->pcs ^= 1;
	}
	return at;
}

uint32_t kf_ctx_cfg0(unsigned int dev_addr, unsigned int ep, bool dir_in, unsigned int ep_type,
		     bool ls, unsigned int mps, unsigned int port)
{
	return (dev_addr << KITE_CTX_CFG0_DEV_ADDR_SHIFT) | (ep << KITE_CTX_CFG0_EP_NUM_SHIFT) |
	       (dir_in ? KITE_CTX_CFG0_DIR_IN_MASK : 0) | (ep_type << KITE_CTX_CFG0_TYPE_SHIFT) |
	       (ls ? KITE_CTX_CFG0_LS_MASK : 0) | (mps << KITE_CTX_CFG0_MPS_SHIFT) |
	       (port << KITE_CTX_CFG0_PORT_SHIFT);
}

int kf_ctx_setup(struct kite_model *m, unsigned int ctx, uint32_t cfg0, uint32_t cfg1,
		 uint64_t deq)
{
	kf_wr(m, KITE_REG_CTX_STATE(ctx), KITE_CTX_STATE_STATE_DISABLED);
	kf_wr(m, KITE_REG_CTX_CFG0(ctx), cfg0);
	kf_wr(m, KITE_REG_CTX_CFG1(ctx), cfg1);
	kf_wr(m, KITE_REG_CTX_DEQ_HI(ctx), (uint32_t)(deq >> 32));
	kf_wr(m, KITE_REG_CTX_DEQ_LO(ctx), (uint32_t)deq);
	kf_wr(m, KITE_REG_CTX_STATE(ctx), KITE_CTX_STATE_STATE_RUNNING);
	return kf_rd(m, KITE_REG_CTX_CFG0(ctx)) == cfg0 ? 0 : -1;
}

unsigned int kf_ctx_state(struct kite_model *m, unsigned int ctx)
{
	return (kf_rd(m, KITE_REG_CTX_STATE(ctx)) & KITE_CTX_STATE_STATE_MASK) >>
	       KITE_CTX_STATE_STATE_SHIFT;
}

void kf_doorbell(struct kite_model *m, unsigned int ctx)
{
	kf_wr(m, KITE_REG_DOORBELL, ctx);
}

void kf_cmd_issue(struct kite_model *m, unsigned int op, unsigned int ctx, uint64_t arg)
{
	kf_wr(m, KITE_REG_CMD_ARG_LO, (uint32_t)arg);
	kf_wr(m, KITE_REG_CMD_ARG_HI, (uint32_t)(arg >> 32));
	kf_wr(m, KITE_REG_CMD, KITE_CMD_START_MASK | (op << KITE_CMD_OP_SHIFT) |
	      (ctx << KITE_CMD_CTX_SHIFT));
}

/* ------------------------------------------------------------------ event ring */

void kf_evt_start(struct kf_evt_ring *er, struct kite_model *m, struct kf_mem *mem,
		  uint64_t base, unsigned int n)
{
	void *p = kf_mem_ptr(mem, base, (size_t)n * KITE_EVT_BYTES);

	er->m = m;
	er->mem = mem;
	er->base = base;
	er->n = n;
	er->deq = 0;
	er->ccs = 1;
	er->wraps = 0;
	if (p)
		memset(p, 0, (size_t)n * KITE_EVT_BYTES);
	kf_mem_allow(mem, base, (uint64_t)n * KITE_EVT_BYTES);
	kf_wr(m, KITE_REG_EVT_BASE_HI, (uint32_t)(base >> 32));
	kf_wr(m, KITE_REG_EVT_BASE_LO, (uint32_t)base);
	kf_wr(m, KITE_REG_EVT_SIZE, n);
	kf_wr(m, KITE_REG_EVT_DEQ_HI, (uint32_t)(base >> 32));
	kf_wr(m, KITE_REG_EVT_DEQ_LO, (uint32_t)base);
}

bool kf_evt_peek(struct kf_evt_ring *er, struct kf_evt *e)
{
	const uint32_t *dw = kf_mem_ptr(er->mem, er->base + (uint64_t)er->deq * KITE_EVT_BYTES,
					KITE_EVT_BYTES);

	if (!dw || (__atomic_load_n(&dw[3], __ATOMIC_ACQUIRE) & KITE_EVT_DW3_C_MASK) != er->ccs)
		return false;
	e->ptr = dw[0] | (uint64_t)dw[1] << 32;
	e->residual = (dw[2] & KITE_EVT_DW2_RESIDUAL_MASK) >> KITE_EVT_DW2_RESIDUAL_SHIFT;
	e->code = (dw[2] & KITE_EVT_DW2_CODE_MASK) >> KITE_EVT_DW2_CODE_SHIFT;
	e->type = (dw[3] & KITE_EVT_DW3_TYPE_MASK) >> KITE_EVT_DW3_TYPE_SHIFT;
	e->ctx = (dw[3] & KITE_EVT_DW3_CTX_MASK) >> KITE_EVT_DW3_CTX_SHIFT;
	e->port_op = (dw[3] & KITE_EVT_DW3_PORT_OP_MASK) >> KITE_EVT_DW3_PORT_OP_SHIFT;
	return true;
}

void kf_evt_pop(struct kf_evt_ring *er)
{
	uint64_t deq;

	if (++er->deq == er->n) {
		er->deq = 0;
		er->ccs ^= 1;
		er->wraps++;
	}
	deq = er->base + (uint64_t)er->deq * KITE_EVT_BYTES;
	kf_wr(er->m, KITE_REG_EVT_DEQ_HI, (uint32_t)(deq >> 32));
	kf_wr(er->m, KITE_REG_EVT_DEQ_LO, (uint32_t)deq);
}

/* ------------------------------------------------------------------ ports */

bool kf_wait_portsc(struct kite_model *m, unsigned int port, uint32_t mask, uint32_t want,
		    uint64_t max_cycles)
{
	for (uint64_t w = 0; w < max_cycles; w += 1024) {
		if ((kf_rd(m, KITE_REG_PORTSC(port)) & mask) == want)
			return true;
		kite_model_tick(m, 1024);
	}
	return false;
}
