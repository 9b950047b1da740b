// SPDX-License-Identifier: MIT
/*
 * systest: the harness of the controller's system tests (see systest.h).
 */
#include "systest.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int st_failures;
unsigned int st_usb_per_bus;
unsigned long long st_cycles_per_ms = ST_BUS_HZ / 1000;

void st_pass(const char *name)
{
	printf("PASS %s\n", name);
	fflush(stdout);
}

void st_fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("FAIL %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	st_failures++;
}

static void why(struct st *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void why(struct st *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->why, sizeof(t->why), fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------ memory model */

static uint8_t *translate(struct st *t, uint64_t addr, size_t len)
{
	if (addr >= ST_MEM_LO_BASE && addr - ST_MEM_LO_BASE <= ST_MEM_SIZE &&
	    len <= ST_MEM_SIZE - (addr - ST_MEM_LO_BASE))
		return t->mem_lo + (addr - ST_MEM_LO_BASE);
	if (addr >= ST_MEM_HI_BASE && addr - ST_MEM_HI_BASE <= ST_MEM_SIZE &&
	    len <= ST_MEM_SIZE - (addr - ST_MEM_HI_BASE))
		return t->mem_hi + (addr - ST_MEM_HI_BASE);
	return NULL;
}

static bool faulty(struct st *t, uint64_t addr, size_t len, bool write)
{
	for (unsigned int i = 0; i < t->nfaulty; i++)
		if ((write ? t->faulty[i].on_write : t->faulty[i].on_read) &&
		    addr < t->faulty[i].hi && addr + len > t->faulty[i].lo)
			return true;
	return false;
}

static int mem_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct st *t = ctx;
	uint8_t *p = translate(t, addr, len);

	if (!p || faulty(t, addr, len, false))
		return -1;
	memcpy(buf, p, len);
	return 0;
}

static int mem_write(void *ctx, uint64_t addr, const void *buf, size_t len)
{
	struct st *t = ctx;
	uint8_t *p = translate(t, addr, len);
	bool ok = false;

	if (!p || faulty(t, addr, len, true)) {
		if (!p && !t->violations++)
			snprintf(t->violation, sizeof(t->violation),
				 "write of %zu bytes at 0x%llx outside memory", len,
				 (unsigned long long)addr);
		return -1;
	}
	for (unsigned int i = 0; i < t->nallowed && !ok; i++)
		ok = addr >= t->allowed[i].lo && addr + len <= t->allowed[i].hi;
	if (!ok) {
		/* Not written: a stray write must not hide the next test's failure either. */
		if (!t->violations++)
			snprintf(t->violation, sizeof(t->violation),
				 "write of %zu bytes at 0x%llx outside every buffer and ring", len,
				 (unsigned long long)addr);
		return 0;
	}
	memcpy(p, buf, len);
	return 0;
}

bool st_contained(struct st *t, const char *name)
{
	if (!t->violations)
		return true;
	st_fail(name, "DMA containment: %lu stray writes, first: %s", t->violations, t->violation);
	t->violations = 0;
	return false;
}

uint64_t st_alloc(struct st *t, size_t size, size_t align, bool high, bool device_writes)
{
	uint64_t *next, base, a;

	/* a controller with 32-bit addresses gets everything below 4 GiB */
	if (t->addr_width < 64)
		high = false;
	next = high ? &t->next_hi : &t->next_lo;
	base = high ? ST_MEM_HI_BASE : ST_MEM_LO_BASE;
	a = (*next + align - 1) & ~(uint64_t)(align - 1);

	if (a + size > base + ST_MEM_SIZE) {
		fprintf(stderr, "systest: out of test memory\n");
		exit(2);
	}
	/* Guard gap: a write just past a buffer lands outside every region. */
	*next = a + size + 64;
	memset(translate(t, a, size), 0, size);
	if (device_writes) {
		if (t->nallowed == ST_MAX_REGIONS) {
			fprintf(stderr, "systest: too many regions\n");
			exit(2);
		}
		t->allowed[t->nallowed].lo = a;
		t->allowed[t->nallowed].hi = a + size;
		t->nallowed++;
	}
	return a;
}

void *st_ptr(struct st *t, uint64_t addr)
{
	return translate(t, addr, 1);
}

void st_fault_range(struct st *t, uint64_t lo, uint64_t hi, bool on_read, bool on_write)
{
	if (t->nfaulty < ST_MAX_FAULT_RANGES)
		t->faulty[t->nfaulty++] = (typeof(t->faulty[0])){ lo, hi, on_read, on_write };
}

void st_fault_clear(struct st *t)
{
	t->nfaulty = 0;
}

/* ------------------------------------------------------------------ registers, clock */

uint32_t st_rd(struct st *t, uint32_t reg)
{
	uint32_t v = 0;
	int rc = kite_model_reg_read(t->m, reg, &v);

	if (rc) {
		fprintf(stderr, "systest: register read 0x%03x failed: %d\n", reg, rc);
		exit(2);
	}
	return v;
}

void st_wr(struct st *t, uint32_t reg, uint32_t val)
{
	int rc = kite_model_reg_write(t->m, reg, val, 0xf);

	if (rc) {
		fprintf(stderr, "systest: register write 0x%03x failed: %d\n", reg, rc);
		exit(2);
	}
}

void st_tick(struct st *t, unsigned int cycles)
{
	kite_model_tick(t->m, cycles);
}

uint64_t st_usb_cycles(struct st *t)
{
	struct kite_model_stats s;

	kite_model_get_stats(t->m, &s);
	return s.usb_cycles;
}

int st_init(struct st *t, enum kite_attach attach, unsigned int mem_latency)
{
	struct kite_model_config cfg = { .mem_latency = mem_latency, .attach = attach,
					 .usb_per_bus = st_usb_per_bus };
	struct kite_mem_ops ops = { mem_read, mem_write, t };

	memset(t, 0, sizeof(*t));
	t->attach = attach;
	/* usb_clk is 48 MHz: a slow bus clock runs at 48 MHz / usb_per_bus */
	st_cycles_per_ms = st_usb_per_bus > 1 ? 48000 / st_usb_per_bus : ST_BUS_HZ / 1000;
	t->mem_lo = calloc(1, ST_MEM_SIZE);
	t->mem_hi = calloc(1, ST_MEM_SIZE);
	t->next_lo = ST_MEM_LO_BASE + 0x1000;
	t->next_hi = ST_MEM_HI_BASE + 0x1000;
	cfg.trace_path = getenv("SYSTEST_WAVES");
	if (!t->mem_lo || !t->mem_hi)
		return -ENOMEM;
	ops.ctx = t;
	t->m = kite_model_create(&cfg, &ops);
	if (!t->m)
		return -EIO;
	t->num_ctx = (st_rd(t, KITE_REG_CAP_HOST) & KITE_CAP_HOST_NUM_CTX_MASK) >> KITE_CAP_HOST_NUM_CTX_SHIFT;
	t->num_ports = (st_rd(t, KITE_REG_CAP) & KITE_CAP_NUM_PORTS_MASK) >> KITE_CAP_NUM_PORTS_SHIFT;
	t->addr_width = (st_rd(t, KITE_REG_CAP) & KITE_CAP_ADDR_WIDTH_MASK) >> KITE_CAP_ADDR_WIDTH_SHIFT;
	return 0;
}

void st_fini(struct st *t)
{
	for (unsigned int i = 0; i < ST_MAX_PORTS; i++) {
		if (t->port[i]) {
			kite_model_set_port(t->m, i, NULL);
			usbdev_port_destroy(t->port[i]);
		}
	}
	kite_model_destroy(t->m);
	free(t->mem_lo);
	free(t->mem_hi);
}

/* ------------------------------------------------------------------ events */

int st_start(struct st *t, unsigned int evt_entries)
{
	t->evt_n = evt_entries;
	t->evt_base = st_alloc(t, evt_entries * KITE_EVT_BYTES, 64, false, true);
	t->evt_deq = 0;
	t->evt_ccs = 1;
	st_wr(t, KITE_REG_EVT_BASE_HI, (uint32_t)(t->evt_base >> 32));
	st_wr(t, KITE_REG_EVT_BASE_LO, (uint32_t)t->evt_base);
	st_wr(t, KITE_REG_EVT_SIZE, evt_entries);
	st_wr(t, KITE_REG_EVT_DEQ_HI, (uint32_t)(t->evt_base >> 32));
	st_wr(t, KITE_REG_EVT_DEQ_LO, (uint32_t)t->evt_base);
	st_wr(t, KITE_REG_IMOD, 0);
	st_wr(t, KITE_REG_INT_ENABLE, KITE_INT_ENABLE_EVENT_MASK | KITE_INT_ENABLE_PORT_CHANGE_MASK |
		  KITE_INT_ENABLE_HOST_ERROR_MASK);
	st_wr(t, KITE_REG_USBCMD, KITE_USBCMD_RUN_MASK);
	st_tick(t, 64);
	if (st_rd(t, KITE_REG_USBSTS) & KITE_USBSTS_HALTED_MASK) {
		why(t, "USBSTS.HALTED still set after RUN");
		return -1;
	}
	return 0;
}

static bool evt_peek(struct st *t, struct st_evt *e)
{
	const uint32_t *dw = st_ptr(t, t->evt_base + (uint64_t)t->evt_deq * KITE_EVT_BYTES);

	if ((dw[3] & KITE_EVT_DW3_C_MASK) != t->evt_ccs)
		return false;
	e->ptr = dw[0] | (uint64_t)dw[1] << 32;
	e->residual = (dw[2] & KITE_EVT_DW2_RESIDUAL_MASK) >> KITE_EVT_DW2_RESIDUAL_SHIFT;
	e->code = (dw[2] & KITE_EVT_DW2_CODE_MASK) >> KITE_EVT_DW2_CODE_SHIFT;
	e->type = (dw[3] & KITE_EVT_DW3_TYPE_MASK) >> KITE_EVT_DW3_TYPE_SHIFT;
	e->ctx = (dw[3] & KITE_EVT_DW3_CTX_MASK) >> KITE_EVT_DW3_CTX_SHIFT;
	e->port_op = (dw[3] & KITE_EVT_DW3_PORT_OP_MASK) >> KITE_EVT_DW3_PORT_OP_SHIFT;
	return true;
}

int st_next_event(struct st *t, struct st_evt *e, uint64_t max_cycles)
{
	uint64_t waited = 0;

	while (!evt_peek(t, e)) {
		if (waited >= max_cycles) {
			why(t, "no event within %llu bus cycles", (unsigned long long)max_cycles);
			return -1;
		}
		st_tick(t, 256);
		waited += 256;
	}
	if (++t->evt_deq == t->evt_n) {
		t->evt_deq = 0;
		t->evt_ccs ^= 1;
	}
	uint64_t deq = t->evt_base + (uint64_t)t->evt_deq * KITE_EVT_BYTES;

	st_wr(t, KITE_REG_INT_STATUS, KITE_INT_STATUS_EVENT_MASK | KITE_INT_STATUS_PORT_CHANGE_MASK);
	st_wr(t, KITE_REG_EVT_DEQ_HI, (uint32_t)(deq >> 32));
	st_wr(t, KITE_REG_EVT_DEQ_LO, (uint32_t)deq);
	return 0;
}

int st_wait_xfer(struct st *t, unsigned int ctx, struct st_evt *e, uint64_t max_cycles)
{
	for (;;) {
		if (st_next_event(t, e, max_cycles))
			return -1;
		if (e->type == KITE_EVT_TYPE_PORT)
			continue;       /* port changes are the port helpers' business */
		if (e->type != KITE_EVT_TYPE_TRANSFER || e->ctx != ctx) {
			why(t, "expected a transfer event of context %u, got type %u context %u code %u",
			    ctx, e->type, e->ctx, e->code);
			return -1;
		}
		return 0;
	}
}

/* ------------------------------------------------------------------ ports */

int st_plug(struct st *t, unsigned int port, struct usbdev *dev)
{
	struct kite_port_backend b;

	if (port >= ST_MAX_PORTS || port >= t->num_ports) {
		why(t, "port %u does not exist (CAP.NUM_PORTS %u)", port, t->num_ports);
		return -1;
	}
	if (!t->port[port]) {
		t->port[port] = usbdev_port_create(t->attach, NULL);
		if (!t->port[port]) {
			why(t, "cannot create the attachment");
			return -1;
		}
		b = usbdev_port_backend(t->port[port]);
		if (kite_model_set_port(t->m, port, &b)) {
			why(t, "kite_model_set_port(%u) failed", port);
			return -1;
		}
	}
	return usbdev_attach(t->port[port], dev);
}

void st_unplug(struct st *t, unsigned int port)
{
	if (port < ST_MAX_PORTS && t->port[port])
		usbdev_detach(t->port[port]);
}

static int wait_portsc(struct st *t, unsigned int port, uint32_t mask, uint32_t want,
		       uint64_t max_cycles)
{
	for (uint64_t w = 0; w < max_cycles; w += 1024) {
		if ((st_rd(t, KITE_REG_PORTSC(port)) & mask) == want)
			return 0;
		st_tick(t, 1024);
	}
	why(t, "PORTSC[%u] = 0x%08x, waited for (x & 0x%x) == 0x%x", port,
	    st_rd(t, KITE_REG_PORTSC(port)), mask, want);
	return -1;
}

/* Drop pending PORT events (the test does not look at them here). */
static void drain_port_events(struct st *t)
{
	struct st_evt e;

	while (evt_peek(t, &e) && e.type == KITE_EVT_TYPE_PORT)
		st_next_event(t, &e, 0);
}

int st_port_enable(struct st *t, unsigned int port)
{
	const uint32_t changes = KITE_PORTSC_CSC_MASK | KITE_PORTSC_PEC_MASK | KITE_PORTSC_PRC_MASK |
				 KITE_PORTSC_OCC_MASK | KITE_PORTSC_PSC_MASK;

	st_wr(t, KITE_REG_PORTSC(port), KITE_PORTSC_POWER_MASK);
	if (wait_portsc(t, port, KITE_PORTSC_CONNECTED_MASK, KITE_PORTSC_CONNECTED_MASK,
			5 * ST_CYCLES_PER_MS))
		return -1;
	st_wr(t, KITE_REG_PORTSC(port), KITE_PORTSC_POWER_MASK | changes);
	st_wr(t, KITE_REG_PORTSC(port), KITE_PORTSC_POWER_MASK | KITE_PORTSC_RESET_MASK);
	if (wait_portsc(t, port, KITE_PORTSC_PRC_MASK | KITE_PORTSC_ENABLED_MASK,
			KITE_PORTSC_PRC_MASK | KITE_PORTSC_ENABLED_MASK, 30 * ST_CYCLES_PER_MS))
		return -1;
	st_wr(t, KITE_REG_PORTSC(port), KITE_PORTSC_POWER_MASK | changes);
	/* Reset recovery: the device gets a moment before the first transaction. */
	st_tick(t, 2 * ST_CYCLES_PER_MS);
	drain_port_events(t);
	return 0;
}

/* ------------------------------------------------------------------ rings, contexts */

int st_ring_init(struct st *t, struct st_ring *r, unsigned int n, bool high)
{
	r->n = n;
	r->base = st_alloc(t, (size_t)n * KITE_TRB_BYTES, 64, high, false);
	r->enq = 0;
	r->pcs = 1;
	return 0;
}

static void trb_write(struct st *t, uint64_t at, uint64_t ptr, uint32_t len, uint32_t dw3)
{
	uint32_t *dw = st_ptr(t, at);

	dw[0] = (uint32_t)ptr;
	dw[1] = (uint32_t)(ptr >> 32);
	dw[2] = len;
	/* The dword with the cycle bit goes last, as a driver's dma_wmb() would order it. */
	__atomic_store_n(&dw[3], dw3, __ATOMIC_RELEASE);
}

uint64_t st_ring_put(struct st *t, struct st_ring *r, uint64_t ptr, uint32_t len, uint32_t dw3)
{
	uint64_t at = r->base + (uint64_t)r->enq * KITE_TRB_BYTES;

	trb_write(t, at, ptr, len, (dw3 & ~KITE_TRB_DW3_C_MASK) | r->pcs);
	if (++r->enq == r->n - 1) {
		uint64_t link = r->base + (uint64_t)r->enq * KITE_TRB_BYTES;

		trb_write(t, link, r->base, 0,
			  (KITE_TRB_TYPE_LINK << KITE_TRB_DW3_TYPE_SHIFT) | KITE_TRB_DW3_TC_MASK |
			  (dw3 & KITE_TRB_DW3_CH_MASK) | r->pcs);
		r->enq = 0;
		r->pcs ^= 1;
	}
	return at;
}

int st_ctx_setup(struct st *t, unsigned int ctx, unsigned int dev_addr, unsigned int ep,
		 bool dir_in, unsigned int ep_type, bool ls, unsigned int mps, unsigned int port,
		 unsigned int interval, struct st_ring *r)
{
	uint64_t deq = r->base + (uint64_t)r->enq * KITE_TRB_BYTES;
	uint32_t cfg0 = (dev_addr << KITE_CTX_CFG0_DEV_ADDR_SHIFT) |
			(ep << KITE_CTX_CFG0_EP_NUM_SHIFT) |
			(dir_in ? KITE_CTX_CFG0_DIR_IN_MASK : 0) |
			(ep_type << KITE_CTX_CFG0_TYPE_SHIFT) |
			(ls ? KITE_CTX_CFG0_LS_MASK : 0) |
			(mps << KITE_CTX_CFG0_MPS_SHIFT) |
			(port << KITE_CTX_CFG0_PORT_SHIFT);

	if (ctx >= t->num_ctx) {
		why(t, "context %u does not exist (NUM_CTX %u)", ctx, t->num_ctx);
		return -1;
	}
	st_wr(t, KITE_REG_CTX_STATE(ctx), KITE_CTX_STATE_STATE_DISABLED);
	st_wr(t, KITE_REG_CTX_CFG0(ctx), cfg0);
	st_wr(t, KITE_REG_CTX_CFG1(ctx), interval << KITE_CTX_CFG1_INTERVAL_SHIFT);
	st_wr(t, KITE_REG_CTX_DEQ_HI(ctx), (uint32_t)(deq >> 32));
	st_wr(t, KITE_REG_CTX_DEQ_LO(ctx), (uint32_t)deq | r->pcs);
	st_wr(t, KITE_REG_CTX_STATE(ctx), KITE_CTX_STATE_STATE_RUNNING);
	if (st_rd(t, KITE_REG_CTX_CFG0(ctx)) != cfg0) {
		why(t, "CTX_CFG0(%u) reads 0x%08x after writing 0x%08x", ctx,
		    st_rd(t, KITE_REG_CTX_CFG0(ctx)), cfg0);
		return -1;
	}
	return 0;
}

void st_doorbell(struct st *t, unsigned int ctx)
{
	st_wr(t, KITE_REG_DOORBELL, ctx);
}

unsigned int st_ctx_state(struct st *t, unsigned int ctx)
{
	return (st_rd(t, KITE_REG_CTX_STATE(ctx)) & KITE_CTX_STATE_STATE_MASK) >>
	       KITE_CTX_STATE_STATE_SHIFT;
}

int st_command(struct st *t, unsigned int op, unsigned int ctx, uint64_t arg)
{
	struct st_evt e;

	st_wr(t, KITE_REG_CMD_ARG_LO, (uint32_t)arg);
	st_wr(t, KITE_REG_CMD_ARG_HI, (uint32_t)(arg >> 32));
	st_wr(t, KITE_REG_CMD, KITE_CMD_START_MASK | (op << KITE_CMD_OP_SHIFT) |
		  (ctx << KITE_CMD_CTX_SHIFT));
	for (;;) {
		if (st_next_event(t, &e, 10 * ST_CYCLES_PER_MS))
			return -1;
		if (e.type == KITE_EVT_TYPE_COMMAND) {
			if (e.ctx != ctx || e.port_op != op) {
				why(t, "command event for context %u op %u, expected %u op %u",
				    e.ctx, e.port_op, ctx, op);
				return -1;
			}
			if (st_rd(t, KITE_REG_CMD_STATUS) & KITE_CMD_STATUS_BUSY_MASK) {
				why(t, "CMD_STATUS.BUSY still set after the command event");
				return -1;
			}
			return (int)e.code;
		}
		/* STOP_EP writes a STOPPED transfer event first; port events may interleave. */
	}
}

/* ------------------------------------------------------------------ transfers */

static uint32_t trb_type(unsigned int type)
{
	return type << KITE_TRB_DW3_TYPE_SHIFT;
}

int st_control(struct st *t, unsigned int ctx, struct st_ring *r, const uint8_t setup[8],
	       uint64_t buf, unsigned int len, unsigned int *actual)
{
	bool in = setup[0] & 0x80;
	uint64_t imm = 0, status_trb;
	struct st_evt e;

	memcpy(&imm, setup, 8);
	*actual = 0;
	st_ring_put(t, r, imm, 8, trb_type(KITE_TRB_TYPE_SETUP) | KITE_TRB_DW3_IDT_MASK |
		    KITE_TRB_DW3_CH_MASK);
	if (len)
		st_ring_put(t, r, buf, len, trb_type(KITE_TRB_TYPE_DATA) | KITE_TRB_DW3_CH_MASK |
			    (in ? KITE_TRB_DW3_DIR_IN_MASK : 0));
	status_trb = st_ring_put(t, r, 0, 0, trb_type(KITE_TRB_TYPE_STATUS) | KITE_TRB_DW3_IOC_MASK |
				 ((!len || !in) ? KITE_TRB_DW3_DIR_IN_MASK : 0));
	st_doorbell(t, ctx);
	*actual = len;
	for (;;) {
		if (st_wait_xfer(t, ctx, &e, 50 * ST_CYCLES_PER_MS))
			return -1;
		if (e.code == KITE_EVT_CODE_SHORT_PACKET) {
			*actual = len - e.residual;
			continue;   /* the status stage still runs */
		}
		if (e.code != KITE_EVT_CODE_SUCCESS || e.ptr == status_trb)
			return (int)e.code;
	}
}

static int ctl_simple(struct st *t, struct st_ring *ep0, uint8_t rt, uint8_t req, uint16_t val,
		      uint16_t idx, uint64_t buf, uint16_t len, unsigned int *actual)
{
	uint8_t s[8] = { rt, req, (uint8_t)val, (uint8_t)(val >> 8), (uint8_t)idx, (uint8_t)(idx >> 8),
			 (uint8_t)len, (uint8_t)(len >> 8) };
	unsigned int dummy;

	return st_control(t, 0, ep0, s, buf, len, actual ? actual : &dummy);
}

int st_enumerate(struct st *t, unsigned int port, struct st_ring *ep0, unsigned int addr,
		 unsigned int config, bool ls, unsigned int mps0)
{
	uint64_t buf = st_alloc(t, 512, 1, false, true);
	uint8_t *b = st_ptr(t, buf);
	unsigned int got;
	int code;

	if (st_port_enable(t, port))
		return -1;
	st_ring_init(t, ep0, 32, false);
	if (st_ctx_setup(t, 0, 0, 0, false, KITE_CTX_CFG0_TYPE_CONTROL, ls, mps0, port, 0, ep0))
		return -1;
	code = ctl_simple(t, ep0, 0x80, 6, 0x0100, 0, buf, 8, &got);
	if (code != KITE_EVT_CODE_SUCCESS || got != 8 || b[0] != 18 || b[1] != 1) {
		why(t, "GET_DESCRIPTOR(device, 8): code %d, %u bytes, %02x %02x", code, got, b[0], b[1]);
		return -1;
	}
	code = ctl_simple(t, ep0, 0x00, 5, (uint16_t)addr, 0, 0, 0, NULL);
	if (code != KITE_EVT_CODE_SUCCESS) {
		why(t, "SET_ADDRESS(%u): code %d", addr, code);
		return -1;
	}
	/* The device has its address now: stop EP0's context and give it the address. */
	code = st_command(t, KITE_CMD_OP_STOP_EP, 0, 0);
	if (code != KITE_EVT_CODE_SUCCESS) {
		char w[sizeof(t->why)];

		snprintf(w, sizeof(w), "%s", t->why);
		why(t, "STOP_EP: code %d (%s)", code, w);
		return -1;
	}
	uint32_t cfg0 = st_rd(t, KITE_REG_CTX_CFG0(0));

	st_wr(t, KITE_REG_CTX_CFG0(0), (cfg0 & ~KITE_CTX_CFG0_DEV_ADDR_MASK) | addr);
	st_tick(t, 2 * ST_CYCLES_PER_MS);   /* SET_ADDRESS recovery */
	code = ctl_simple(t, ep0, 0x80, 6, 0x0100, 0, buf, 18, &got);
	if (code != KITE_EVT_CODE_SUCCESS || got != 18) {
		why(t, "GET_DESCRIPTOR(device, 18) at address %u: code %d, %u bytes", addr, code, got);
		return -1;
	}
	code = ctl_simple(t, ep0, 0x80, 6, 0x0200, 0, buf, 9, &got);
	unsigned int total = b[2] | b[3] << 8;

	if (code != KITE_EVT_CODE_SUCCESS || got != 9 || b[1] != 2 || total > 512) {
		why(t, "GET_DESCRIPTOR(config, 9): code %d, %u bytes, total %u", code, got, total);
		return -1;
	}
	code = ctl_simple(t, ep0, 0x80, 6, 0x0200, 0, buf, (uint16_t)total, &got);
	if (code != KITE_EVT_CODE_SUCCESS || got != total) {
		why(t, "GET_DESCRIPTOR(config, %u): code %d, %u bytes", total, code, got);
		return -1;
	}
	code = ctl_simple(t, ep0, 0x00, 9, (uint16_t)config, 0, 0, 0, NULL);
	if (code != KITE_EVT_CODE_SUCCESS) {
		why(t, "SET_CONFIGURATION(%u): code %d", config, code);
		return -1;
	}
	return 0;
}

uint64_t st_queue_td(struct st *t, struct st_ring *r, const uint64_t *addr, const uint32_t *len,
		     unsigned int nseg, uint32_t extra_dw3)
{
	uint64_t last = 0;

	for (unsigned int i = 0; i < nseg; i++) {
		bool end = i == nseg - 1;

		last = st_ring_put(t, r, addr[i], len[i], trb_type(KITE_TRB_TYPE_NORMAL) |
				   (end ? KITE_TRB_DW3_IOC_MASK | extra_dw3 : KITE_TRB_DW3_CH_MASK));
	}
	return last;
}
