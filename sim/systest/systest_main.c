// SPDX-License-Identifier: MIT
/*
 * The controller's system tests: the Verilated controller, a memory model with DMA
 * containment, and the USB device models, driven through the registers by systest.c.
 *
 *   systest [-t PATTERN] [-l] [--config NAME] [--line] [--latency N] [--usb-per-bus N] [TEST...]
 *
 * -t PATTERN (or KT_FILTER) selects tests by their full names (kite_test.h); TEST names (as in
 * the table below) select them too; neither: all.
 *
 * --usb-per-bus N runs the bus clock at usb_clk / N (48 MHz / N) instead of 96 MHz.
 * --config NAME adds the model's configuration (rtl/configs.mk) to the test names.
 *
 * Each test prints PASS/FAIL lines (kite_test.h); the exit status is 1 if any failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "systest.h"

static enum kite_attach attach = KITE_ATTACH_UTMI;
static unsigned int latency = 4;
static const char *suffix = "";

#define MS ST_CYCLES_PER_MS
#define DEV_ADDR 5

/* Context numbers used by the tests (0 is EP0). */
enum { CTX_EP0 = 0, CTX_BULK_IN = 1, CTX_BULK_OUT = 2, CTX_INT_IN = 3 };
/* Isochronous contexts 4 and 5; a controller with fewer contexts (the `minimal` configuration
 * has 4) uses 3 and 2 instead: the isochronous test then runs without the bulk contexts. */
static unsigned int CTX_ISO_IN = 4, CTX_ISO_OUT = 5;

static char name_buf[128];

static const char *tname(const char *base)
{
	snprintf(name_buf, sizeof(name_buf), "systest-%s%s", base, suffix);
	return name_buf;
}

/* One environment per test: a fresh controller, memory and device. */
struct env {
	struct st t;
	struct kf_ring ep0, in, out, intr, iso_in, iso_out;
	struct usbdev *dev;
};

static int env_up_bulk(struct env *e, const char *name, const struct usbdev_gzero_opts *opts,
		       unsigned int config, bool bulk)
{
	bool small;

	memset(e, 0, sizeof(*e));
	if (st_init(&e->t, attach, latency)) {
		st_fail(name, "cannot create the model");
		return -1;
	}
	e->dev = usbdev_gzero_create(opts);
	if (!e->dev || st_plug(&e->t, 0, e->dev) || st_start(&e->t, 64)) {
		st_fail(name, "bring-up: %s", e->t.why);
		return -1;
	}
	if (st_enumerate(&e->t, 0, &e->ep0, DEV_ADDR, config, false, 64)) {
		st_fail(name, "enumeration: %s", e->t.why);
		return -1;
	}
	small = e->t.num_ctx < 6;
	CTX_ISO_IN = small ? 3 : 4;
	CTX_ISO_OUT = small ? 2 : 5;
	if (!bulk)
		return 0;
	st_ring_init(&e->t, &e->in, 64, false);
	st_ring_init(&e->t, &e->out, 64, true);
	if (st_ctx_setup(&e->t, CTX_BULK_IN, DEV_ADDR, 1, true, KITE_CTX_CFG0_TYPE_BULK, false, 64, 0, 0,
			 &e->in) ||
	    st_ctx_setup(&e->t, CTX_BULK_OUT, DEV_ADDR, 1, false, KITE_CTX_CFG0_TYPE_BULK, false, 64, 0, 0,
			 &e->out)) {
		st_fail(name, "context setup: %s", e->t.why);
		return -1;
	}
	return 0;
}

/* The usual environment: gadget zero enumerated, bulk IN and OUT contexts ready. */
static int env_up(struct env *e, const char *name, const struct usbdev_gzero_opts *opts,
		  unsigned int config)
{
	return env_up_bulk(e, name, opts, config, true);
}

static void env_down(struct env *e, const char *name, bool passed)
{
	bool clean = st_contained(&e->t, name);

	if (passed && clean)
		st_pass(name);
	st_fini(&e->t);
	if (e->dev)
		usbdev_destroy(e->dev);
}

static void fill_random(uint8_t *p, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (uint8_t)(seed >> 16);
	}
}

/* Queue a TD on ring r of context ctx, ring the doorbell, wait for its event. */
static int xfer(struct env *e, unsigned int ctx, struct kf_ring *r, const uint64_t *a, const uint32_t *l,
		unsigned int n, uint32_t extra, struct kf_evt *ev)
{
	st_queue_td(&e->t, r, a, l, n, extra);
	st_doorbell(&e->t, ctx);
	return st_wait_xfer(&e->t, ctx, ev, 200 * MS);
}

/* ------------------------------------------------------------------ tests */

static void t_enumerate(void)
{
	const char *name = tname("enumerate");
	struct env e;

	if (env_up(&e, name, NULL, 3))
		return env_down(&e, name, false);
	if (e.dev->addr != DEV_ADDR || e.dev->config != 3)
		st_fail(name, "device has address %u configuration %u", e.dev->addr, e.dev->config);
	env_down(&e, name, e.dev->addr == DEV_ADDR && e.dev->config == 3);
}

/*
 * Loopback configuration: data goes out through a scatter chain of odd sizes and addresses and
 * comes back through a differently cut chain; every byte must survive.
 */
static void t_bulk_sg(void)
{
	const char *name = tname("bulk-scatter-gather");
	static const uint32_t out_len[] = { 1, 1, 1, 61, 64, 3, 130, 1, 186, 64, 1, 63 };
	static const uint32_t in_len[] = { 7, 1, 100, 50, 1, 65, 64, 128, 1, 1, 158 };
	struct usbdev_gzero_opts o = { .loopback_first = false };
	unsigned int nout = sizeof(out_len) / sizeof(out_len[0]), nin = sizeof(in_len) / sizeof(in_len[0]);
	uint64_t oa[16], ia[16];
	uint32_t total = 0, total_in = 0;
	struct kf_evt ev;
	struct env e;
	bool ok = true;

	if (env_up(&e, name, &o, 2))
		return env_down(&e, name, false);
	for (unsigned int i = 0; i < nout; i++)
		total += out_len[i];
	for (unsigned int i = 0; i < nin; i++)
		total_in += in_len[i];
	if (total != total_in || total % 64) {
		st_fail(name, "test bug: %u out, %u in", total, total_in);
		return env_down(&e, name, false);
	}
	uint8_t *src = malloc(total), *got = malloc(total);

	fill_random(src, total, 42);
	for (unsigned int i = 0, off = 0; i < nout; off += out_len[i], i++) {
		/* odd addresses, alternately in the low and the high (above 4 GiB) window */
		oa[i] = st_alloc(&e.t, out_len[i] + 3, 1, i & 1, false) + (i % 3);
		memcpy(st_ptr(&e.t, oa[i]), src + off, out_len[i]);
	}
	for (unsigned int i = 0; i < nin; i++)
		ia[i] = st_alloc(&e.t, in_len[i] + 5, 1, !(i & 1), true) + 0;
	if (xfer(&e, CTX_BULK_OUT, &e.out, oa, out_len, nout, 0, &ev) || ev.code != KITE_EVT_CODE_SUCCESS) {
		st_fail(name, "OUT TD: code %u residual %u %s", ev.code, ev.residual, e.t.why);
		ok = false;
	}
	if (ok && (xfer(&e, CTX_BULK_IN, &e.in, ia, in_len, nin, 0, &ev) ||
		   ev.code != KITE_EVT_CODE_SUCCESS || ev.residual)) {
		st_fail(name, "IN TD: code %u residual %u %s", ev.code, ev.residual, e.t.why);
		ok = false;
	}
	for (unsigned int i = 0, off = 0; ok && i < nin; off += in_len[i], i++)
		memcpy(got + off, st_ptr(&e.t, ia[i]), in_len[i]);
	if (ok && memcmp(src, got, total)) {
		unsigned int k = 0;

		while (src[k] == got[k])
			k++;
		st_fail(name, "data differs at byte %u of %u: sent 0x%02x got 0x%02x", k, total, src[k], got[k]);
		ok = false;
	}
	free(src);
	free(got);
	env_down(&e, name, ok);
}

/* ZLP flag on a multiple of MPS, a zero-length TD, and short packets ending IN TDs. */
static void t_zlp_short(void)
{
	const char *name = tname("zlp-and-short-packets");
	struct kf_evt ev;
	struct env e;
	bool ok = true;

	if (env_up(&e, name, NULL, 2))
		return env_down(&e, name, false);
	uint64_t ob = st_alloc(&e.t, 256, 1, false, false), ib = st_alloc(&e.t, 256, 1, false, true);
	uint64_t ib2 = st_alloc(&e.t, 200, 1, false, true);
	uint32_t l128 = 128, l256 = 256, l0 = 0, l100 = 100;

	fill_random(st_ptr(&e.t, ob), 256, 7);
	/* 128 bytes + ZLP: the loopback sends back 64, 64, then a zero-length packet. */
	if (xfer(&e, CTX_BULK_OUT, &e.out, &ob, &l128, 1, KITE_TRB_DW3_ZLP_MASK, &ev) ||
	    ev.code != KITE_EVT_CODE_SUCCESS) {
		st_fail(name, "OUT 128 + ZLP: code %u %s", ev.code, e.t.why);
		ok = false;
	}
	if (ok && (xfer(&e, CTX_BULK_IN, &e.in, &ib, &l256, 1, KITE_TRB_DW3_ISP_MASK, &ev) ||
		   ev.code != KITE_EVT_CODE_SHORT_PACKET || ev.residual != 128 ||
		   memcmp(st_ptr(&e.t, ib), st_ptr(&e.t, ob), 128))) {
		st_fail(name, "IN 256 after 128+ZLP: code %u residual %u (want SHORT_PACKET, 128) %s",
			ev.code, ev.residual, e.t.why);
		ok = false;
	}
	/* A zero-length TD sends one zero-length packet. */
	if (ok && (xfer(&e, CTX_BULK_OUT, &e.out, &ob, &l0, 1, 0, &ev) || ev.code != KITE_EVT_CODE_SUCCESS)) {
		st_fail(name, "zero-length OUT TD: code %u %s", ev.code, e.t.why);
		ok = false;
	}
	if (ok && (xfer(&e, CTX_BULK_IN, &e.in, &ib, &l256, 1, KITE_TRB_DW3_ISP_MASK, &ev) ||
		   ev.code != KITE_EVT_CODE_SHORT_PACKET || ev.residual != 256)) {
		st_fail(name, "IN after a zero-length OUT: code %u residual %u %s", ev.code, ev.residual, e.t.why);
		ok = false;
	}
	/* 100 bytes come back as 64 + 36 into a TD of two TRBs (80 + 120): short in the second. */
	if (ok && (xfer(&e, CTX_BULK_OUT, &e.out, &ob, &l100, 1, 0, &ev) || ev.code != KITE_EVT_CODE_SUCCESS)) {
		st_fail(name, "OUT 100: code %u %s", ev.code, e.t.why);
		ok = false;
	}
	if (ok) {
		uint64_t a[2] = { ib, ib2 };
		uint32_t l[2] = { 80, 120 };
		uint64_t last = st_queue_td(&e.t, &e.in, a, l, 2, KITE_TRB_DW3_ISP_MASK);

		st_doorbell(&e.t, CTX_BULK_IN);
		if (st_wait_xfer(&e.t, CTX_BULK_IN, &ev, 200 * MS) || ev.code != KITE_EVT_CODE_SHORT_PACKET ||
		    ev.ptr != last || ev.residual != 100 ||
		    memcmp(st_ptr(&e.t, ib), st_ptr(&e.t, ob), 80) ||
		    memcmp(st_ptr(&e.t, ib2), (uint8_t *)st_ptr(&e.t, ob) + 80, 20)) {
			st_fail(name, "100 bytes into 80+120: code %u residual %u ptr %s (want SHORT_PACKET, 100, 2nd TRB) %s",
				ev.code, ev.residual, ev.ptr == last ? "2nd TRB" : "other", e.t.why);
			ok = false;
		}
	}
	/* The ring goes on after a short packet. */
	if (ok && (xfer(&e, CTX_BULK_OUT, &e.out, &ob, &l128, 1, 0, &ev) || ev.code != KITE_EVT_CODE_SUCCESS ||
		   xfer(&e, CTX_BULK_IN, &e.in, &ib, &l128, 1, 0, &ev) || ev.code != KITE_EVT_CODE_SUCCESS)) {
		st_fail(name, "transfer after the short packet: code %u %s", ev.code, e.t.why);
		ok = false;
	}
	env_down(&e, name, ok);
}

/* Interrupt IN polled at its interval: completions come that many frames apart. */
static void t_interrupt_interval(void)
{
	const char *name = tname("interrupt-interval");
	struct usbdev_gzero_opts o = { .intr = true, .pattern = 1 };
	const unsigned int interval = 8;
	unsigned int frames[6];
	struct kf_evt ev;
	struct env e;
	bool ok = true;

	if (env_up(&e, name, &o, 3))
		return env_down(&e, name, false);
	st_ring_init(&e.t, &e.intr, 32, false);
	if (st_ctx_setup(&e.t, CTX_INT_IN, DEV_ADDR, 3, true, KITE_CTX_CFG0_TYPE_INTERRUPT, false, 64, 0,
			 interval, &e.intr)) {
		st_fail(name, "context: %s", e.t.why);
		return env_down(&e, name, false);
	}
	uint64_t buf = st_alloc(&e.t, 6 * 64, 1, false, true);
	uint32_t l64 = 64;

	for (unsigned int i = 0; i < 6; i++) {
		uint64_t a = buf + 64 * i;

		st_queue_td(&e.t, &e.intr, &a, &l64, 1, 0);
	}
	st_doorbell(&e.t, CTX_INT_IN);
	for (unsigned int i = 0; ok && i < 6; i++) {
		if (st_wait_xfer(&e.t, CTX_INT_IN, &ev, 100 * MS) || ev.code != KITE_EVT_CODE_SUCCESS) {
			st_fail(name, "TD %u: code %u %s", i, ev.code, e.t.why);
			ok = false;
		}
		frames[i] = st_rd(&e.t, KITE_REG_FRAME) & 0x7ff;
	}
	for (unsigned int i = 1; ok && i < 6; i++) {
		unsigned int d = (frames[i] - frames[i - 1]) & 0x7ff;

		if (d < interval - 1 || d > interval + 1) {
			st_fail(name, "completions %u and %u are %u frames apart, interval %u (frames %u %u %u %u %u %u)", i - 1, i, d, interval, frames[0], frames[1], frames[2], frames[3], frames[4], frames[5]);
			ok = false;
		}
	}
	uint8_t *p = st_ptr(&e.t, buf);

	for (unsigned int i = 0; ok && i < 64; i++)
		if (p[i] != usbdev_gzero_pattern_byte(1, i, 64)) {
			st_fail(name, "interrupt data byte %u is 0x%02x", i, p[i]);
			ok = false;
		}
	env_down(&e, name, ok);
}

/* Isochronous IN and OUT in alt setting 1, ASAP and at a frame already past. */
static void t_isoch(void)
{
	const char *name = tname("isochronous");
	struct usbdev_gzero_opts o = { .pattern = 1, .iso_mps = 256, .iso_interval = 1 };
	uint8_t set_alt[8] = { 0x01, 11, 1, 0, 0, 0, 0, 0 };
	struct usbdev_gzero_stats gs;
	unsigned int got;
	struct kf_evt ev;
	struct env e;
	bool ok = true;

	if (env_up_bulk(&e, name, &o, 3, false))
		return env_down(&e, name, false);
	if (st_control(&e.t, CTX_EP0, &e.ep0, set_alt, 0, 0, &got) != KITE_EVT_CODE_SUCCESS) {
		st_fail(name, "SET_INTERFACE(0, 1): %s", e.t.why);
		return env_down(&e, name, false);
	}
	st_ring_init(&e.t, &e.iso_in, 32, false);
	st_ring_init(&e.t, &e.iso_out, 32, false);
	if (st_ctx_setup(&e.t, CTX_ISO_IN, DEV_ADDR, 2, true, KITE_CTX_CFG0_TYPE_ISOCH, false, 256, 0, 1,
			 &e.iso_in) ||
	    st_ctx_setup(&e.t, CTX_ISO_OUT, DEV_ADDR, 2, false, KITE_CTX_CFG0_TYPE_ISOCH, false, 256, 0, 1,
			 &e.iso_out)) {
		st_fail(name, "contexts: %s", e.t.why);
		return env_down(&e, name, false);
	}
	uint64_t ib = st_alloc(&e.t, 4 * 256, 1, false, true), ob = st_alloc(&e.t, 4 * 200, 1, false, false);
	uint32_t asap = KITE_TRB_DW3_ASAP_MASK | (KITE_TRB_TYPE_ISOCH << KITE_TRB_DW3_TYPE_SHIFT) |
			KITE_TRB_DW3_IOC_MASK;

	for (unsigned int i = 0; i < 200 * 4; i++)
		((uint8_t *)st_ptr(&e.t, ob))[i] = usbdev_gzero_pattern_byte(1, i % 200, 256);
	for (unsigned int i = 0; i < 4; i++) {
		st_ring_put(&e.t, &e.iso_in, ib + 256 * i, 256, asap);
		st_ring_put(&e.t, &e.iso_out, ob + 200 * i, 200, asap);
	}
	st_doorbell(&e.t, CTX_ISO_IN);
	st_doorbell(&e.t, CTX_ISO_OUT);
	unsigned int in_done = 0, out_done = 0;

	while (ok && in_done + out_done < 8) {
		if (st_next_event(&e.t, &ev, 50 * MS)) {
			st_fail(name, "after %u IN and %u OUT: %s", in_done, out_done, e.t.why);
			ok = false;
			break;
		}
		if (ev.type != KITE_EVT_TYPE_TRANSFER)
			continue;
		if (ev.code != KITE_EVT_CODE_SUCCESS && ev.code != KITE_EVT_CODE_SHORT_PACKET) {
			st_fail(name, "iso %s TRB: code %u", ev.ctx == CTX_ISO_IN ? "IN" : "OUT", ev.code);
			ok = false;
		}
		if (ev.ctx == CTX_ISO_IN)
			in_done++;
		else
			out_done++;
	}
	uint8_t *p = st_ptr(&e.t, ib);

	for (unsigned int i = 0; ok && i < 256; i++)
		if (p[i] != usbdev_gzero_pattern_byte(1, i, 256)) {
			st_fail(name, "iso IN byte %u is 0x%02x", i, p[i]);
			ok = false;
		}
	usbdev_gzero_get_stats(e.dev, &gs);
	if (ok && gs.iso_out_bytes != 4 * 200) {
		st_fail(name, "device received %llu iso OUT bytes, expected 800", (unsigned long long)gs.iso_out_bytes);
		ok = false;
	}
	/* A TRB for a frame that has passed is skipped with MISSED_SERVICE. */
	unsigned int now = st_rd(&e.t, KITE_REG_FRAME) & 0x7ff;

	st_ring_put(&e.t, &e.iso_in, ib, 256, (KITE_TRB_TYPE_ISOCH << KITE_TRB_DW3_TYPE_SHIFT) |
		    KITE_TRB_DW3_IOC_MASK | (((now - 20) & 0x7ff) << KITE_TRB_DW3_FRAME_SHIFT));
	st_doorbell(&e.t, CTX_ISO_IN);
	if (ok && (st_wait_xfer(&e.t, CTX_ISO_IN, &ev, 50 * MS) || ev.code != KITE_EVT_CODE_MISSED_SERVICE)) {
		st_fail(name, "TRB for a past frame: code %u (want MISSED_SERVICE) %s", ev.code, e.t.why);
		ok = false;
	}
	env_down(&e, name, ok);
}

/* Bring a halted context back: RESET_EP, SET_DEQ past the failed TD, clear the device's halt. */
static int recover(struct env *e, unsigned int ctx, struct kf_ring *r, unsigned int ep_addr, bool stall)
{
	uint64_t deq = r->base + (uint64_t)r->enq * KITE_TRB_BYTES;
	unsigned int got;

	if (st_command(&e->t, KITE_CMD_OP_RESET_EP, ctx, 0) != KITE_EVT_CODE_SUCCESS)
		return -1;
	if (st_command(&e->t, KITE_CMD_OP_SET_DEQ, ctx, deq | r->pcs) != KITE_EVT_CODE_SUCCESS)
		return -2;
	if (stall) {
		uint8_t clear[8] = { 0x02, 1, 0, 0, (uint8_t)ep_addr, 0, 0, 0 };

		if (st_control(&e->t, CTX_EP0, &e->ep0, clear, 0, 0, &got) != KITE_EVT_CODE_SUCCESS)
			return -3;
	} else {
		/* The device still counts its toggle; the host reset its own: resync both. */
		usbdev_fault(e->dev, ep_addr, USBDEV_FAULT_NONE, 0);
		e->dev->ep[ep_addr >> 7][ep_addr & 0xf].toggle = 0;
	}
	return 0;
}

struct fault_case {
	const char *name;
	enum usbdev_fault fault;
	unsigned int count;
	unsigned int want;        /* completion code of the IN TD */
	bool halts;
	bool line_only;
};

/*
 * Each fault control on the bulk IN endpoint gives its documented completion code, while the
 * bulk OUT endpoint of the same device keeps working in the same frames.
 */
static const struct fault_case fault_cases[] = {
	{ "nak", USBDEV_FAULT_NAK, 20, KITE_EVT_CODE_SUCCESS, false, false },
	{ "toggle", USBDEV_FAULT_TOGGLE, 1, KITE_EVT_CODE_SUCCESS, false, false },
	{ "stall", USBDEV_FAULT_STALL, 1, KITE_EVT_CODE_STALL, true, false },
	{ "silent", USBDEV_FAULT_SILENT, 3, KITE_EVT_CODE_TRANSACTION_ERROR, true, false },
	{ "crc", USBDEV_FAULT_CRC, 3, KITE_EVT_CODE_TRANSACTION_ERROR, true, false },
	{ "stuff", USBDEV_FAULT_STUFF, 3, KITE_EVT_CODE_TRANSACTION_ERROR, true, false },
	{ "babble", USBDEV_FAULT_BABBLE, 1, KITE_EVT_CODE_BABBLE, true, false },
	{ "silent-twice", USBDEV_FAULT_SILENT, 2, KITE_EVT_CODE_SUCCESS, false, false },
};

static void t_faults(void)
{
	const struct fault_case *cases = fault_cases;
	struct usbdev_gzero_opts o = { .pattern = 1 };
	struct env e;
	char nm[128];

	snprintf(nm, sizeof(nm), "%s", tname("faults"));
	if (env_up(&e, nm, &o, 3))
		return env_down(&e, nm, false);
	uint64_t ib = st_alloc(&e.t, 512, 1, false, true), ob = st_alloc(&e.t, 512, 1, false, false);
	uint32_t l256 = 256, l512 = 512;

	for (unsigned int i = 0; i < 512; i++)
		((uint8_t *)st_ptr(&e.t, ob))[i] = usbdev_gzero_pattern_byte(1, i % 64, 64);
	for (size_t c = 0; c < KT_ARRAY_SIZE(fault_cases); c++) {
		const struct fault_case *fc = &cases[c];
		char cname[160];
		struct kf_evt ev;
		bool ok = true, in_seen = false, out_seen = false;

		snprintf(cname, sizeof(cname), "systest-fault-%s%s", fc->name, suffix);
		memset(st_ptr(&e.t, ib), 0xee, 512);
		usbdev_fault(e.dev, 0x81, fc->fault, fc->count);
		st_queue_td(&e.t, &e.in, &ib, &l256, 1, 0);
		st_queue_td(&e.t, &e.out, &ob, &l512, 1, 0);
		st_doorbell(&e.t, CTX_BULK_IN);
		st_doorbell(&e.t, CTX_BULK_OUT);
		while (ok && !(in_seen && out_seen)) {
			if (st_next_event(&e.t, &ev, 200 * MS)) {
				st_fail(cname, "IN %s, OUT %s: %s", in_seen ? "done" : "pending",
					out_seen ? "done" : "pending", e.t.why);
				ok = false;
				break;
			}
			if (ev.type != KITE_EVT_TYPE_TRANSFER)
				continue;
			if (ev.ctx == CTX_BULK_OUT) {
				out_seen = true;
				if (ev.code != KITE_EVT_CODE_SUCCESS) {
					st_fail(cname, "the other endpoint (bulk OUT) failed with code %u", ev.code);
					ok = false;
				}
			} else if (ev.ctx == CTX_BULK_IN) {
				in_seen = true;
				if (ev.code != fc->want) {
					st_fail(cname, "bulk IN completed with code %u, expected %u", ev.code, fc->want);
					ok = false;
				}
			}
		}
		unsigned int state = st_ctx_state(&e.t, CTX_BULK_IN);

		if (ok && fc->halts != (state == KITE_CTX_STATE_STATE_HALTED)) {
			st_fail(cname, "context state %u after the fault", state);
			ok = false;
		}
		if (ok && !fc->halts) {
			for (unsigned int i = 0; i < 256; i++)
				if (((uint8_t *)st_ptr(&e.t, ib))[i] != usbdev_gzero_pattern_byte(1, i % 64, 64)) {
					st_fail(cname, "data byte %u is 0x%02x", i, ((uint8_t *)st_ptr(&e.t, ib))[i]);
					ok = false;
					break;
				}
		}
		if (ok && fc->halts) {
			int rc = recover(&e, CTX_BULK_IN, &e.in, 0x81, fc->fault == USBDEV_FAULT_STALL);

			if (rc) {
				st_fail(cname, "recovery step %d failed: %s", -rc, e.t.why);
				ok = false;
			}
			/* and the endpoint works again */
			if (ok && (xfer(&e, CTX_BULK_IN, &e.in, &ib, &l256, 1, 0, &ev) ||
				   ev.code != KITE_EVT_CODE_SUCCESS)) {
				st_fail(cname, "after recovery: code %u %s", ev.code, e.t.why);
				ok = false;
			}
		}
		if (ok)
			st_pass(cname);
		if (!ok)
			break;
	}
	/* Disconnect in the middle of a transfer: NOT_CONNECTED and a port change. */
	if (!st_failures) {
		const char *cname = tname("fault-disconnect");
		struct kf_evt ev;
		bool port_event = false, ok = true;
		uint32_t big = 4096;
		uint64_t bb = st_alloc(&e.t, 4096, 1, false, true);

		usbdev_fault(e.dev, 0x81, USBDEV_FAULT_DISCONNECT, 10);
		st_queue_td(&e.t, &e.in, &bb, &big, 1, 0);
		st_doorbell(&e.t, CTX_BULK_IN);
		for (;;) {
			if (st_next_event(&e.t, &ev, 200 * MS)) {
				st_fail(cname, "%s", e.t.why);
				ok = false;
				break;
			}
			if (ev.type == KITE_EVT_TYPE_PORT) {
				port_event = true;
				continue;
			}
			if (ev.type == KITE_EVT_TYPE_TRANSFER && ev.ctx == CTX_BULK_IN) {
				if (ev.code != KITE_EVT_CODE_NOT_CONNECTED && ev.code != KITE_EVT_CODE_TRANSACTION_ERROR) {
					st_fail(cname, "code %u (want NOT_CONNECTED or TRANSACTION_ERROR)", ev.code);
					ok = false;
				}
				break;
			}
		}
		st_tick(&e.t, 2 * MS);
		uint32_t ps = st_rd(&e.t, KITE_REG_PORTSC(0));

		if (ok && ((ps & KITE_PORTSC_CONNECTED_MASK) || !(ps & KITE_PORTSC_CSC_MASK))) {
			st_fail(cname, "PORTSC 0x%08x: still connected or no connect change", ps);
			ok = false;
		}
		(void)port_event;
		if (ok)
			st_pass(cname);
	}
	env_down(&e, nm, !st_failures);
}

/* AXI error responses: on a TRB fetch and on data; only the affected context halts. */
static void t_bus_errors(void)
{
	const char *name = tname("bus-errors");
	struct kf_evt ev;
	struct env e;
	bool ok = true;

	if (env_up(&e, name, NULL, 3))
		return env_down(&e, name, false);
	uint64_t bad = st_alloc(&e.t, 256, 64, false, true), good = st_alloc(&e.t, 256, 1, false, true);
	uint64_t ob = st_alloc(&e.t, 256, 1, false, false);
	uint32_t l256 = 256;

	/* Data: the IN buffer answers writes with an error. */
	st_fault_range(&e.t, bad, bad + 256, true, true);
	st_queue_td(&e.t, &e.in, &bad, &l256, 1, 0);
	st_queue_td(&e.t, &e.out, &ob, &l256, 1, 0);
	st_doorbell(&e.t, CTX_BULK_IN);
	st_doorbell(&e.t, CTX_BULK_OUT);
	unsigned int seen = 0;

	while (ok && seen < 2) {
		if (st_next_event(&e.t, &ev, 200 * MS)) {
			st_fail(name, "data error: %s", e.t.why);
			ok = false;
			break;
		}
		if (ev.type != KITE_EVT_TYPE_TRANSFER)
			continue;
		seen++;
		if (ev.ctx == CTX_BULK_IN && ev.code != KITE_EVT_CODE_BUS_ERROR) {
			st_fail(name, "IN into an erroring buffer: code %u (want BUS_ERROR)", ev.code);
			ok = false;
		}
		if (ev.ctx == CTX_BULK_OUT && ev.code != KITE_EVT_CODE_SUCCESS) {
			st_fail(name, "the other context: code %u", ev.code);
			ok = false;
		}
	}
	if (ok && st_ctx_state(&e.t, CTX_BULK_IN) != KITE_CTX_STATE_STATE_HALTED) {
		st_fail(name, "IN context not halted after the bus error");
		ok = false;
	}
	st_fault_clear(&e.t);
	/* TRB fetch: a fresh ring in a range that answers reads with an error. */
	if (ok) {
		struct kf_ring r;

		st_ring_init(&e.t, &r, 16, false);
		st_ring_put(&e.t, &r, good, 256, (KITE_TRB_TYPE_NORMAL << KITE_TRB_DW3_TYPE_SHIFT) |
			    KITE_TRB_DW3_IOC_MASK);
		st_fault_range(&e.t, r.base, r.base + 16 * KITE_TRB_BYTES, true, false);
		if (st_command(&e.t, KITE_CMD_OP_RESET_EP, CTX_BULK_IN, 0) != KITE_EVT_CODE_SUCCESS ||
		    st_command(&e.t, KITE_CMD_OP_SET_DEQ, CTX_BULK_IN, r.base | 1) != KITE_EVT_CODE_SUCCESS) {
			st_fail(name, "RESET_EP/SET_DEQ: %s", e.t.why);
			ok = false;
		}
		st_doorbell(&e.t, CTX_BULK_IN);
		if (ok && (st_wait_xfer(&e.t, CTX_BULK_IN, &ev, 100 * MS) || ev.code != KITE_EVT_CODE_BUS_ERROR)) {
			st_fail(name, "TRB fetch from an erroring address: code %u (want BUS_ERROR) %s", ev.code, e.t.why);
			ok = false;
		}
		st_fault_clear(&e.t);
		/* The OUT context was never affected. */
		if (ok && (xfer(&e, CTX_BULK_OUT, &e.out, &ob, &l256, 1, 0, &ev) || ev.code != KITE_EVT_CODE_SUCCESS)) {
			st_fail(name, "OUT after the IN context's bus errors: code %u %s", ev.code, e.t.why);
			ok = false;
		}
	}
	env_down(&e, name, ok);
}

/* Wait for context ctx's next event: SUCCESS with nothing left, else a FAIL line. */
static bool in_done(struct env *e, const char *name, const char *what, unsigned int i,
		    unsigned int ctx, uint64_t max_cycles)
{
	struct kf_evt ev = { 0 };

	if (!st_wait_xfer(&e->t, ctx, &ev, max_cycles) && ev.code == KITE_EVT_CODE_SUCCESS &&
	    !ev.residual)
		return true;
	st_fail(name, "%s %u: code %u residual %u %s", what, i, ev.code, ev.residual, e->t.why);
	return false;
}

/* Gadget zero's source pattern in packets of mps bytes, else a FAIL line. */
static bool in_pattern(const char *name, const char *what, unsigned int i, const uint8_t *p,
		       unsigned int n, unsigned int mps)
{
	for (unsigned int k = 0; k < n; k++) {
		uint8_t want = usbdev_gzero_pattern_byte(USBDEV_GZ_PATTERN_MOD63, k, mps);

		if (p[k] != want) {
			st_fail(name, "%s %u: byte %u of %u is 0x%02x, expected 0x%02x", what, i, k, n,
				p[k], want);
			return false;
		}
	}
	return true;
}

/*
 * IN at full rate through a slow bus clock (make systest: --usb-per-bus 8 --latency 500, and
 * --usb-per-bus 48, a 1 MHz bus clock that pops IN bytes slower than a full-speed line brings
 * them): the USB engine cannot stall a packet coming off the wire, so the usb -> bus FIFO must
 * have room for the whole packet. Bulk IN: 4 TDs of 2 KiB (64-byte packets, TRBs of odd sizes)
 * queued at once; isochronous IN: 1023-byte packets. Every byte is checked against gadget
 * zero's source pattern, and every completion code.
 */
#define SLOW_TDS 4
#define SLOW_TD_BYTES 2048
#define SLOW_ISO 4
#define SLOW_ISO_MPS 1023

static void t_in_slow_bus(void)
{
	const char *name = tname("in-slow-bus");
	static const uint32_t cut[] = { 1000, 1, 511, 536 };
	struct usbdev_gzero_opts o = { .pattern = USBDEV_GZ_PATTERN_MOD63, .iso_mps = SLOW_ISO_MPS,
				       .iso_interval = 1 };
	uint8_t set_alt[8] = { 0x01, 11, 1, 0, 0, 0, 0, 0 };
	unsigned int ncut = sizeof(cut) / sizeof(cut[0]), got;
	uint64_t a[SLOW_TDS][4], ib;
	uint8_t *data = malloc(SLOW_TD_BYTES);
	struct env e;
	bool ok = true;

	if (!data || env_up(&e, name, &o, 3)) {
		free(data);
		return env_down(&e, name, false);
	}
	for (unsigned int td = 0; td < SLOW_TDS; td++) {
		for (unsigned int i = 0; i < ncut; i++)
			a[td][i] = st_alloc(&e.t, cut[i] + 3, 1, td & 1, true) + (i % 3);
		st_queue_td(&e.t, &e.in, a[td], cut, ncut, 0);
	}
	st_doorbell(&e.t, CTX_BULK_IN);
	for (unsigned int td = 0; ok && td < SLOW_TDS; td++) {
		ok = in_done(&e, name, "bulk IN TD", td, CTX_BULK_IN, 500 * MS);
		for (unsigned int i = 0, off = 0; ok && i < ncut; off += cut[i], i++)
			memcpy(data + off, st_ptr(&e.t, a[td][i]), cut[i]);
		ok = ok && in_pattern(name, "bulk IN TD", td, data, SLOW_TD_BYTES, 64);
	}
	free(data);
	if (ok && st_control(&e.t, CTX_EP0, &e.ep0, set_alt, 0, 0, &got) != KITE_EVT_CODE_SUCCESS) {
		st_fail(name, "SET_INTERFACE(0, 1): %s", e.t.why);
		ok = false;
	}
	st_ring_init(&e.t, &e.iso_in, 32, false);
	if (ok && st_ctx_setup(&e.t, CTX_ISO_IN, DEV_ADDR, 2, true, KITE_CTX_CFG0_TYPE_ISOCH, false,
			       SLOW_ISO_MPS, 0, 1, &e.iso_in)) {
		st_fail(name, "iso context: %s", e.t.why);
		ok = false;
	}
	ib = st_alloc(&e.t, SLOW_ISO * SLOW_ISO_MPS, 1, false, true);
	for (unsigned int i = 0; ok && i < SLOW_ISO; i++)
		st_ring_put(&e.t, &e.iso_in, ib + SLOW_ISO_MPS * i, SLOW_ISO_MPS,
			    KITE_TRB_DW3_ASAP_MASK | KITE_TRB_DW3_IOC_MASK |
			    (KITE_TRB_TYPE_ISOCH << KITE_TRB_DW3_TYPE_SHIFT));
	if (ok)
		st_doorbell(&e.t, CTX_ISO_IN);
	for (unsigned int i = 0; ok && i < SLOW_ISO; i++)
		ok = in_done(&e, name, "iso IN TRB", i, CTX_ISO_IN, 100 * MS) &&
		     in_pattern(name, "iso IN TRB", i, st_ptr(&e.t, ib + SLOW_ISO_MPS * i),
				SLOW_ISO_MPS, SLOW_ISO_MPS);
	env_down(&e, name, ok);
}

/* ------------------------------------------------------------------ main */

/* Faults on the bulk OUT endpoint while its TDs span several packets, so the next packet is
 * always prefetched behind the one on the wire: after a NAK or an error the prefetched bytes
 * must be taken back and the packet on the wire sent again first, after a halt nothing of the
 * failed TD may reach the device later. Gadget zero loops the OUT packets back (configuration
 * 2); every TD carries different data, and reading it back shows any packet lost, repeated or
 * out of order. */
static const struct fault_case out_fault_cases[] = {
	{ "nak", USBDEV_FAULT_NAK, 20, KITE_EVT_CODE_SUCCESS, false, false },
	{ "silent-twice", USBDEV_FAULT_SILENT, 2, KITE_EVT_CODE_SUCCESS, false, false },
	{ "stall", USBDEV_FAULT_STALL, 1, KITE_EVT_CODE_STALL, true, false },
	{ "silent", USBDEV_FAULT_SILENT, 3, KITE_EVT_CODE_TRANSACTION_ERROR, true, false },
};

static void t_out_faults(void)
{
	const struct fault_case *cases = out_fault_cases;
	struct usbdev_gzero_opts o = { .loop_qlen = 64 };
	struct env e;
	char nm[128];
	bool all_ok = true;

	snprintf(nm, sizeof(nm), "%s", tname("out-faults"));
	if (env_up(&e, nm, &o, 2))
		return env_down(&e, nm, false);
	uint64_t ob[3], ib = st_alloc(&e.t, 1024, 1, false, true);
	uint32_t l512 = 512, l1024 = 1024;

	for (unsigned int k = 0; k < 3; k++)
		ob[k] = st_alloc(&e.t, 512, 1, false, false);
	for (size_t c = 0; c < KT_ARRAY_SIZE(out_fault_cases); c++) {
		const struct fault_case *fc = &cases[c];
		uint64_t last = fc->halts ? ob[2] : ob[1];   /* the second TD that reaches the device */
		char cname[160];
		struct kf_evt ev;
		bool ok = true;

		snprintf(cname, sizeof(cname), "systest-out-fault-%s%s", fc->name, suffix);
		for (unsigned int k = 0; k < 3; k++)
			fill_random(st_ptr(&e.t, ob[k]), 512, (uint32_t)(c * 3 + k + 1));
		/* a clean TD first, then one that meets the fault while a packet is prefetched */
		if (xfer(&e, CTX_BULK_OUT, &e.out, &ob[0], &l512, 1, 0, &ev) || ev.code != KITE_EVT_CODE_SUCCESS) {
			st_fail(cname, "clean TD: code %u %s", ev.code, e.t.why);
			ok = false;
		}
		usbdev_fault(e.dev, 0x01, fc->fault, fc->count);
		if (ok && (xfer(&e, CTX_BULK_OUT, &e.out, &ob[1], &l512, 1, 0, &ev) || ev.code != fc->want)) {
			st_fail(cname, "TD with the fault: code %u (want %u) %s", ev.code, fc->want, e.t.why);
			ok = false;
		}
		if (ok && fc->halts && (recover(&e, CTX_BULK_OUT, &e.out, 0x01,
						 fc->fault == USBDEV_FAULT_STALL) ||
					xfer(&e, CTX_BULK_OUT, &e.out, &ob[2], &l512, 1, 0, &ev) ||
					ev.code != KITE_EVT_CODE_SUCCESS)) {
			st_fail(cname, "after recovery: code %u %s", ev.code, e.t.why);
			ok = false;
		}
		/* what the device got, looped back: the clean TD, then the second one, exactly */
		memset(st_ptr(&e.t, ib), 0xee, 1024);
		if (ok && (xfer(&e, CTX_BULK_IN, &e.in, &ib, &l1024, 1, 0, &ev) || ev.code != KITE_EVT_CODE_SUCCESS)) {
			st_fail(cname, "reading the loop back: code %u %s", ev.code, e.t.why);
			ok = false;
		}
		if (ok && (memcmp(st_ptr(&e.t, ib), st_ptr(&e.t, ob[0]), 512) ||
			   memcmp((uint8_t *)st_ptr(&e.t, ib) + 512, st_ptr(&e.t, last), 512))) {
			st_fail(cname, "the device did not get the two TDs' data, in order and once");
			ok = false;
		}
		if (ok)
			st_pass(cname);
		all_ok = all_ok && ok;
		if (!ok)
			break;
	}
	env_down(&e, nm, all_ok);
}

/* An OUT packet whose gathering fails halfway (its second TRB points at memory that answers
 * reads with an error): BUS_ERROR, and the bytes gathered before the error never reach the
 * device; the next packet after RESET_EP/SET_DEQ arrives intact (gadget zero checks the
 * pattern of every OUT packet). */
static void t_out_gather_error(void)
{
	const char *name = tname("out-gather-error");
	struct usbdev_gzero_opts o = { .pattern = 1 };
	struct usbdev_gzero_stats gs0, gs1;
	struct kf_ring r;
	struct kf_evt ev;
	struct env e;
	bool ok = true;

	if (env_up(&e, name, &o, 3))
		return env_down(&e, name, false);
	uint64_t seg[2] = { st_alloc(&e.t, 40, 1, false, false), st_alloc(&e.t, 64, 64, false, false) };
	uint64_t good = st_alloc(&e.t, 64, 1, false, false);
	uint32_t len[2] = { 40, 24 }, l64 = 64;
	uint8_t *p = st_ptr(&e.t, seg[0]), *g = st_ptr(&e.t, good);

	for (unsigned int i = 0; i < 64; i++) {
		if (i < 40)
			p[i] = usbdev_gzero_pattern_byte(1, i, 64);
		g[i] = usbdev_gzero_pattern_byte(1, i, 64);
	}
	st_fault_range(&e.t, seg[1], seg[1] + 64, true, false);
	usbdev_gzero_get_stats(e.dev, &gs0);
	if (xfer(&e, CTX_BULK_OUT, &e.out, seg, len, 2, 0, &ev) || ev.code != KITE_EVT_CODE_BUS_ERROR) {
		st_fail(name, "OUT gathered from an erroring TRB: code %u (want BUS_ERROR) %s", ev.code,
			e.t.why);
		ok = false;
	}
	st_fault_clear(&e.t);
	st_ring_init(&e.t, &r, 16, false);
	if (ok && (st_command(&e.t, KITE_CMD_OP_RESET_EP, CTX_BULK_OUT, 0) != KITE_EVT_CODE_SUCCESS ||
		   st_command(&e.t, KITE_CMD_OP_SET_DEQ, CTX_BULK_OUT, r.base | 1) != KITE_EVT_CODE_SUCCESS)) {
		st_fail(name, "RESET_EP/SET_DEQ: %s", e.t.why);
		ok = false;
	}
	if (ok && (xfer(&e, CTX_BULK_OUT, &r, &good, &l64, 1, 0, &ev) || ev.code != KITE_EVT_CODE_SUCCESS)) {
		st_fail(name, "OUT after the gather error: code %u %s", ev.code, e.t.why);
		ok = false;
	}
	usbdev_gzero_get_stats(e.dev, &gs1);
	if (ok && (gs1.pattern_errors != gs0.pattern_errors || gs1.out_bytes - gs0.out_bytes != 64)) {
		st_fail(name, "the device got %llu bytes with %llu pattern errors (want 64, 0)",
			(unsigned long long)(gs1.out_bytes - gs0.out_bytes),
			(unsigned long long)(gs1.pattern_errors - gs0.pattern_errors));
		ok = false;
	}
	env_down(&e, name, ok);
}

/*
 * The interrupter's re-arm (docs/programming-model.md, Interrupter): an event that a handler
 * did not see because it landed after the handler's last look at the ring, but before the
 * handler's INT_STATUS acknowledgement took effect, must not be stranded. Writing EVT_DEQ while
 * the ring holds unread events sets INT_STATUS.EVENT again; with the ring empty it does not.
 */
static void t_evt_rearm(void)
{
	const char *name = tname("event-rearm");
	uint32_t len = 64;
	uint64_t a;
	struct kf_evt ev;
	struct env e;
	bool ok = true;

	if (env_up(&e, name, NULL, 3))
		return env_down(&e, name, false);
	a = st_alloc(&e.t, len, 1, false, false);
	st_queue_td(&e.t, &e.out, &a, &len, 1, 0);
	st_doorbell(&e.t, CTX_BULK_OUT);
	/* Wait for the event in memory without consuming it. */
	for (unsigned int n = 0; n < 2000; n++) {
		const uint32_t *dw = st_ptr(&e.t, e.t.evt.base + (uint64_t)e.t.evt.deq * KITE_EVT_BYTES);

		if ((dw[3] & KITE_EVT_DW3_C_MASK) == e.t.evt.ccs)
			break;
		st_tick(&e.t, 256);
	}
	/* The late acknowledgement: the event's interrupt is cleared, the event is unread. */
	st_tick(&e.t, 256);
	st_wr(&e.t, KITE_REG_INT_STATUS, KITE_INT_STATUS_EVENT_MASK);
	st_tick(&e.t, 64);
	if (st_rd(&e.t, KITE_REG_INT_STATUS) & KITE_INT_STATUS_EVENT_MASK) {
		st_fail(name, "INT_STATUS.EVENT still set after its acknowledgement");
		ok = false;
	}
	/* The handler ends by writing EVT_DEQ where it stopped: before the unread event. */
	st_wr(&e.t, KITE_REG_EVT_DEQ_LO,
	      (uint32_t)(e.t.evt.base + (uint64_t)e.t.evt.deq * KITE_EVT_BYTES));
	st_tick(&e.t, 64);
	if (ok && !(st_rd(&e.t, KITE_REG_INT_STATUS) & KITE_INT_STATUS_EVENT_MASK)) {
		st_fail(name, "EVT_DEQ written with an unread event did not set INT_STATUS.EVENT");
		ok = false;
	}
	/* Consume it: EVT_DEQ past the last event, acknowledged; nothing is raised again. */
	if (ok && (st_wait_xfer(&e.t, CTX_BULK_OUT, &ev, 10 * MS) || ev.code != KITE_EVT_CODE_SUCCESS)) {
		st_fail(name, "the OUT TD's event: code %u %s", ev.code, e.t.why);
		ok = false;
	}
	st_tick(&e.t, 256);
	if (ok && (st_rd(&e.t, KITE_REG_INT_STATUS) & KITE_INT_STATUS_EVENT_MASK)) {
		st_fail(name, "INT_STATUS.EVENT set again with the ring empty");
		ok = false;
	}
	env_down(&e, name, ok);
}

/* The model's fast-forward: exact against clocking every cycle, and never while busy. */
static void t_fast_forward(void)
{
	char exact[128], exact_ls[128];

	snprintf(exact, sizeof(exact), "%s", tname("fast-forward-exact"));
	snprintf(exact_ls, sizeof(exact_ls), "%s", tname("fast-forward-exact-ls"));
	st_test_fast_forward_exact(exact, exact_ls, attach, latency);
	st_test_fast_forward_busy(tname("fast-forward-busy"), attach, latency);
}

struct test {
	const char *name;       /* TEST on the command line */
	void (*fn)(void);
	bool line;              /* also run with --line */
	/* the names of its PASS/FAIL lines, without "systest-" and the suffix */
	const char *results[3];
	const struct fault_case *cases;   /* and one line per fault case: PREFIX-CASE */
	size_t ncases;
	const char *case_prefix;
};

static const struct test tests[] = {
	{ "enumerate", t_enumerate, true, { "enumerate" }, NULL, 0, NULL },
	{ "bulk-sg", t_bulk_sg, true, { "bulk-scatter-gather" }, NULL, 0, NULL },
	{ "zlp-short", t_zlp_short, false, { "zlp-and-short-packets" }, NULL, 0, NULL },
	{ "interrupt", t_interrupt_interval, false, { "interrupt-interval" }, NULL, 0, NULL },
	{ "isoch", t_isoch, false, { "isochronous" }, NULL, 0, NULL },
	{ "faults", t_faults, true, { "faults", "fault-disconnect" }, fault_cases,
	  KT_ARRAY_SIZE(fault_cases), "fault" },
	{ "bus-errors", t_bus_errors, false, { "bus-errors" }, NULL, 0, NULL },
	{ "out-gather-error", t_out_gather_error, true, { "out-gather-error" }, NULL, 0, NULL },
	{ "out-faults", t_out_faults, true, { "out-faults" }, out_fault_cases,
	  KT_ARRAY_SIZE(out_fault_cases), "out-fault" },
	{ "event-rearm", t_evt_rearm, false, { "event-rearm" }, NULL, 0, NULL },
	{ "in-slow-bus", t_in_slow_bus, false, { "in-slow-bus" }, NULL, 0, NULL },
	{ "fast-forward", t_fast_forward, true,
	  { "fast-forward-exact", "fast-forward-exact-ls", "fast-forward-busy" }, NULL, 0, NULL },
};

/*
 * Whether the name filter selects any line of test t; if so, every line of it is printed (a
 * test's checks build on each other: kt_group_begin).
 */
static bool selected(const struct test *t)
{
	char names[16][128];
	const char *p[16];
	size_t n = 0;

	for (size_t i = 0; i < KT_ARRAY_SIZE(t->results) && t->results[i]; i++)
		snprintf(names[n++], sizeof(names[0]), "systest-%s%s", t->results[i], suffix);
	for (size_t i = 0; i < t->ncases && n < KT_ARRAY_SIZE(names); i++)
		snprintf(names[n++], sizeof(names[0]), "systest-%s-%s%s", t->case_prefix,
			 t->cases[i].name, suffix);
	for (size_t i = 0; i < n; i++)
		p[i] = names[i];
	return kt_group_begin(p, n);
}

int main(int argc, char **argv)
{
	int first = 1;
	static char sfx[64];
	const char *config = NULL;   /* names the model's configuration in the test names */

	kt_init(&argc, argv);
	while (first < argc && argv[first][0] == '-') {
		if (!strcmp(argv[first], "--line")) {
			attach = KITE_ATTACH_LINE;
			first++;
		} else if (!strcmp(argv[first], "--latency") && first + 1 < argc) {
			latency = (unsigned int)atoi(argv[first + 1]);
			first += 2;
		} else if (!strcmp(argv[first], "--config") && first + 1 < argc) {
			config = argv[first + 1];
			first += 2;
		} else if (!strcmp(argv[first], "--usb-per-bus") && first + 1 < argc) {
			st_usb_per_bus = (unsigned int)atoi(argv[first + 1]);
			first += 2;
		} else {
			fprintf(stderr,
				"usage: %s [-t PATTERN] [-l] [--config NAME] [--line] [--latency N] "
				"[--usb-per-bus N] [TEST...]\n", argv[0]);
			return 2;
		}
	}
	snprintf(sfx, sizeof(sfx), "%s%s%s", config ? "-" : "", config ? config : "",
		 attach == KITE_ATTACH_LINE ? "-line" : "");
	if (latency != 4)
		snprintf(sfx + strlen(sfx), sizeof(sfx) - strlen(sfx), "-latency%u", latency);
	if (st_usb_per_bus > 1)
		snprintf(sfx + strlen(sfx), sizeof(sfx) - strlen(sfx), "-bus1of%u", st_usb_per_bus);
	suffix = sfx;
	/*
	 * A test runs when the name filter (-t PATTERN, KT_FILTER) selects one of its lines
	 * (systest-NAME-SUFFIX) and, if TEST names are given, it is one of them; without them,
	 * --line runs only the tests marked for the line attachment. Every line of a selected
	 * test is printed.
	 */
	for (size_t i = 0; i < KT_ARRAY_SIZE(tests); i++) {
		bool want = first == argc;

		for (int a = first; a < argc; a++)
			want |= !strcmp(argv[a], tests[i].name);
		if (first == argc && attach == KITE_ATTACH_LINE && !tests[i].line)
			want = false;
		if (want && selected(&tests[i])) {
			tests[i].fn();
			kt_group_end();
		}
	}
	return kt_finish();
}
