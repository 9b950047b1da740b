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

unsigned int st_usb_per_bus;
unsigned long long st_cycles_per_ms = ST_BUS_HZ / 1000;

/* st_fail and st_pass name the test they report on: start it unless it is the current one */
static char st_cur[200];

static void st_enter(const char *name)
{
	if (strcmp(st_cur, name)) {
		snprintf(st_cur, sizeof(st_cur), "%s", name);
		kt_begin("%s", name);
	}
}

void st_pass(const char *name)
{
	st_enter(name);
	kt_end();
	st_cur[0] = 0;
}

void st_fail(const char *name, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	st_enter(name);
	kt_fail("%s", msg);
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

bool st_contained(struct st *t, const char *name)
{
	if (!t->mem.violations)
		return true;
	st_enter(name);
	return kf_mem_contained(&t->mem);
}

uint64_t st_alloc(struct st *t, size_t size, size_t align, bool high, bool device_writes)
{
	/* a controller with 32-bit addresses gets everything below 4 GiB */
	return kf_mem_alloc(&t->mem, high && t->addr_width >= 64, size, align, device_writes);
}

void *st_ptr(struct st *t, uint64_t addr)
{
	return kf_mem_ptr(&t->mem, addr, 1);
}

void st_fault_range(struct st *t, uint64_t lo, uint64_t hi, bool on_read, bool on_write)
{
	kf_mem_fault(&t->mem, lo, hi, on_read, on_write);
}

void st_fault_clear(struct st *t)
{
	kf_mem_fault_clear(&t->mem);
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
	struct kite_mem_ops ops;

	memset(t, 0, sizeof(*t));
	t->attach = attach;
	/* usb_clk is 48 MHz: a slow bus clock runs at 48 MHz / usb_per_bus */
	st_cycles_per_ms = st_usb_per_bus > 1 ? 48000 / st_usb_per_bus : ST_BUS_HZ / 1000;
	t->mem.contain = true;
	cfg.trace_path = getenv("SYSTEST_WAVES");
	if (!kf_mem_add(&t->mem, ST_MEM_LO_BASE, ST_MEM_SIZE) ||
	    !kf_mem_add(&t->mem, ST_MEM_HI_BASE, ST_MEM_SIZE))
		return -ENOMEM;
	ops = kf_mem_ops(&t->mem);
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
	kf_mem_free(&t->mem);
}

/* ------------------------------------------------------------------ events */

int st_start(struct st *t, unsigned int evt_entries)
{
	kf_evt_start(&t->evt, t->m, &t->mem, st_alloc(t, evt_entries * KITE_EVT_BYTES, 64, false, true),
		     evt_entries);
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

int st_next_event(struct st *t, struct kf_evt *e, uint64_t max_cycles)
{
	uint64_t waited = 0;

	while (!kf_evt_peek(&t->evt, e)) {
		if (waited >= max_cycles) {
			why(t, "no event within %llu bus cycles", (unsigned long long)max_cycles);
			return -1;
		}
		st_tick(t, 256);
		waited += 256;
	}
	st_wr(t, KITE_REG_INT_STATUS, KITE_INT_STATUS_EVENT_MASK | KITE_INT_STATUS_PORT_CHANGE_MASK);
	kf_evt_pop(&t->evt);
	return 0;
}

int st_wait_xfer(struct st *t, unsigned int ctx, struct kf_evt *e, uint64_t max_cycles)
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
	if (kf_wait_portsc(t->m, port, mask, want, max_cycles))
		return 0;
	why(t, "PORTSC[%u] = 0x%08x, waited for (x & 0x%x) == 0x%x", port,
	    st_rd(t, KITE_REG_PORTSC(port)), mask, want);
	return -1;
}

/* Drop pending PORT events (the test does not look at them here). */
static void drain_port_events(struct st *t)
{
	struct kf_evt e;

	while (kf_evt_peek(&t->evt, &e) && e.type == KITE_EVT_TYPE_PORT)
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

int st_ring_init(struct st *t, struct kf_ring *r, unsigned int n, bool high)
{
	kf_ring_init(&t->mem, r, st_alloc(t, (size_t)n * KITE_TRB_BYTES, 64, high, false), n);
	return 0;
}

uint64_t st_ring_put(struct st *t, struct kf_ring *r, uint64_t ptr, uint32_t len, uint32_t dw3)
{
	return kf_ring_put(&t->mem, r, ptr, len, dw3);
}

int st_ctx_setup(struct st *t, unsigned int ctx, unsigned int dev_addr, unsigned int ep,
		 bool dir_in, unsigned int ep_type, bool ls, unsigned int mps, unsigned int port,
		 unsigned int interval, struct kf_ring *r)
{
	uint32_t cfg0 = kf_ctx_cfg0(dev_addr, ep, dir_in, ep_type, ls, mps, port);

	if (ctx >= t->num_ctx) {
		why(t, "context %u does not exist (NUM_CTX %u)", ctx, t->num_ctx);
		return -1;
	}
	if (kf_ctx_setup(t->m, ctx, cfg0, interval << KITE_CTX_CFG1_INTERVAL_SHIFT, kf_ring_deq(r))) {
		why(t, "CTX_CFG0(%u) reads 0x%08x after writing 0x%08x", ctx,
		    st_rd(t, KITE_REG_CTX_CFG0(ctx)), cfg0);
		return -1;
	}
	return 0;
}

void st_doorbell(struct st *t, unsigned int ctx)
{
	kf_doorbell(t->m, ctx);
}

unsigned int st_ctx_state(struct st *t, unsigned int ctx)
{
	return kf_ctx_state(t->m, ctx);
}

int st_command(struct st *t, unsigned int op, unsigned int ctx, uint64_t arg)
{
	struct kf_evt e;

	kf_cmd_issue(t->m, op, ctx, arg);
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

int st_control(struct st *t, unsigned int ctx, struct kf_ring *r, const uint8_t setup[8],
	       uint64_t buf, unsigned int len, unsigned int *actual)
{
	bool in = setup[0] & 0x80;
	uint64_t imm = 0, status_trb;
	struct kf_evt e;

	memcpy(&imm, setup, 8);
	*actual = 0;
	st_ring_put(t, r, imm, 8, kf_trb_type(KITE_TRB_TYPE_SETUP) | KITE_TRB_DW3_IDT_MASK |
		    KITE_TRB_DW3_CH_MASK);
	if (len)
		st_ring_put(t, r, buf, len, kf_trb_type(KITE_TRB_TYPE_DATA) | KITE_TRB_DW3_CH_MASK |
			    (in ? KITE_TRB_DW3_DIR_IN_MASK : 0));
	status_trb = st_ring_put(t, r, 0, 0, kf_trb_type(KITE_TRB_TYPE_STATUS) | KITE_TRB_DW3_IOC_MASK |
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

static int ctl_simple(struct st *t, struct kf_ring *ep0, uint8_t rt, uint8_t req, uint16_t val,
		      uint16_t idx, uint64_t buf, uint16_t len, unsigned int *actual)
{
	uint8_t s[8] = { rt, req, (uint8_t)val, (uint8_t)(val >> 8), (uint8_t)idx, (uint8_t)(idx >> 8),
			 (uint8_t)len, (uint8_t)(len >> 8) };
	unsigned int dummy;

	return st_control(t, 0, ep0, s, buf, len, actual ? actual : &dummy);
}

int st_enumerate(struct st *t, unsigned int port, struct kf_ring *ep0, unsigned int addr,
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

uint64_t st_queue_td(struct st *t, struct kf_ring *r, const uint64_t *addr, const uint32_t *len,
		     unsigned int nseg, uint32_t extra_dw3)
{
	uint64_t last = 0;

	for (unsigned int i = 0; i < nseg; i++) {
		bool end = i == nseg - 1;

		last = st_ring_put(t, r, addr[i], len[i], kf_trb_type(KITE_TRB_TYPE_NORMAL) |
				   (end ? KITE_TRB_DW3_IOC_MASK | extra_dw3 : KITE_TRB_DW3_CH_MASK));
	}
	return last;
}
