// SPDX-License-Identifier: MIT
/*
 * System tests of the model's fast-forward (kite_model_quiet_cycles, kite_model_skip;
 * docs/rtl.md, "Fast-forward").
 *
 * fast-forward-exact: one scenario run twice, clocking every cycle and skipping whenever the
 * model allows (kite_model_test_set_autoskip): gadget zero with an interrupt endpoint polled
 * every 4 frames, bulk transfers, idle stretches, interrupt moderation, random AXI stalls (the
 * memory's stall generator must stay in step), a suspended port (the device suspends itself
 * while the model skips) and its resume, RUN cleared and set again. Everything observable is
 * logged at the same bus times in both runs and must be equal: register reads, the interrupt
 * line, every event, the device's and the attachment's counters and state, the model's
 * statistics and time, and the whole guest memory at the end. Beyond what is observable, the
 * whole RTL state (kite_model_test_state_hash: every signal, register and memory) must be
 * equal after every kite_model_tick of the two runs.
 *
 * fast-forward-exact-ls: the same with a low-speed keyboard (keep-alives instead of SOFs,
 * 32 clocks per bit): interrupt polls, two keystrokes, RUN off and on.
 *
 * fast-forward-busy: kite_model_quiet_cycles is 0 from a doorbell until the transfer's
 * interrupt, for a bulk IN and a bulk OUT packet, and kite_model_skip refuses then; the
 * controller is quiet again soon after.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kite_model_test.h"
#include "systest.h"

#define MS ST_CYCLES_PER_MS
#define FF_ADDR 7
#define FF_LOG_MAX 20000
#define FF_STATES_MAX 200000

enum { FF_EP0 = 0, FF_BULK_IN = 1, FF_BULK_OUT = 2, FF_INT_IN = 3 };

struct ff_log {
	uint64_t v[FF_LOG_MAX];
	const char *what[FF_LOG_MAX];
	unsigned int n;
	bool overflow;
};

struct ff_run {
	struct st t;
	struct usbdev *dev;
	struct kf_ring ep0, in, out, intr;
	uint64_t out_buf, in_buf, int_buf;
	struct ff_log *log;
	uint64_t *states;       /* the RTL state's hash after each kite_model_tick */
	size_t nstates;
	unsigned int events;
	unsigned int ctx_events[64];
	bool kbd;               /* the device is the keyboard (else gadget zero) */
};

static void logv(struct ff_run *r, const char *what, uint64_t v)
{
	struct ff_log *l = r->log;

	if (l->n == FF_LOG_MAX) {
		l->overflow = true;
		return;
	}
	l->what[l->n] = what;
	l->v[l->n++] = v;
}

/* Take every event the controller wrote: log it, acknowledge the interrupt, move EVT_DEQ. */
static void pump(struct ff_run *r)
{
	struct kf_evt e;

	while (kf_evt_peek(&r->t.evt, &e)) {
		/* type, context, code and residual in one entry */
		logv(r, "event", (uint64_t)e.type << 48 | (uint64_t)e.ctx << 40 |
		     (uint64_t)e.code << 32 | e.residual);
		logv(r, "event.ptr", e.ptr);
		logv(r, "event.at-ps", kite_model_time_ps(r->t.m));
		st_wr(&r->t, KITE_REG_INT_STATUS, KITE_INT_STATUS_EVENT_MASK |
		      KITE_INT_STATUS_PORT_CHANGE_MASK);
		kf_evt_pop(&r->t.evt);
		r->events++;
		r->ctx_events[e.ctx & 63]++;
	}
}

/* Run `cycles` bus cycles in slices, sampling the interrupt line after each and taking events. */
static void advance(struct ff_run *r, uint64_t cycles)
{
	const unsigned int slice = 997;   /* prime: the samples wander across the frame */

	while (cycles) {
		unsigned int k = cycles < slice ? (unsigned int)cycles : slice;

		st_tick(&r->t, k);
		cycles -= k;

		logv(r, "irq", kite_model_irq(r->t.m));
		pump(r);
	}
}

/* Advance until the next event of context ctx arrived; false on timeout. */
static bool wait_ctx(struct ff_run *r, unsigned int ctx, uint64_t max_cycles)
{
	unsigned int want = r->ctx_events[ctx] + 1;

	for (uint64_t w = 0; r->ctx_events[ctx] < want; w += 500) {
		if (w >= max_cycles)
			return false;
		advance(r, 500);
	}
	return true;
}

/* Everything a driver, the device or a user of the model can see. */
static void observe(struct ff_run *r, const char *where)
{
	struct kite_model_stats ms;
	struct usbdev_port_stats ps;
	struct usbdev_gzero_stats gs;
	const struct usbdev *d = r->dev;

	logv(r, where, 0);
	logv(r, "time-ps", kite_model_time_ps(r->t.m));
	kite_model_get_stats(r->t.m, &ms);
	logv(r, "cycles", ms.cycles);
	logv(r, "usb-cycles", ms.usb_cycles);
	logv(r, "reg-reads", ms.reg_reads);
	logv(r, "reg-writes", ms.reg_writes);
	logv(r, "dma-read-bytes", ms.dma_read_bytes);
	logv(r, "dma-write-bytes", ms.dma_write_bytes);
	logv(r, "irq", kite_model_irq(r->t.m));
	logv(r, "busy", kite_model_busy(r->t.m));
	logv(r, "FRAME", st_rd(&r->t, KITE_REG_FRAME));
	logv(r, "PORTSC", st_rd(&r->t, KITE_REG_PORTSC(0)));
	logv(r, "USBSTS", st_rd(&r->t, KITE_REG_USBSTS));
	logv(r, "INT_STATUS", st_rd(&r->t, KITE_REG_INT_STATUS));
	logv(r, "CTX_STATE.int", st_rd(&r->t, KITE_REG_CTX_STATE(FF_INT_IN)));
	logv(r, "dev.frame", d->frame);
	logv(r, "dev.suspended", d->suspended);
	logv(r, "dev.sofs", d->stats.sofs);
	logv(r, "dev.tokens", d->stats.tokens);
	logv(r, "dev.in-tokens", d->stats.in_tokens);
	logv(r, "dev.out-tokens", d->stats.out_tokens);
	logv(r, "dev.data-rx", d->stats.data_rx);
	logv(r, "dev.data-tx", d->stats.data_tx);
	logv(r, "dev.acks-rx", d->stats.acks_rx);
	logv(r, "dev.naks-tx", d->stats.naks_tx);
	logv(r, "dev.suspends", d->stats.suspends);
	logv(r, "dev.resumes", d->stats.resumes);
	logv(r, "dev.resets", d->stats.resets);
	usbdev_port_get_stats(r->t.port[0], &ps);
	logv(r, "port.cycles", ps.cycles);
	logv(r, "port.packets-rx", ps.packets_rx);
	logv(r, "port.packets-tx", ps.packets_tx);
	logv(r, "port.keepalives", ps.keepalives);
	logv(r, "port.resets", ps.resets);
	if (r->kbd) {
		struct usbdev_kbd_stats ks;

		usbdev_kbd_get_stats(d, &ks);
		logv(r, "kbd.reports-sent", ks.reports_sent);
		logv(r, "kbd.pending", usbdev_kbd_pending(d));
		return;
	}
	usbdev_gzero_get_stats(d, &gs);
	logv(r, "gz.out-bytes", gs.out_bytes);
	logv(r, "gz.in-bytes", gs.in_bytes);
	logv(r, "gz.int-in-bytes", gs.int_in_bytes);
	logv(r, "gz.pattern-errors", gs.pattern_errors);
}

static bool bulk(struct ff_run *r, bool in, uint32_t len)
{
	uint64_t a = in ? r->in_buf : r->out_buf;

	st_queue_td(&r->t, in ? &r->in : &r->out, &a, &len, 1, 0);
	st_doorbell(&r->t, in ? FF_BULK_IN : FF_BULK_OUT);
	if (wait_ctx(r, in ? FF_BULK_IN : FF_BULK_OUT, 100 * MS))
		return true;
	snprintf(r->t.why, sizeof(r->t.why), "no event for a bulk %s transfer of %u bytes",
		 in ? "IN" : "OUT", len);
	return false;
}

/* A model with random AXI stalls, skipping or not, with r->dev plugged in and running. */
static int bring_up(struct ff_run *r, enum kite_attach attach, unsigned int latency, bool skip)
{
	struct st *t = &r->t;

	if (st_init(t, attach, latency))
		return -1;
	kite_model_test_set_stall(t->m, 25, 0x5eed);
	kite_model_test_set_autoskip(t->m, skip);
	kite_model_test_log_states(t->m, r->states, FF_STATES_MAX, &r->nstates);
	if (!r->dev || st_plug(t, 0, r->dev) || st_start(t, 64))
		return -1;
	return 0;
}

/* Gadget zero: bulk, interrupt polls, moderation, suspend and resume, RUN off and on. */
static int scenario_gzero(struct ff_run *r, enum kite_attach attach, unsigned int latency,
			  bool skip)
{
	struct usbdev_gzero_opts o = { .pattern = USBDEV_GZ_PATTERN_MOD63, .intr = true };
	struct st *t = &r->t;
	uint32_t l64 = 64;
	uint8_t *p;

	r->dev = usbdev_gzero_create(&o);
	if (bring_up(r, attach, latency, skip))
		return -1;
	st_wr(t, KITE_REG_IMOD, 40);   /* microseconds between interrupts */
	observe(r, "started");
	if (st_enumerate(t, 0, &r->ep0, FF_ADDR, 3, false, 64))
		return -1;
	pump(r);
	observe(r, "enumerated");

	st_ring_init(t, &r->in, 32, false);
	st_ring_init(t, &r->out, 32, true);
	st_ring_init(t, &r->intr, 32, false);
	if (st_ctx_setup(t, FF_BULK_IN, FF_ADDR, 1, true, KITE_CTX_CFG0_TYPE_BULK, false, 64, 0, 0,
			 &r->in) ||
	    st_ctx_setup(t, FF_BULK_OUT, FF_ADDR, 1, false, KITE_CTX_CFG0_TYPE_BULK, false, 64, 0, 0,
			 &r->out) ||
	    st_ctx_setup(t, FF_INT_IN, FF_ADDR, 3, true, KITE_CTX_CFG0_TYPE_INTERRUPT, false, 64, 0,
			 4, &r->intr))
		return -1;
	r->out_buf = st_alloc(t, 4096, 1, true, false);
	r->in_buf = st_alloc(t, 4096, 1, false, true);
	r->int_buf = st_alloc(t, 8 * 64, 1, false, true);
	p = st_ptr(t, r->out_buf);
	for (unsigned int i = 0; i < 4096; i++)
		p[i] = usbdev_gzero_pattern_byte(USBDEV_GZ_PATTERN_MOD63, i % 64, 64);

	/* interrupt IN polled every 4 frames: 8 TDs complete over the idle stretches below */
	for (unsigned int i = 0; i < 8; i++) {
		uint64_t a = r->int_buf + 64 * i;

		st_queue_td(t, &r->intr, &a, &l64, 1, 0);
	}
	st_doorbell(t, FF_INT_IN);
	if (!bulk(r, false, 1000) || !bulk(r, true, 640))
		return -1;
	observe(r, "transfers-1");
	advance(r, 12 * MS);
	observe(r, "idle-1");
	if (!bulk(r, true, 192) || !bulk(r, false, 64))
		return -1;
	advance(r, 8 * MS);
	observe(r, "idle-2");

	/* the port suspended: no SOFs, the device suspends itself after 3 ms of idle line */
	st_wr(t, KITE_REG_PORTSC(0), KITE_PORTSC_POWER_MASK | KITE_PORTSC_SUSPEND_MASK);
	advance(r, 6 * MS);
	observe(r, "suspended");
	st_wr(t, KITE_REG_PORTSC(0), KITE_PORTSC_POWER_MASK | KITE_PORTSC_RESUME_MASK);
	advance(r, 24 * MS);
	observe(r, "resumed");
	if (!bulk(r, false, 512) || !bulk(r, true, 128))
		return -1;

	/* RUN cleared: no frames at all; then running again */
	st_wr(t, KITE_REG_USBCMD, 0);
	advance(r, 5 * MS);
	observe(r, "stopped");
	st_wr(t, KITE_REG_USBCMD, KITE_USBCMD_RUN_MASK);
	advance(r, 4 * MS);
	if (!bulk(r, true, 64))
		return -1;
	advance(r, 2 * MS);
	observe(r, "end");
	return 0;
}

/* A low-speed keyboard (keep-alives instead of SOFs, 32 clocks per bit): polls, keys, idle. */
static int scenario_kbd_ls(struct ff_run *r, enum kite_attach attach, unsigned int latency,
			   bool skip)
{
	struct usbdev_kbd_opts o = { .low_speed = true, .interval = 8 };
	struct st *t = &r->t;
	uint32_t l8 = 8;

	r->kbd = true;
	r->dev = usbdev_kbd_create(&o);
	if (bring_up(r, attach, latency, skip))
		return -1;
	st_wr(t, KITE_REG_IMOD, 40);
	if (st_enumerate(t, 0, &r->ep0, FF_ADDR, 1, true, 8))
		return -1;
	pump(r);
	observe(r, "enumerated");
	st_ring_init(t, &r->intr, 32, false);
	if (st_ctx_setup(t, FF_INT_IN, FF_ADDR, 1, true, KITE_CTX_CFG0_TYPE_INTERRUPT, true, 8, 0,
			 8, &r->intr))
		return -1;
	r->int_buf = st_alloc(t, 8 * 8, 1, false, true);
	for (unsigned int i = 0; i < 8; i++) {
		uint64_t a = r->int_buf + 8 * i;

		st_queue_td(t, &r->intr, &a, &l8, 1, 0);
	}
	st_doorbell(t, FF_INT_IN);
	advance(r, 6 * MS);
	observe(r, "polling");
	usbdev_kbd_type(r->dev, "k");   /* a press and a release: two reports */
	advance(r, 22 * MS);
	observe(r, "typed");
	st_wr(t, KITE_REG_USBCMD, 0);
	advance(r, 3 * MS);
	st_wr(t, KITE_REG_USBCMD, KITE_USBCMD_RUN_MASK);
	advance(r, 4 * MS);
	observe(r, "end");
	return 0;
}

static void run_free(struct ff_run *r)
{
	st_fini(&r->t);
	if (r->dev)
		usbdev_destroy(r->dev);
}

typedef int scenario_fn(struct ff_run *r, enum kite_attach attach, unsigned int latency,
			bool skip);

static void exact(const char *name, scenario_fn *scenario, enum kite_attach attach,
		  unsigned int latency)
{
	static struct ff_log logs[2];
	static uint64_t states[2][FF_STATES_MAX];
	struct ff_run run[2];
	struct kite_model_stats ms[2];
	bool ok = true;

	for (unsigned int i = 0; i < 2; i++) {
		memset(&run[i], 0, sizeof(run[i]));
		memset(&logs[i], 0, sizeof(logs[i]));
		run[i].log = &logs[i];
		run[i].states = states[i];
		if (scenario(&run[i], attach, latency, i == 1)) {
			st_fail(name, "%s run: %s (after %u log entries)", i ? "skipping" : "clocked",
				run[i].t.why, logs[i].n);
			ok = false;
		}
		kite_model_get_stats(run[i].t.m, &ms[i]);
	}
	if (ok && (logs[0].overflow || logs[1].overflow)) {
		st_fail(name, "observation log full");
		ok = false;
	}
	for (unsigned int k = 0; ok && k < logs[0].n && k < logs[1].n; k++) {
		if (logs[0].v[k] != logs[1].v[k] || logs[0].what[k] != logs[1].what[k]) {
			st_fail(name, "observation %u (%s): clocked %llu, skipping %llu (%s)", k,
				logs[0].what[k], (unsigned long long)logs[0].v[k],
				(unsigned long long)logs[1].v[k], logs[1].what[k]);
			ok = false;
		}
	}
	if (ok && logs[0].n != logs[1].n) {
		st_fail(name, "%u observations clocked, %u skipping", logs[0].n, logs[1].n);
		ok = false;
	}
	if (ok && (run[0].nstates != run[1].nstates || run[0].nstates > FF_STATES_MAX)) {
		st_fail(name, "%zu ticks clocked, %zu skipping (room for %u)", run[0].nstates,
			run[1].nstates, FF_STATES_MAX);
		ok = false;
	}
	for (size_t k = 0; ok && k < run[0].nstates; k++) {
		if (states[0][k] != states[1][k]) {
			st_fail(name, "the RTL state differs after tick %zu of %zu", k, run[0].nstates);
			ok = false;
		}
	}
	for (unsigned int w = 0; ok && w < run[0].t.mem.nwin; w++) {
		if (memcmp(run[0].t.mem.win[w].data, run[1].t.mem.win[w].data,
			   run[0].t.mem.win[w].size)) {
			st_fail(name, "guest memory window %u differs at the end", w);
			ok = false;
		}
	}
	/* not vacuous: the skipping run skipped a good part of the time (a quarter even with the
	 * slowest bus clock), the other none */
	if (ok && (ms[0].usb_cycles_skipped || ms[1].usb_cycles_skipped * 4 < ms[1].usb_cycles)) {
		st_fail(name, "skipped %llu of %llu usb_clk cycles clocked, %llu of %llu skipping",
			(unsigned long long)ms[0].usb_cycles_skipped,
			(unsigned long long)ms[0].usb_cycles,
			(unsigned long long)ms[1].usb_cycles_skipped,
			(unsigned long long)ms[1].usb_cycles);
		ok = false;
	}
	if (ok && getenv("SYSTEST_FF_VERBOSE"))
		fprintf(stderr, "%s: %u observations, %u events, %zu RTL states, %llu of %llu usb_clk "
			"cycles skipped\n", name, logs[0].n, run[0].events, run[0].nstates,
			(unsigned long long)ms[1].usb_cycles_skipped, (unsigned long long)ms[1].usb_cycles);
	ok &= st_contained(&run[0].t, name) && st_contained(&run[1].t, name);
	if (ok)
		st_pass(name);
	for (unsigned int i = 0; i < 2; i++)
		run_free(&run[i]);
}

void st_test_fast_forward_exact(const char *name, const char *name_ls, enum kite_attach attach,
				unsigned int latency)
{
	exact(name, scenario_gzero, attach, latency);
	exact(name_ls, scenario_kbd_ls, attach, latency);
}

/* Tick one bus cycle at a time until the interrupt line rises; every cycle must be busy. */
static bool busy_until_irq(struct st *t, const char *name, const char *what)
{
	for (uint64_t c = 0; c < 5 * MS; c++) {
		if (kite_model_quiet_cycles(t->m)) {
			st_fail(name, "%s: quiet_cycles = %llu at bus cycle %llu after the doorbell", what,
				(unsigned long long)kite_model_quiet_cycles(t->m), (unsigned long long)c);
			return false;
		}
		if (c == 100 && kite_model_skip(t->m, 1) != -EINVAL) {
			st_fail(name, "%s: kite_model_skip(1) accepted while a transfer is in flight", what);
			return false;
		}
		if (kite_model_irq(t->m))
			return true;
		st_tick(t, 1);
	}
	st_fail(name, "%s: no interrupt within 5 ms", what);
	return false;
}

/* After the transfer: quiet again within a frame (the fast-forward is not simply off). */
static bool quiet_again(struct st *t, const char *name, const char *what)
{
	struct kf_evt e;

	if (st_next_event(t, &e, MS) || e.code != KITE_EVT_CODE_SUCCESS) {
		st_fail(name, "%s: event code %u %s", what, e.code, t->why);
		return false;
	}
	for (uint64_t c = 0; c < 2 * MS; c++) {
		if (kite_model_quiet_cycles(t->m))
			return true;
		st_tick(t, 1);
	}
	st_fail(name, "%s: not quiet within 2 ms after the transfer", what);
	return false;
}

/* Wait for a frame start, so that the packet of the doorbell that follows fits in the frame. */
static void frame_start(struct st *t)
{
	uint32_t f = st_rd(t, KITE_REG_FRAME);

	while (st_rd(t, KITE_REG_FRAME) == f)
		st_tick(t, 64);
}

void st_test_fast_forward_busy(const char *name, enum kite_attach attach, unsigned int latency)
{
	struct usbdev_gzero_opts o = { .pattern = USBDEV_GZ_PATTERN_MOD63 };
	struct kf_ring ep0, in, out;
	struct usbdev *dev;
	struct st t;
	uint64_t a_in, a_out, q;
	uint32_t l64 = 64;
	bool ok = false;

	if (st_init(&t, attach, latency)) {
		st_fail(name, "cannot create the model");
		return;
	}
	dev = usbdev_gzero_create(&o);
	if (!dev || st_plug(&t, 0, dev) || st_start(&t, 64) ||
	    st_enumerate(&t, 0, &ep0, FF_ADDR, 3, false, 64)) {
		st_fail(name, "bring-up: %s", t.why);
		goto out;
	}
	st_ring_init(&t, &in, 32, false);
	st_ring_init(&t, &out, 32, true);
	if (st_ctx_setup(&t, FF_BULK_IN, FF_ADDR, 1, true, KITE_CTX_CFG0_TYPE_BULK, false, 64, 0, 0,
			 &in) ||
	    st_ctx_setup(&t, FF_BULK_OUT, FF_ADDR, 1, false, KITE_CTX_CFG0_TYPE_BULK, false, 64, 0, 0,
			 &out)) {
		st_fail(name, "contexts: %s", t.why);
		goto out;
	}
	a_in = st_alloc(&t, 64, 1, false, true);
	a_out = st_alloc(&t, 64, 1, true, false);
	for (unsigned int i = 0; i < 64; i++)
		((uint8_t *)st_ptr(&t, a_out))[i] = usbdev_gzero_pattern_byte(1, i, 64);
	st_tick(&t, MS);
	q = kite_model_quiet_cycles(t.m);
	if (!q) {
		st_fail(name, "not quiet before the transfers");
		goto out;
	}
	if (kite_model_skip(t.m, q + 1) != -EINVAL) {
		st_fail(name, "kite_model_skip(quiet_cycles + 1) accepted");
		goto out;
	}
	frame_start(&t);
	st_queue_td(&t, &in, &a_in, &l64, 1, 0);
	st_doorbell(&t, FF_BULK_IN);
	if (!busy_until_irq(&t, name, "bulk IN") || !quiet_again(&t, name, "bulk IN"))
		goto out;
	frame_start(&t);
	st_queue_td(&t, &out, &a_out, &l64, 1, 0);
	st_doorbell(&t, FF_BULK_OUT);
	if (!busy_until_irq(&t, name, "bulk OUT") || !quiet_again(&t, name, "bulk OUT"))
		goto out;
	ok = true;
out:
	if (ok && st_contained(&t, name))
		st_pass(name);
	st_fini(&t);
	if (dev)
		usbdev_destroy(dev);
}
