// SPDX-License-Identifier: MIT
/*
 * Testbench of the host engine (kite_xfer and everything around it in kite_core): rings, TRBs,
 * events, interrupter, commands, doorbells, DMA, through the model library built with the
 * scripted test stub of kite_usb_engine (rtl/tb/usb_stub/kite_usb_engine.sv). A C "device" on
 * each port's UTMI backend answers every transaction as the test scripts it: ACK with data,
 * NAK, STALL, no answer (timeout), short IN packets.
 *
 * The memory, rings, contexts and events are the shared fixture (sim/testlib/kite_fixture.h):
 * the memory only accepts DMA writes into the event ring and the IN buffers each test declares;
 * any other write fails xfer-dma-containment-stats (containment). The tests run in order on one
 * controller; the name filter (-t PATTERN, KT_FILTER) skips tests, the set-up always runs.
 */
#include <stdio.h>
#include <string.h>

#include "kite_fixture.h"
#include "kite_model_test.h"
#include "kite_test.h"

#define MEM_BASE 0x80000000ull
#define MEM_SIZE (1u << 20)
#define EVT_RING (MEM_BASE + 0x1000)
#define EVT_N 64

/* ---------------------------------------------------------------- memory with containment */
static struct kf_mem mem;

static void allow_write(uint64_t a, uint64_t len) { kf_mem_allow(&mem, a, len); }
static uint8_t *P(uint64_t a) { return kf_mem_ptr(&mem, a, 1); }

/* ---------------------------------------------------------------- scripted device */
#define MAXLOG 512
struct txlog { int tok, d1, len; };
struct ep {
	int nak;			/* NAKs before the next ACK */
	int codes[32], ncodes;		/* forced results (3 = no answer), consumed first */
	uint8_t in[8192];
	int in_len, in_pos;
	int pkt[64], npkt, pkt_i;	/* IN packet lengths to send, if set */
	uint8_t out[8192];
	int out_len;
	struct txlog log[MAXLOG];
	int nlog;
};
struct dev {
	int connected;
	struct ep ep[16][2];		/* [ep][1 = IN] */
	uint8_t rx[1100];
	int rx_len, in_tx;
	uint8_t tx[1100];
	int tx_len, tx_pos, delay, answering;
};
static struct dev devs[2];

static void dev_utmi(void *ctx, const struct kite_utmi_host *h, struct kite_utmi_phy *p)
{
	struct dev *d = ctx;

	p->txready = 1;
	p->linestate = d->connected ? 1 : 0;
	p->rxvalid = 0;
	p->rxerror = 0;
	p->data_in = 0;
	p->rxactive = 0;
	if (h->txvalid) {
		if (d->rx_len < (int)sizeof(d->rx))
			d->rx[d->rx_len++] = h->data_out;
		d->in_tx = 1;
		return;
	}
	if (d->in_tx) {
		/* a request ended: decide the answer */
		int tok = d->rx[0] & 3, d1 = (d->rx[0] >> 5) & 1;
		int epn = d->rx[2] & 15;
		struct ep *e = &d->ep[epn][tok == 2];
		int code = 0, n = 0;

		d->in_tx = 0;
		if (d->rx_len < 5 || e->out_len + d->rx_len > (int)sizeof(e->out)) {
			fprintf(stderr, "device: bad request (%d bytes) %02x %02x %02x %02x %02x out_len %d\n", d->rx_len, d->rx[0], d->rx[1], d->rx[2], d->rx[3], d->rx[4], e->out_len);
			d->rx_len = 0;
			return;
		}
		if (e->ncodes) {
			code = e->codes[0];
			memmove(e->codes, e->codes + 1, sizeof(int) * (size_t)--e->ncodes);
		} else if (e->nak) {
			e->nak--;
			code = 1;
		}
		if (e->nlog < MAXLOG) {
			e->log[e->nlog].tok = tok;
			e->log[e->nlog].d1 = d1;
			e->log[e->nlog].len = tok == 2 ? -1 : d->rx_len - 5;
			e->nlog++;
		}
		d->tx_len = 0;
		if (code != 3) {
			d->tx[0] = (uint8_t)code;
			d->tx[1] = (uint8_t)d1;
			d->tx_len = 2;
			if (code == 0 && tok == 2) {
				int rl = d->rx[3] | ((d->rx[4] & 7) << 8);

				n = e->in_len - e->in_pos;
				if (n > rl)
					n = rl;
				if (e->pkt_i < e->npkt)
					n = e->pkt[e->pkt_i++];
				if (n > e->in_len - e->in_pos)
					n = e->in_len - e->in_pos;
				memcpy(d->tx + 2, e->in + e->in_pos, (size_t)n);
				e->in_pos += n;
				d->tx_len += n;
				e->log[e->nlog - 1].len = n;
			} else if (code == 0) {
				memcpy(e->out + e->out_len, d->rx + 5, (size_t)(d->rx_len - 5));
				e->out_len += d->rx_len - 5;
			}
		}
		d->rx_len = 0;
		d->tx_pos = 0;
		d->delay = 3;
		d->answering = d->tx_len > 0;
		return;
	}
	if (d->answering) {
		if (d->delay) {
			d->delay--;
			return;
		}
		p->rxactive = 1;
		if (d->tx_pos < d->tx_len) {
			p->rxvalid = 1;
			p->data_in = d->tx[d->tx_pos++];
		} else {
			p->rxactive = 0;
			d->answering = 0;
		}
	}
}

/* ---------------------------------------------------------------- controller helpers */
static struct kite_model *m;
static struct kf_evt_ring er;

#define evt kf_evt

/* the next event, if there is one: consumed */
static int evt_next(struct evt *e)
{
	if (!kf_evt_peek(&er, e))
		return 0;
	kf_evt_pop(&er);
	return 1;
}

/* wait for the next event (up to `cycles` bus cycles) */
static int evt_wait(struct evt *e, unsigned int cycles)
{
	for (unsigned int i = 0; i < cycles; i += 64) {
		if (evt_next(e))
			return 1;
		kite_model_tick(m, 64);
	}
	return evt_next(e);
}

/* skip PORT events */
static int evt_wait_xfer(struct evt *e, unsigned int cycles)
{
	while (evt_wait(e, cycles))
		if (e->type != KITE_EVT_TYPE_PORT)
			return 1;
	return 0;
}

#define ring kf_ring

static void ring_init(struct ring *r, uint64_t base, unsigned int n)
{
	kf_ring_init(&mem, r, base, n);
}

/* returns the TRB's address */
static uint64_t ring_push(struct ring *r, uint64_t ptr, uint32_t len, uint32_t type, uint32_t flags)
{
	return kf_ring_put(&mem, r, ptr, len, kf_trb_type(type) | flags);
}

static int command(unsigned int op, unsigned int c, uint64_t arg, struct evt *ce, struct evt *te);

/* program context c at the start of ring r (which may hold TRBs already) */
static void ctx_setup(unsigned int c, uint32_t cfg0, struct ring *r)
{
	struct evt e;

	/* a RUNNING context ignores writes: stop it first */
	if (kf_ctx_state(m, c) == KITE_CTX_STATE_STATE_RUNNING)
		KT_CHECK(command(KITE_CMD_OP_STOP_EP, c, 0, &e, NULL), "STOP_EP before reuse");
	KT_CHECK(!kf_ctx_setup(m, c, cfg0, 1, r->base | 1), "CTX_CFG0(%u) does not read back", c);
}

static uint32_t cfg(unsigned int addr, unsigned int ep, int in, unsigned int type, unsigned int mps,
		    unsigned int port)
{
	return kf_ctx_cfg0(addr, ep, in, type, false, mps, port);
}

static void doorbell(unsigned int c) { kf_doorbell(m, c); }

static uint32_t ctx_state(unsigned int c)
{
	return kf_ctx_state(m, c);
}

static int command(unsigned int op, unsigned int c, uint64_t arg, struct evt *ce, struct evt *te)
{
	struct evt e;

	kf_cmd_issue(m, op, c, arg);
	if (te)
		te->type = 0;
	while (evt_wait_xfer(&e, 200000)) {
		if (e.type == KITE_EVT_TYPE_COMMAND) {
			/* the event can be visible before the write response reached the controller */
			for (int i = 0; i < 100; i++) {
				if (!(kf_rd(m, KITE_REG_CMD_STATUS) & KITE_CMD_STATUS_BUSY_MASK)) {
					*ce = e;
					return 1;
				}
				kite_model_tick(m, 50);
			}
			return 0;
		}
		if (te)
			*te = e;
	}
	return 0;
}

static void dev_reset(struct dev *d)
{
	int c = d->connected;

	memset(d, 0, sizeof(*d));
	d->connected = c;
}

static void fill(uint64_t a, unsigned int len, uint8_t seed)
{
	for (unsigned int i = 0; i < len; i++)
		P(a)[i] = (uint8_t)(seed + i * 13);
}

static void hc_start(void)
{
	struct evt e;

	kf_evt_start(&er, m, &mem, EVT_RING, EVT_N);
	kf_wr(m, KITE_REG_INT_ENABLE, KITE_INT_ENABLE_EVENT_MASK);
	devs[0].connected = 1;
	kite_model_tick(m, 200);
	for (int p = 0; p < 2; p++) {
		kf_wr(m, KITE_REG_PORTSC(p), KITE_PORTSC_POWER_MASK | KITE_PORTSC_RESET_MASK);
	}
	kite_model_tick(m, 2000);
	kf_wr(m, KITE_REG_USBCMD, KITE_USBCMD_RUN_MASK);
	/* consume the port events (connect, reset done) */
	while (evt_wait(&e, 2000))
		;
}

/* ---------------------------------------------------------------- tests */
static void t_ports(void *arg)
{
	(void)arg;
	uint32_t v;
	struct evt e;
	int got = 0;

	v = kf_rd(m, KITE_REG_PORTSC(0));
	KT_CHECK(v & KITE_PORTSC_CONNECTED_MASK, "port 0 not connected: 0x%08x", v);
	KT_CHECK(v & KITE_PORTSC_ENABLED_MASK, "port 0 not enabled after reset: 0x%08x", v);
	KT_CHECK(v & KITE_PORTSC_CSC_MASK, "CSC not set: 0x%08x", v);
	KT_CHECK(v & KITE_PORTSC_PRC_MASK, "PRC not set: 0x%08x", v);
	kf_wr(m, KITE_REG_PORTSC(0), v);	/* W1C the change bits, keep POWER */
	v = kf_rd(m, KITE_REG_PORTSC(0));
	KT_CHECK(!(v & (KITE_PORTSC_CSC_MASK | KITE_PORTSC_PRC_MASK)) &&
		 (v & KITE_PORTSC_POWER_MASK), "W1C of change bits: 0x%08x", v);
	v = kf_rd(m, KITE_REG_PORTSC(1));
	KT_CHECK(!(v & KITE_PORTSC_CONNECTED_MASK), "port 1 connected: 0x%08x", v);
	/* connect port 1 later: CSC, PORT event with the port number */
	devs[1].connected = 1;
	while (evt_wait(&e, 3000))
		if (e.type == KITE_EVT_TYPE_PORT && e.port_op == 1)
			got = 1;
	KT_CHECK(got, "no PORT event for port 1");
	KT_CHECK(kf_rd(m, KITE_REG_INT_STATUS) & KITE_INT_STATUS_PORT_CHANGE_MASK,
		 "INT_STATUS.PORT_CHANGE not set");
	kf_wr(m, KITE_REG_PORTSC(1), KITE_PORTSC_POWER_MASK | KITE_PORTSC_RESET_MASK);
	KT_CHECK(kf_rd(m, KITE_REG_PORTSC(1)) & KITE_PORTSC_RESET_MASK, "RESET does not read 1");
	kite_model_tick(m, 2000);
	v = kf_rd(m, KITE_REG_PORTSC(1));
	KT_CHECK((v & KITE_PORTSC_ENABLED_MASK) && !(v & KITE_PORTSC_RESET_MASK),
		 "port 1 after reset: 0x%08x", v);
	while (evt_wait(&e, 1000))
		;
	kf_wr(m, KITE_REG_PORTSC(1), KITE_PORTSC_POWER_MASK | KITE_PORTSC_CSC_MASK |
	      KITE_PORTSC_PRC_MASK | KITE_PORTSC_PEC_MASK);
	kf_wr(m, KITE_REG_INT_STATUS, KITE_INT_STATUS_PORT_CHANGE_MASK);
}

/* bulk OUT TD over TRBs of odd sizes at odd addresses; packets across TRB boundaries */
static void t_bulk_out(unsigned int latency, unsigned int stall)
{
	static const unsigned int lens[] = { 1, 1, 63, 100, 3, 1, 59 };
	uint64_t ring_a = MEM_BASE + 0x10000, buf = MEM_BASE + 0x20001;
	uint8_t expect[512];
	unsigned int tot = 0, i;
	struct ring r;
	struct evt e;
	uint64_t last = 0;
	struct ep *ep = &devs[0].ep[2][0];

	kite_model_test_set_latency(m, latency);
	kite_model_test_set_stall(m, stall, 7);
	dev_reset(&devs[0]);
	ring_init(&r, ring_a, 16);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		uint64_t a = buf + 37u * i + tot;

		fill(a, lens[i], (uint8_t)(i * 31));
		memcpy(expect + tot, P(a), lens[i]);
		last = ring_push(&r, a, lens[i], KITE_TRB_TYPE_NORMAL,
				 i + 1 < sizeof(lens) / sizeof(lens[0]) ? KITE_TRB_DW3_CH_MASK :
				 KITE_TRB_DW3_IOC_MASK);
		tot += lens[i];
	}
	ctx_setup(1, cfg(1, 2, 0, KITE_CTX_CFG0_TYPE_BULK, 64, 0), &r);
	doorbell(1);
	KT_CHECK(evt_wait_xfer(&e, 400000), "no event");
	KT_CHECK(e.type == KITE_EVT_TYPE_TRANSFER && e.code == KITE_EVT_CODE_SUCCESS &&
		 e.ptr == last && e.ctx == 1 && e.residual == 0,
		 "event type %u code %u ptr 0x%llx ctx %u res %u", e.type, e.code,
		 (unsigned long long)e.ptr, e.ctx, e.residual);
	KT_CHECK(ep->out_len == (int)tot && !memcmp(ep->out, expect, tot), "OUT data (%d of %u)",
		 ep->out_len, tot);
	KT_CHECK(ep->nlog == 4 && ep->log[0].len == 64 && ep->log[1].len == 64 &&
		 ep->log[2].len == 64 && ep->log[3].len == (int)tot - 192,
		 "packets: %d, lens %d %d %d %d", ep->nlog, ep->log[0].len, ep->log[1].len,
		 ep->log[2].len, ep->log[3].len);
	for (i = 0; i < (unsigned int)ep->nlog; i++)
		KT_CHECK(ep->log[i].d1 == (int)(i & 1) && ep->log[i].tok == 1, "toggle/token %u", i);
	kite_model_tick(m, 3000);	/* the event is visible before the context is written back */
	KT_CHECK((kf_rd(m, KITE_REG_CTX_DEQ_LO(1)) & ~15u) == (uint32_t)(last + 16),
		 "DEQ 0x%08x", kf_rd(m, KITE_REG_CTX_DEQ_LO(1)));
	KT_CHECK(ctx_state(1) == KITE_CTX_STATE_STATE_RUNNING, "state %u", ctx_state(1));
	KT_CHECK(!(kf_rd(m, KITE_REG_CTX_STATE(1)) & KITE_CTX_STATE_TOGGLE_MASK), "toggle after 4");
	kite_model_test_set_latency(m, 2);
	kite_model_test_set_stall(m, 0, 1);
}

/* bulk IN scatter: data lands at the right bytes, nothing else is written */
static void t_bulk_in(void *arg)
{
	(void)arg;
	static const unsigned int lens[] = { 1, 7, 64, 30, 90 };
	uint64_t ring_a = MEM_BASE + 0x11000, buf = MEM_BASE + 0x30003;
	unsigned int tot = 0, i, off[8];
	struct ring r;
	struct evt e;
	struct ep *ep = &devs[0].ep[3][1];
	uint64_t last = 0;

	dev_reset(&devs[0]);
	for (i = 0; i < 192; i++)
		ep->in[i] = (uint8_t)(i * 5 + 1);
	ep->in_len = 192;
	ring_init(&r, ring_a, 16);
	memset(P(buf), 0xee, 1024);
	for (i = 0; i < 5; i++) {
		off[i] = 17u * i + tot;
		allow_write(buf + off[i], lens[i]);
		last = ring_push(&r, buf + off[i], lens[i], KITE_TRB_TYPE_NORMAL,
				 i < 4 ? KITE_TRB_DW3_CH_MASK : KITE_TRB_DW3_IOC_MASK);
		tot += lens[i];
	}
	ctx_setup(2, cfg(1, 3, 1, KITE_CTX_CFG0_TYPE_BULK, 64, 0), &r);
	doorbell(2);
	KT_CHECK(evt_wait_xfer(&e, 400000), "no event");
	KT_CHECK(e.code == KITE_EVT_CODE_SUCCESS && e.ptr == last && e.ctx == 2,
		 "event code %u ptr 0x%llx", e.code, (unsigned long long)e.ptr);
	for (i = 0, tot = 0; i < 5; i++) {
		KT_CHECK(!memcmp(P(buf + off[i]), ep->in + tot, lens[i]), "TRB %u data", i);
		KT_CHECK(P(buf + off[i])[lens[i]] == 0xee || i == 4 ? 1 : off[i] + lens[i] == off[i + 1],
			 "byte after TRB %u written", i);
		tot += lens[i];
	}
	KT_CHECK(ep->nlog == 3, "IN packets %d", ep->nlog);
	/* the context is written back at the end of the turn, which comes after the TD's event */
	kite_model_tick(m, 2000);
	KT_CHECK(kf_rd(m, KITE_REG_CTX_TD_BYTES(2)) == 0, "TD_BYTES after TD");
}

/* short IN packet ends the TD (SHORT_PACKET on the TRB where it happened), rest skipped */
static void t_short(void *arg)
{
	(void)arg;
	uint64_t ring_a = MEM_BASE + 0x12000, buf = MEM_BASE + 0x40000;
	struct ring r;
	struct evt e;
	struct ep *ep = &devs[0].ep[4][1];
	uint64_t t1, t3;

	dev_reset(&devs[0]);
	for (int i = 0; i < 200; i++)
		ep->in[i] = (uint8_t)(i ^ 0x5a);
	ep->in_len = 200;
	ep->pkt[0] = 64;
	ep->pkt[1] = 50;
	ep->pkt[2] = 10;
	ep->npkt = 3;
	ring_init(&r, ring_a, 16);
	allow_write(buf, 0x1000);
	ring_push(&r, buf, 100, KITE_TRB_TYPE_NORMAL, KITE_TRB_DW3_CH_MASK | KITE_TRB_DW3_ISP_MASK);
	t1 = ring_push(&r, buf + 0x100, 100, KITE_TRB_TYPE_NORMAL,
		       KITE_TRB_DW3_CH_MASK | KITE_TRB_DW3_ISP_MASK);
	ring_push(&r, buf + 0x200, 100, KITE_TRB_TYPE_NORMAL, KITE_TRB_DW3_IOC_MASK);
	t3 = ring_push(&r, buf + 0x300, 10, KITE_TRB_TYPE_NORMAL, KITE_TRB_DW3_IOC_MASK);
	ctx_setup(3, cfg(1, 4, 1, KITE_CTX_CFG0_TYPE_BULK, 64, 0), &r);
	doorbell(3);
	KT_CHECK(evt_wait_xfer(&e, 400000), "no short event");
	KT_CHECK(e.code == KITE_EVT_CODE_SHORT_PACKET && e.ptr == t1 && e.residual == 86,
		 "short event code %u ptr 0x%llx res %u", e.code, (unsigned long long)e.ptr,
		 e.residual);
	KT_CHECK(!memcmp(P(buf), ep->in, 100) && !memcmp(P(buf + 0x100), ep->in + 100, 14),
		 "short data");
	KT_CHECK(evt_wait_xfer(&e, 400000), "no event for the next TD");
	KT_CHECK(e.code == KITE_EVT_CODE_SUCCESS && e.ptr == t3, "next TD code %u ptr 0x%llx",
		 e.code, (unsigned long long)e.ptr);
	KT_CHECK(!memcmp(P(buf + 0x300), ep->in + 114, 10), "next TD data");
	KT_CHECK(ep->nlog == 3, "IN transactions %d", ep->nlog);
}

/* ZLP flag and zero-length TD */
static void t_zlp(void *arg)
{
	(void)arg;
	uint64_t ring_a = MEM_BASE + 0x13000, buf = MEM_BASE + 0x41000;
	struct ring r;
	struct evt e;
	struct ep *ep = &devs[0].ep[5][0];
	uint64_t t0, t1;

	dev_reset(&devs[0]);
	ring_init(&r, ring_a, 16);
	fill(buf, 128, 3);
	t0 = ring_push(&r, buf, 128, KITE_TRB_TYPE_NORMAL, KITE_TRB_DW3_ZLP_MASK | KITE_TRB_DW3_IOC_MASK);
	t1 = ring_push(&r, 0, 0, KITE_TRB_TYPE_NORMAL, KITE_TRB_DW3_IOC_MASK);
	ctx_setup(4, cfg(1, 5, 0, KITE_CTX_CFG0_TYPE_BULK, 64, 0), &r);
	doorbell(4);
	KT_CHECK(evt_wait_xfer(&e, 400000) && e.code == KITE_EVT_CODE_SUCCESS && e.ptr == t0,
		 "ZLP TD event code %u ptr 0x%llx", e.code, (unsigned long long)e.ptr);
	KT_CHECK(evt_wait_xfer(&e, 400000) && e.code == KITE_EVT_CODE_SUCCESS && e.ptr == t1,
		 "zero-length TD event code %u", e.code);
	KT_CHECK(ep->nlog == 4 && ep->log[0].len == 64 && ep->log[1].len == 64 &&
		 ep->log[2].len == 0 && ep->log[3].len == 0, "packets %d: %d %d %d %d", ep->nlog,
		 ep->log[0].len, ep->log[1].len, ep->log[2].len, ep->log[3].len);
	KT_CHECK(ep->nlog == 4 && ep->log[2].d1 == 0 && ep->log[3].d1 == 1, "ZLP toggles");
	KT_CHECK(!memcmp(ep->out, P(buf), 128), "ZLP TD data");
}

/* control: SETUP (IDT) + DATA IN over 2 TRBs + STATUS OUT; then a short data stage */
static void t_control(void *arg)
{
	(void)arg;
	uint64_t ring_a = MEM_BASE + 0x14000, buf = MEM_BASE + 0x42000;
	struct ring r;
	struct evt e;
	struct ep *ei = &devs[0].ep[0][1], *eo = &devs[0].ep[0][0];
	uint64_t st;
	int ok;

	dev_reset(&devs[0]);
	for (int i = 0; i < 18; i++)
		ei->in[i] = (uint8_t)(0x80 + i);
	ei->in_len = 18;
	ring_init(&r, ring_a, 16);
	allow_write(buf, 0x100);
	{
		uint64_t a = ring_push(&r, 0x0000001200000680ull, 8, KITE_TRB_TYPE_SETUP,
				       KITE_TRB_DW3_IDT_MASK | KITE_TRB_DW3_CH_MASK);
		(void)a;
	}
	ring_push(&r, buf + 1, 10, KITE_TRB_TYPE_DATA, KITE_TRB_DW3_DIR_IN_MASK | KITE_TRB_DW3_CH_MASK);
	ring_push(&r, buf + 0x40, 8, KITE_TRB_TYPE_NORMAL, KITE_TRB_DW3_CH_MASK);
	st = ring_push(&r, 0, 0, KITE_TRB_TYPE_STATUS, KITE_TRB_DW3_IOC_MASK);
	ctx_setup(5, cfg(1, 0, 0, KITE_CTX_CFG0_TYPE_CONTROL, 8, 0), &r);
	doorbell(5);
	KT_CHECK(evt_wait_xfer(&e, 400000) && e.code == KITE_EVT_CODE_SUCCESS && e.ptr == st,
		 "control event code %u ptr 0x%llx", e.code, (unsigned long long)e.ptr);
	/* tokens: SETUP d0, IN d1 (8), IN d0 (8), IN d1 (2), OUT status d1 (0) */
	ok = eo->nlog == 2 && eo->log[0].tok == 0 && eo->log[0].d1 == 0 && eo->log[0].len == 8 &&
	     eo->log[1].tok == 1 && eo->log[1].d1 == 1 && eo->log[1].len == 0;
	KT_CHECK(ok, "SETUP/STATUS transactions (%d)", eo->nlog);
	KT_CHECK(!memcmp(eo->out, "\x80\x06\x00\x00\x12\x00\x00\x00", 8), "setup bytes");
	ok = ei->nlog == 3 && ei->log[0].d1 == 1 && ei->log[1].d1 == 0 && ei->log[2].d1 == 1 &&
	     ei->log[2].len == 2;
	KT_CHECK(ok, "IN data stage (%d)", ei->nlog);
	KT_CHECK(!memcmp(P(buf + 1), ei->in, 10) && !memcmp(P(buf + 0x40), ei->in + 10, 8),
		 "control IN data");

	/* short data stage: 5 of 18 bytes; status still runs */
	dev_reset(&devs[0]);
	for (int i = 0; i < 5; i++)
		ei->in[i] = (uint8_t)i;
	ei->in_len = 5;
	ring_push(&r, 0x0000001200000680ull, 8, KITE_TRB_TYPE_SETUP,
		  KITE_TRB_DW3_IDT_MASK | KITE_TRB_DW3_CH_MASK);
	{
		uint64_t d = ring_push(&r, buf + 0x80, 18, KITE_TRB_TYPE_DATA,
				       KITE_TRB_DW3_DIR_IN_MASK | KITE_TRB_DW3_CH_MASK |
				       KITE_TRB_DW3_ISP_MASK);

		st = ring_push(&r, 0, 0, KITE_TRB_TYPE_STATUS, KITE_TRB_DW3_IOC_MASK);
		doorbell(5);
		KT_CHECK(evt_wait_xfer(&e, 400000) && e.code == KITE_EVT_CODE_SHORT_PACKET &&
			 e.ptr == d && e.residual == 13, "short data stage: code %u res %u", e.code,
			 e.residual);
	}
	KT_CHECK(evt_wait_xfer(&e, 400000) && e.code == KITE_EVT_CODE_SUCCESS && e.ptr == st,
		 "status after short: code %u", e.code);
	KT_CHECK(eo->nlog == 2 && eo->log[1].tok == 1 && eo->log[1].d1 == 1, "status OUT after short");
}

/* a NAKing endpoint does not block another context */
static void t_nak_rr(void *arg)
{
	(void)arg;
	uint64_t ra = MEM_BASE + 0x15000, rb = MEM_BASE + 0x16000, buf = MEM_BASE + 0x43000;
	struct ring r1, r2;
	struct evt e;
	struct ep *ea = &devs[0].ep[6][1];
	uint64_t ta, tbb;
	int first_b = 0;

	dev_reset(&devs[0]);
	ea->nak = 400;
	ea->in_len = 8;
	allow_write(buf, 64);
	ring_init(&r1, ra, 8);
	ring_init(&r2, rb, 8);
	ta = ring_push(&r1, buf, 8, KITE_TRB_TYPE_NORMAL, KITE_TRB_DW3_IOC_MASK);
	fill(buf + 0x100, 32, 1);
	tbb = ring_push(&r2, buf + 0x100, 32, KITE_TRB_TYPE_NORMAL, KITE_TRB_DW3_IOC_MASK);
	ctx_setup(6, cfg(1, 6, 1, KITE_CTX_CFG0_TYPE_BULK, 64, 0), &r1);
	ctx_setup(7, cfg(1, 7, 0, KITE_CTX_CFG0_TYPE_BULK, 64, 0), &r2);
	doorbell(6);
	kite_model_tick(m, 3000);
	doorbell(7);
	KT_CHECK(evt_wait_xfer(&e, 400000), "no event");
	first_b = e.ptr == tbb;
	KT_CHECK(first_b && ea->nak > 0, "context 7 was blocked (first event 0x%llx, naks left %d)",
		 (unsigned long long)e.ptr, ea->nak);
	KT_CHECK(evt_wait_xfer(&e, 2000000) && e.ptr == ta && e.code == KITE_EVT_CODE_SUCCESS,
		 "NAKing context never completed");
	KT_CHECK(ea->nlog == 401, "IN attempts %d", ea->nlog);
}

/* STALL halts; RESET_EP / SET_DEQ commands; doorbell restarts */
static void t_stall_cmds(void *arg)
{
	(void)arg;
	uint64_t ra = MEM_BASE + 0x17000, buf = MEM_BASE + 0x44000;
	struct ring r;
	struct evt e, te;
	struct ep *ep = &devs[0].ep[8][0];
	uint64_t t0, t1;
	uint32_t v;

	dev_reset(&devs[0]);
	ep->codes[0] = 2;
	ep->ncodes = 1;
	ring_init(&r, ra, 8);
	fill(buf, 16, 9);
	t0 = ring_push(&r, buf, 16, KITE_TRB_TYPE_NORMAL, KITE_TRB_DW3_IOC_MASK);
	ctx_setup(8 % 8, cfg(1, 8, 0, KITE_CTX_CFG0_TYPE_BULK, 64, 0), &r);
	doorbell(0);
	KT_CHECK(evt_wait_xfer(&e, 400000) && e.code == KITE_EVT_CODE_STALL && e.ptr == t0 &&
		 e.residual == 16, "STALL event code %u res %u", e.code, e.residual);
	KT_CHECK(ctx_state(0) == KITE_CTX_STATE_STATE_HALTED, "not HALTED: %u", ctx_state(0));
	doorbell(0);
	kite_model_tick(m, 2000);
	KT_CHECK(ep->nlog == 1, "a HALTED context ran after its doorbell");
	/* commands: STOP on HALTED = success, RESET_EP -> STOPPED toggle 0, SET_DEQ past it */
	KT_CHECK(command(KITE_CMD_OP_RESET_EP, 0, 0, &e, NULL) && e.code == KITE_EVT_CODE_SUCCESS &&
		 e.ctx == 0 && e.port_op == KITE_CMD_OP_RESET_EP, "RESET_EP event code %u", e.code);
	v = kf_rd(m, KITE_REG_CTX_STATE(0));
	KT_CHECK((v & KITE_CTX_STATE_STATE_MASK) == KITE_CTX_STATE_STATE_STOPPED &&
		 !(v & KITE_CTX_STATE_TOGGLE_MASK), "after RESET_EP 0x%08x", v);
	KT_CHECK(command(KITE_CMD_OP_RESET_EP, 0, 0, &e, NULL) && e.code == KITE_EVT_CODE_SUCCESS,
		 "RESET_EP on STOPPED code %u", e.code);
	t1 = ring_push(&r, buf, 16, KITE_TRB_TYPE_NORMAL, KITE_TRB_DW3_IOC_MASK);
	KT_CHECK(command(KITE_CMD_OP_SET_DEQ, 0, t1 | 1, &e, NULL) && e.code == KITE_EVT_CODE_SUCCESS,
		 "SET_DEQ code %u", e.code);
	KT_CHECK(kf_rd(m, KITE_REG_CTX_DEQ_LO(0)) == ((uint32_t)t1 | 1), "DEQ after SET_DEQ 0x%08x",
		 kf_rd(m, KITE_REG_CTX_DEQ_LO(0)));
	doorbell(0);
	KT_CHECK(evt_wait_xfer(&e, 400000) && e.code == KITE_EVT_CODE_SUCCESS && e.ptr == t1,
		 "after restart code %u ptr 0x%llx", e.code, (unsigned long long)e.ptr);
	KT_CHECK(ctx_state(0) == KITE_CTX_STATE_STATE_RUNNING, "doorbell did not restart");
	/* STOP_EP on a NAKing context: STOPPED transfer event then COMMAND event */
	ep->nak = 1000000;
	t1 = ring_push(&r, buf, 16, KITE_TRB_TYPE_NORMAL, KITE_TRB_DW3_IOC_MASK);
	doorbell(0);
	kite_model_tick(m, 3000);
	KT_CHECK(command(KITE_CMD_OP_STOP_EP, 0, 0, &e, &te) && e.code == KITE_EVT_CODE_SUCCESS,
		 "STOP_EP code %u", e.code);
	KT_CHECK(te.type == KITE_EVT_TYPE_TRANSFER && te.code == KITE_EVT_CODE_STOPPED &&
		 te.ptr == t1, "STOPPED event type %u code %u", te.type, te.code);
	KT_CHECK(ctx_state(0) == KITE_CTX_STATE_STATE_STOPPED, "not STOPPED");
	KT_CHECK(command(KITE_CMD_OP_SET_DEQ, 1, 0, &e, NULL) &&
		 e.code == KITE_EVT_CODE_CONTEXT_STATE_ERROR, "SET_DEQ on RUNNING: code %u", e.code);
	KT_CHECK(command(KITE_CMD_OP_STOP_EP, 7 + 0 * 1, 0, &e, NULL), "STOP_EP on 7");
	KT_CHECK(command(KITE_CMD_OP_RESET_EP, 6, 0, &e, NULL) &&
		 e.code == KITE_EVT_CODE_CONTEXT_STATE_ERROR, "RESET_EP on RUNNING: code %u", e.code);
	ep->nak = 0;
}

/* three strikes; two errors then success resets ERRCNT */
static void t_strikes(void *arg)
{
	(void)arg;
	uint64_t ra = MEM_BASE + 0x18000, buf = MEM_BASE + 0x45000;
	struct ring r;
	struct evt e;
	struct ep *ep = &devs[0].ep[9][1];
	uint64_t t0;

	dev_reset(&devs[0]);
	ep->codes[0] = 3; ep->codes[1] = 4; ep->ncodes = 2;	/* timeout, CRC, then ACK */
	ep->in_len = 4;
	allow_write(buf, 64);
	ring_init(&r, ra, 8);
	t0 = ring_push(&r, buf, 4, KITE_TRB_TYPE_NORMAL, KITE_TRB_DW3_IOC_MASK);
	ctx_setup(2, cfg(1, 9, 1, KITE_CTX_CFG0_TYPE_INTERRUPT, 8, 0), &r);
	doorbell(2);
	KT_CHECK(evt_wait_xfer(&e, 800000) && e.code == KITE_EVT_CODE_SUCCESS && e.ptr == t0,
		 "2 errors then ACK: code %u", e.code);
	kite_model_tick(m, 1000);
	KT_CHECK((kf_rd(m, KITE_REG_CTX_STATE(2)) & KITE_CTX_STATE_ERRCNT_MASK) == 0,
		 "ERRCNT not cleared: 0x%08x", kf_rd(m, KITE_REG_CTX_STATE(2)));
	ep->codes[0] = 3; ep->codes[1] = 5; ep->codes[2] = 6; ep->ncodes = 3;
	t0 = ring_push(&r, buf, 4, KITE_TRB_TYPE_NORMAL, KITE_TRB_DW3_IOC_MASK);
	doorbell(2);
	KT_CHECK(evt_wait_xfer(&e, 800000) && e.code == KITE_EVT_CODE_TRANSACTION_ERROR &&
		 e.ptr == t0, "three strikes: code %u", e.code);
	KT_CHECK(ctx_state(2) == KITE_CTX_STATE_STATE_HALTED, "not HALTED");
	KT_CHECK(ep->nlog == 6, "attempts %d", ep->nlog);
}

/* malformed TRBs */
static void t_trb_error(void *arg)
{
	(void)arg;
	uint64_t ra = MEM_BASE + 0x19000;
	struct ring r;
	struct evt e;
	uint64_t t0;

	ring_init(&r, ra, 8);
	t0 = ring_push(&r, 0, 8, 7 /* reserved type */, KITE_TRB_DW3_IOC_MASK);
	ctx_setup(3, cfg(1, 10, 0, KITE_CTX_CFG0_TYPE_BULK, 64, 0), &r);
	doorbell(3);
	KT_CHECK(evt_wait_xfer(&e, 400000) && e.code == KITE_EVT_CODE_TRB_ERROR && e.ptr == t0,
		 "unknown type: code %u", e.code);
	ring_init(&r, ra, 8);
	t0 = ring_push(&r, 0x1234, 8, KITE_TRB_TYPE_SETUP, KITE_TRB_DW3_CH_MASK);
	ctx_setup(3, cfg(1, 0, 0, KITE_CTX_CFG0_TYPE_CONTROL, 8, 0), &r);
	doorbell(3);
	KT_CHECK(evt_wait_xfer(&e, 400000) && e.code == KITE_EVT_CODE_TRB_ERROR && e.ptr == t0,
		 "SETUP without IDT: code %u", e.code);
	ring_init(&r, ra, 8);
	t0 = ring_push(&r, 0x80000008, 0, KITE_TRB_TYPE_LINK, 0);
	ctx_setup(3, cfg(1, 10, 0, KITE_CTX_CFG0_TYPE_BULK, 64, 0), &r);
	doorbell(3);
	KT_CHECK(evt_wait_xfer(&e, 400000) && e.code == KITE_EVT_CODE_TRB_ERROR && e.ptr == t0,
		 "unaligned LINK: code %u", e.code);
	KT_CHECK(ctx_state(3) == KITE_CTX_STATE_STATE_HALTED, "not HALTED");
}

/* AXI errors on TRB fetch and on data: only that context halts */
static void t_bus_error(void *arg)
{
	(void)arg;
	uint64_t ra = MEM_BASE + 0x1a000, rb = MEM_BASE + 0x1b000, buf = MEM_BASE + 0x46000;
	struct ring r1, r2;
	struct evt e;
	struct ep *ei = &devs[0].ep[11][1], *eo = &devs[0].ep[12][0];
	uint64_t t0, tb2;

	dev_reset(&devs[0]);
	ring_init(&r1, ra, 8);
	ring_init(&r2, rb, 8);
	/* contexts first (empty rings: idle), then the TRBs, then the doorbells */
	ctx_setup(4, cfg(1, 11, 1, KITE_CTX_CFG0_TYPE_BULK, 64, 0), &r1);
	ctx_setup(5, cfg(1, 12, 0, KITE_CTX_CFG0_TYPE_BULK, 64, 0), &r2);
	t0 = ring_push(&r1, buf, 8, KITE_TRB_TYPE_NORMAL, KITE_TRB_DW3_IOC_MASK);
	kf_mem_fault(&mem, ra, ra + 0x100, true, false);
	fill(buf + 0x100, 20, 4);
	tb2 = ring_push(&r2, buf + 0x100, 20, KITE_TRB_TYPE_NORMAL, KITE_TRB_DW3_IOC_MASK);
	doorbell(4);
	doorbell(5);
	{
		int got_err = 0, got_ok = 0;

		for (int k = 0; k < 2 && evt_wait_xfer(&e, 400000); k++) {
			if (e.ctx == 4 && e.code == KITE_EVT_CODE_BUS_ERROR && e.ptr == t0)
				got_err = 1;
			if (e.ctx == 5 && e.code == KITE_EVT_CODE_SUCCESS && e.ptr == tb2)
				got_ok = 1;
		}
		KT_CHECK(got_err && got_ok, "TRB fetch error: err %d other ok %d", got_err, got_ok);
	}
	KT_CHECK(ctx_state(4) == KITE_CTX_STATE_STATE_HALTED && ctx_state(5) ==
		 KITE_CTX_STATE_STATE_RUNNING, "states %u %u", ctx_state(4), ctx_state(5));
	kf_mem_fault_clear(&mem);
	/* IN data write fails */
	ei->in_len = 8;
	for (int i = 0; i < 8; i++)
		ei->in[i] = (uint8_t)i;
	allow_write(buf, 8);
	kf_mem_fault(&mem, buf, buf + 8, false, true);
	ring_init(&r1, ra, 8);
	t0 = ring_push(&r1, buf, 8, KITE_TRB_TYPE_NORMAL, KITE_TRB_DW3_IOC_MASK);
	ctx_setup(4, cfg(1, 11, 1, KITE_CTX_CFG0_TYPE_BULK, 64, 0), &r1);
	doorbell(4);
	KT_CHECK(evt_wait_xfer(&e, 400000) && e.code == KITE_EVT_CODE_BUS_ERROR && e.ptr == t0 &&
		 e.ctx == 4, "data write error: code %u", e.code);
	kf_mem_fault_clear(&mem);
	/* OUT data read fails */
	kf_mem_fault(&mem, buf + 0x100, buf + 0x110, true, false);
	tb2 = ring_push(&r2, buf + 0x100, 20, KITE_TRB_TYPE_NORMAL, KITE_TRB_DW3_IOC_MASK);
	doorbell(5);
	KT_CHECK(evt_wait_xfer(&e, 400000) && e.code == KITE_EVT_CODE_BUS_ERROR && e.ptr == tb2 &&
		 e.ctx == 5, "data read error: code %u", e.code);
	kf_mem_fault_clear(&mem);
	KT_CHECK(eo->nlog == 1, "OUT sent despite the read error (%d)", eo->nlog);
	/* others still work */
	ring_init(&r1, MEM_BASE + 0x1c000, 8);
	t0 = ring_push(&r1, buf + 0x100, 20, KITE_TRB_TYPE_NORMAL, KITE_TRB_DW3_IOC_MASK);
	ctx_setup(6, cfg(1, 12, 0, KITE_CTX_CFG0_TYPE_BULK, 64, 0), &r1);
	doorbell(6);
	KT_CHECK(evt_wait_xfer(&e, 400000) && e.code == KITE_EVT_CODE_SUCCESS && e.ptr == t0,
		 "after bus errors: code %u", e.code);
}

/* ring wrap through LINK with TC: many TDs through a 4-slot ring */
static void t_link(void *arg)
{
	(void)arg;
	uint64_t ra = MEM_BASE + 0x1d000, buf = MEM_BASE + 0x47000;
	struct ring r;
	struct evt e;
	struct ep *ep = &devs[0].ep[13][0];
	int ok = 1;

	dev_reset(&devs[0]);
	ring_init(&r, ra, 4);
	ctx_setup(1, cfg(1, 13, 0, KITE_CTX_CFG0_TYPE_BULK, 64, 0), &r);
	for (int i = 0; i < 10; i++) {
		uint64_t t;

		fill(buf + 64u * (unsigned int)i, 5, (uint8_t)i);
		t = ring_push(&r, buf + 64u * (unsigned int)i, 5, KITE_TRB_TYPE_NORMAL,
			      KITE_TRB_DW3_IOC_MASK);
		doorbell(1);
		if (!evt_wait_xfer(&e, 400000) || e.ptr != t || e.code != KITE_EVT_CODE_SUCCESS) {
			ok = 0;
			break;
		}
	}
	KT_CHECK(ok, "TD through LINK failed");
	KT_CHECK(ep->out_len == 50, "bytes %d", ep->out_len);
	KT_CHECK((kf_rd(m, KITE_REG_CTX_DEQ_LO(1)) & 1) == r.pcs, "DCS not toggled with the ring");
}

/* event ring full: the controller waits, loses nothing */
static void t_evt_full(void *arg)
{
	(void)arg;
	uint64_t ra = MEM_BASE + 0x1e000;
	struct ring r;
	struct evt e;
	uint64_t t[100];
	int n = 0, ok = 1;
	uint32_t sts;
	unsigned int wraps0;

	ring_init(&r, ra, 128);
	ctx_setup(7, cfg(1, 14, 0, KITE_CTX_CFG0_TYPE_BULK, 64, 0), &r);
	kite_model_tick(m, 200);
	while (evt_next(&e))
		;
	wraps0 = er.wraps;
	for (int i = 0; i < 90; i++)
		t[i] = ring_push(&r, 0, 0, KITE_TRB_TYPE_NOOP, KITE_TRB_DW3_IOC_MASK);
	doorbell(7);
	kite_model_tick(m, 40000);
	sts = kf_rd(m, KITE_REG_USBSTS);
	KT_CHECK(sts & KITE_USBSTS_EVT_FULL_MASK, "EVT_FULL not set: 0x%08x", sts);
	while (n < 90 && evt_wait(&e, 20000)) {
		if (e.ptr != t[n] || e.code != KITE_EVT_CODE_SUCCESS) {
			if (ok)
				fprintf(stderr, "evt %d: ptr 0x%llx (0x%llx) code %u type %u\n", n,
					(unsigned long long)e.ptr, (unsigned long long)t[n], e.code,
					e.type);
			ok = 0;
		}
		n++;
	}
	KT_CHECK(ok && n == 90, "events %d in order %d", n, ok);
	KT_CHECK(!(kf_rd(m, KITE_REG_USBSTS) & KITE_USBSTS_EVT_FULL_MASK), "EVT_FULL stuck");
	KT_CHECK(er.wraps > wraps0, "the ring never wrapped");
}

/* interrupt moderation and IOC */
static void t_imod(void *arg)
{
	(void)arg;
	uint64_t ra = MEM_BASE + 0x1f000;
	struct ring r;
	struct evt e;
	unsigned int i, set_at = 0;

	ring_init(&r, ra, 64);
	ctx_setup(6, cfg(1, 14, 0, KITE_CTX_CFG0_TYPE_BULK, 64, 0), &r);
	kite_model_tick(m, 200);
	while (evt_next(&e))
		;
	kf_wr(m, KITE_REG_INT_STATUS, 0xffffffff);
	/* no IOC: events not written, no interrupt */
	for (i = 0; i < 4; i++)
		ring_push(&r, 0, 0, KITE_TRB_TYPE_NOOP, 0);
	doorbell(6);
	kite_model_tick(m, 3000);
	KT_CHECK(!evt_next(&e), "event without IOC");
	KT_CHECK(!kite_model_irq(m), "irq without IOC");
	kf_wr(m, KITE_REG_IMOD, 50);	/* 50 us = 4800 bus cycles at 96 MHz */
	ring_push(&r, 0, 0, KITE_TRB_TYPE_NOOP, KITE_TRB_DW3_IOC_MASK);
	doorbell(6);
	for (i = 0; i < 3000 && !kite_model_irq(m); i++)
		kite_model_tick(m, 1);
	KT_CHECK(kite_model_irq(m), "no interrupt for IOC");
	kf_wr(m, KITE_REG_INT_STATUS, KITE_INT_STATUS_EVENT_MASK);
	KT_CHECK(!kite_model_irq(m), "irq after ack");
	while (evt_next(&e))
		;
	ring_push(&r, 0, 0, KITE_TRB_TYPE_NOOP, KITE_TRB_DW3_IOC_MASK);
	doorbell(6);
	for (i = 0; i < 8000 && !kite_model_irq(m); i++)
		kite_model_tick(m, 1);
	set_at = i;
	KT_CHECK(kite_model_irq(m), "moderated interrupt never came");
	KT_CHECK(set_at > 3500, "second interrupt too early: after %u cycles", set_at);
	kf_wr(m, KITE_REG_INT_STATUS, KITE_INT_STATUS_EVENT_MASK);
	kf_wr(m, KITE_REG_IMOD, 0);
	while (evt_next(&e))
		;
}

/* a STOPPED context starts with its doorbell */
static void t_doorbell(void *arg)
{
	(void)arg;
	uint64_t ra = MEM_BASE + 0x20000 - 0x800;
	struct ring r;
	struct evt e;
	uint64_t t;

	ring_init(&r, ra, 8);
	t = ring_push(&r, 0, 0, KITE_TRB_TYPE_NOOP, KITE_TRB_DW3_IOC_MASK);
	kf_wr(m, KITE_REG_CTX_STATE(5), KITE_CTX_STATE_STATE_DISABLED);
	kf_wr(m, KITE_REG_CTX_CFG0(5), cfg(1, 1, 0, KITE_CTX_CFG0_TYPE_BULK, 64, 0));
	kf_wr(m, KITE_REG_CTX_DEQ_LO(5), (uint32_t)ra | 1);
	kf_wr(m, KITE_REG_CTX_DEQ_HI(5), 0);
	kf_wr(m, KITE_REG_CTX_STATE(5), KITE_CTX_STATE_STATE_STOPPED);
	kite_model_tick(m, 2000);
	KT_CHECK(!evt_next(&e), "STOPPED context ran");
	doorbell(5);
	KT_CHECK(evt_wait_xfer(&e, 100000) && e.ptr == t, "doorbell did not start the context");
	KT_CHECK(ctx_state(5) == KITE_CTX_STATE_STATE_RUNNING, "state %u", ctx_state(5));
}

/* the model and its ports, before the controller runs */
static int set_port_rc[3];

static void t_model(void *arg)
{
	(void)arg;
	KT_CHECK(set_port_rc[0] == 0 && set_port_rc[1] == 0, "set_port");
	KT_CHECK(set_port_rc[2] != 0, "set_port accepted a port beyond NUM_PORTS");
	KT_CHECK(kite_model_busy(m) == 0, "busy after reset");
	kf_wr(m, KITE_REG_USBCMD, KITE_USBCMD_RUN_MASK);
	KT_CHECK(kite_model_busy(m), "not busy while RUN = 1");
	kf_wr(m, KITE_REG_USBCMD, 0);
	kite_model_tick(m, 100);
	KT_CHECK(kf_rd(m, KITE_REG_USBSTS) & KITE_USBSTS_HALTED_MASK, "not HALTED");
}

static void t_bulk_out_scatter(void *arg) { (void)arg; t_bulk_out(2, 0); }
static void t_bulk_out_latency_0(void *arg) { (void)arg; t_bulk_out(0, 0); }
static void t_bulk_out_latency_500(void *arg) { (void)arg; t_bulk_out(500, 30); }

/* after every other test: nothing written outside the buffers, AXI protocol, clock ratio */
static void t_containment_stats(void *arg)
{
	struct kite_model_stats st;

	(void)arg;
	kite_model_get_stats(m, &st);
	KT_CHECK(mem.violations == 0, "%lu DMA writes outside the buffers and rings, first: %s",
		 mem.violations, mem.violation);
	KT_CHECK(kite_model_test_violations(m, NULL, 0) == 0, "AXI protocol violations");
	KT_CHECK(st.usb_cycles > 0 && st.usb_cycles * 2 >= st.cycles - 4 &&
		 st.usb_cycles * 2 <= st.cycles + 4, "usb_cycles %llu cycles %llu",
		 (unsigned long long)st.usb_cycles, (unsigned long long)st.cycles);
}

/* run in this order on one controller (hc_start() between the first and the others) */
static const struct kt_case model_cases[] = {
	{ "model-ports-busy", t_model },
};

static const struct kt_case xfer_cases[] = {
	{ "xfer-ports-events", t_ports },
	{ "xfer-bulk-out-scatter", t_bulk_out_scatter },
	{ "xfer-latency-0", t_bulk_out_latency_0 },
	{ "xfer-latency-500-stalls", t_bulk_out_latency_500 },
	{ "xfer-bulk-in-scatter", t_bulk_in },
	{ "xfer-short-packet-skip", t_short },
	{ "xfer-zlp-zero-length-td", t_zlp },
	{ "xfer-control-td", t_control },
	{ "xfer-nak-round-robin", t_nak_rr },
	{ "xfer-stall-commands", t_stall_cmds },
	{ "xfer-three-strikes", t_strikes },
	{ "xfer-trb-error", t_trb_error },
	{ "xfer-bus-error", t_bus_error },
	{ "xfer-link-cycle", t_link },
	{ "xfer-doorbell-start", t_doorbell },
	{ "intr-moderation-ioc", t_imod },
	{ "evt-ring-full-wrap", t_evt_full },
	{ "xfer-dma-containment-stats", t_containment_stats },
};

int main(int argc, char **argv)
{
	struct kite_model_config cfgm = { .mem_latency = 2, .attach = KITE_ATTACH_UTMI };
	struct kite_port_backend b0 = { dev_utmi, NULL, &devs[0] };
	struct kite_port_backend b1 = { dev_utmi, NULL, &devs[1] };
	struct kite_mem_ops ops = kf_mem_ops(&mem);

	kt_init(&argc, argv);
	mem.contain = true;
	if (!kf_mem_add(&mem, MEM_BASE, MEM_SIZE) || !(m = kite_model_create(&cfgm, &ops))) {
		kt_result("xfer-create", false, "kite_model_create failed");
		return kt_finish();
	}
	set_port_rc[0] = kite_model_set_port(m, 0, &b0);
	set_port_rc[1] = kite_model_set_port(m, 1, &b1);
	set_port_rc[2] = kite_model_set_port(m, 2, &b1);
	kt_run(model_cases, KT_ARRAY_SIZE(model_cases), NULL);
	hc_start();
	kt_run(xfer_cases, KT_ARRAY_SIZE(xfer_cases), NULL);
	kite_model_destroy(m);
	kf_mem_free(&mem);
	return kt_finish();
}
