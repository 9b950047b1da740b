// SPDX-License-Identifier: MIT
/*
 * systest-bench: bulk IN and OUT throughput of the controller against gadget zero's
 * source/sink configuration, in payload bytes per second of simulated bus time (usb_clk at
 * 48 MHz), and the simulator's speed in cycles per wall second, for each attachment.
 *
 *   systest-bench [--line] [--kib N]
 *   systest-bench [--line] --idle-kbd MS [--clocked]
 *
 * --idle-kbd: MS milliseconds of bus time with a full-speed HID keyboard whose interrupt IN
 * endpoint (bInterval 10) is polled as usbhid polls it (a TD always queued, NAKed while no key
 * changes), with the fast-forward (kite_model_skip whenever quiet) or, with --clocked, every
 * cycle clocked: how many usb_clk cycles were skipped and clocked, and the wall time.
 *
 * Prints key=value lines for scripts/bench.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kite_model_test.h"
#include "systest.h"

#define DEV_ADDR 5
#define TD_BYTES 4096u
#define RING_TDS 16u

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double wall(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/* Move `total` bytes through one bulk context, keeping RING_TDS TDs queued. */
static int run(struct st *t, unsigned int ctx, struct kf_ring *r, uint64_t buf, uint64_t total,
	       const char *what, const char *attach)
{
	uint64_t queued = 0, done = 0, u0, u1;
	uint32_t len = TD_BYTES;
	struct kf_evt ev;
	double w0, w1;

	u0 = st_usb_cycles(t);
	w0 = wall();
	while (queued < total && queued - done < RING_TDS * TD_BYTES) {
		st_queue_td(t, r, &buf, &len, 1, 0);
		queued += TD_BYTES;
	}
	st_doorbell(t, ctx);
	while (done < total) {
		if (st_wait_xfer(t, ctx, &ev, 500 * ST_CYCLES_PER_MS) || ev.code != KITE_EVT_CODE_SUCCESS) {
			fprintf(stderr, "systest-bench: %s TD failed: code %u %s\n", what, ev.code, t->why);
			return -1;
		}
		done += TD_BYTES;
		if (queued < total) {
			st_queue_td(t, r, &buf, &len, 1, 0);
			queued += TD_BYTES;
			st_doorbell(t, ctx);
		}
	}
	u1 = st_usb_cycles(t);
	w1 = wall();
	double sim_s = (double)(u1 - u0) / 48e6;

	printf("%s_%s_bytes=%llu\n", attach, what, (unsigned long long)total);
	printf("%s_%s_sim_s=%.6f\n", attach, what, sim_s);
	printf("%s_%s_bytes_per_sim_s=%.0f\n", attach, what, (double)total / sim_s);
	printf("%s_%s_percent_of_1216000=%.2f\n", attach, what, (double)total / sim_s / 1216000.0 * 100.0);
	printf("%s_%s_usb_cycles_per_wall_s=%.0f\n", attach, what, (double)(u1 - u0) / (w1 - w0));
	return 0;
}

static int idle_kbd(enum kite_attach attach, unsigned int ms, bool clocked)
{
	const char *an = attach == KITE_ATTACH_LINE ? "line" : "utmi";
	struct kite_model_stats s0, s1;
	struct kf_ring ep0, intr;
	struct usbdev *dev;
	struct st t;
	uint64_t buf, polls;
	uint32_t len = 8;
	double w0, w1, c0, c1;

	if (st_init(&t, attach, 4) || !(dev = usbdev_kbd_create(NULL)) || st_plug(&t, 0, dev) ||
	    st_start(&t, 64) || st_enumerate(&t, 0, &ep0, DEV_ADDR, 1, false, 64) ||
	    st_ring_init(&t, &intr, 16, false) ||
	    st_ctx_setup(&t, 1, DEV_ADDR, 1, true, KITE_CTX_CFG0_TYPE_INTERRUPT, false, 8, 0, 10,
			 &intr)) {
		fprintf(stderr, "systest-bench: keyboard bring-up failed: %s\n", t.why);
		return 1;
	}
	buf = st_alloc(&t, len, 1, false, true);
	st_queue_td(&t, &intr, &buf, &len, 1, 0);
	st_doorbell(&t, 1);
	kite_model_test_set_autoskip(t.m, !clocked);
	kite_model_get_stats(t.m, &s0);
	polls = dev->stats.in_tokens;
	w0 = wall();
	c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	for (unsigned int i = 0; i < ms; i++)
		st_tick(&t, (unsigned int)ST_CYCLES_PER_MS);
	w1 = wall();
	c1 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	kite_model_get_stats(t.m, &s1);
	polls = dev->stats.in_tokens - polls;

	const char *k = clocked ? "clocked" : "skipping";
	uint64_t all = s1.usb_cycles - s0.usb_cycles;
	uint64_t skipped = s1.usb_cycles_skipped - s0.usb_cycles_skipped;

	printf("%s_idle_kbd_%s_ms=%u\n", an, k, ms);
	printf("%s_idle_kbd_%s_polls=%llu\n", an, k, (unsigned long long)polls);
	printf("%s_idle_kbd_%s_usb_cycles=%llu\n", an, k, (unsigned long long)all);
	printf("%s_idle_kbd_%s_usb_cycles_skipped=%llu\n", an, k, (unsigned long long)skipped);
	printf("%s_idle_kbd_%s_usb_cycles_clocked=%llu\n", an, k, (unsigned long long)(all - skipped));
	printf("%s_idle_kbd_%s_percent_skipped=%.2f\n", an, k, 100.0 * (double)skipped / (double)all);
	printf("%s_idle_kbd_%s_wall_s=%.3f\n", an, k, w1 - w0);
	printf("%s_idle_kbd_%s_cpu_s=%.3f\n", an, k, c1 - c0);
	printf("%s_idle_kbd_%s_sim_per_wall=%.4f\n", an, k, (double)all / 48e6 / (w1 - w0));
	st_fini(&t);
	usbdev_destroy(dev);
	return 0;
}

int main(int argc, char **argv)
{
	enum kite_attach attach = KITE_ATTACH_UTMI;
	uint64_t total = 64 * 1024;
	unsigned int idle_ms = 0;
	bool clocked = false;
	struct usbdev_gzero_opts o = { .pattern = 0 };
	struct kf_ring ep0, in, out;
	struct usbdev *dev;
	struct st t;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--line"))
			attach = KITE_ATTACH_LINE;
		else if (!strcmp(argv[i], "--kib") && i + 1 < argc)
			total = (uint64_t)atoi(argv[++i]) * 1024;
		else if (!strcmp(argv[i], "--idle-kbd") && i + 1 < argc)
			idle_ms = (unsigned int)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--clocked"))
			clocked = true;
		else {
			fprintf(stderr, "usage: %s [--line] [--kib N] | [--line] --idle-kbd MS [--clocked]\n",
				argv[0]);
			return 2;
		}
	}
	if (idle_ms)
		return idle_kbd(attach, idle_ms, clocked);
	const char *an = attach == KITE_ATTACH_LINE ? "line" : "utmi";

	if (st_init(&t, attach, 4) || !(dev = usbdev_gzero_create(&o)) || st_plug(&t, 0, dev) ||
	    st_start(&t, 256) || st_enumerate(&t, 0, &ep0, DEV_ADDR, 3, false, 64)) {
		fprintf(stderr, "systest-bench: bring-up failed: %s\n", t.why);
		return 1;
	}
	st_ring_init(&t, &in, 64, false);
	st_ring_init(&t, &out, 64, false);
	st_ctx_setup(&t, 1, DEV_ADDR, 1, true, KITE_CTX_CFG0_TYPE_BULK, false, 64, 0, 0, &in);
	st_ctx_setup(&t, 2, DEV_ADDR, 1, false, KITE_CTX_CFG0_TYPE_BULK, false, 64, 0, 0, &out);
	uint64_t ib = st_alloc(&t, TD_BYTES, 1, false, true), ob = st_alloc(&t, TD_BYTES, 1, false, false);

	if (run(&t, 1, &in, ib, total, "bulk_in", an) || run(&t, 2, &out, ob, total, "bulk_out", an))
		return 1;
	if (t.mem.violations) {
		fprintf(stderr, "systest-bench: DMA containment: %s\n", t.mem.violation);
		return 1;
	}
	st_fini(&t);
	usbdev_destroy(dev);
	return 0;
}
