// SPDX-License-Identifier: MIT
/*
 * systest-bench: bulk IN and OUT throughput of the controller against gadget zero's
 * source/sink configuration, in payload bytes per second of simulated bus time (usb_clk at
 * 48 MHz), and the simulator's speed in cycles per wall second, for each attachment.
 *
 *   systest-bench [--line] [--kib N]
 *
 * Prints key=value lines for scripts/bench.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "systest.h"

#define DEV_ADDR 5
#define TD_BYTES 4096u
#define RING_TDS 16u

static double wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
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

int main(int argc, char **argv)
{
	enum kite_attach attach = KITE_ATTACH_UTMI;
	uint64_t total = 64 * 1024;
	struct usbdev_gzero_opts o = { .pattern = 0 };
	struct kf_ring ep0, in, out;
	struct usbdev *dev;
	struct st t;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--line"))
			attach = KITE_ATTACH_LINE;
		else if (!strcmp(argv[i], "--kib") && i + 1 < argc)
			total = (uint64_t)atoi(argv[++i]) * 1024;
	}
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
