// SPDX-License-Identifier: MIT
/*
 * model_bench: how fast the Verilated controller simulates, without Linux or the bridge.
 *
 * Runs DMA self-test copies through kite_model against a plain memory buffer and reports
 * simulated bus cycles per wall second while the engine is busy, while idle, and the cost of
 * one register access. Used by `make bench` (scripts/bench.sh).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kite_model.h"
#include "kite_regs.h"

#define MEM_SIZE (4u << 20)

static unsigned char *mem;

static int mem_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	(void)ctx;
	if (addr >= MEM_SIZE || len > MEM_SIZE - addr)
		return -1;
	memcpy(buf, mem + addr, len);
	return 0;
}

static int mem_write(void *ctx, uint64_t addr, const void *buf, size_t len)
{
	(void)ctx;
	if (addr >= MEM_SIZE || len > MEM_SIZE - addr)
		return -1;
	memcpy(mem + addr, buf, len);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void must(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "model_bench: %s failed (%d)\n", what, rc);
		exit(1);
	}
}

int main(void)
{
	const struct kite_mem_ops ops = { mem_read, mem_write, NULL };
	const struct kite_model_config cfg = { .trace_path = NULL };
	struct kite_model_stats st0, st1;
	struct kite_model *m;
	uint32_t len = 1u << 20, v = 0, status = 0;
	double t0, t1, busy_rate, idle_rate, reg_us;
	int i;

	mem = calloc(1, MEM_SIZE);
	if (!mem)
		return 1;
	for (i = 0; i < (int)MEM_SIZE; i++)
		mem[i] = (unsigned char)(i * 7 + 3);
	m = kite_model_create(&cfg, &ops);
	if (!m) {
		fprintf(stderr, "model_bench: cannot create the model\n");
		return 1;
	}

	/* Busy: one 1 MiB copy, odd source and destination. */
	must(kite_model_reg_write(m, KITE_REG_DMATEST_SRC_LO, 0x1003, 0xf), "SRC");
	must(kite_model_reg_write(m, KITE_REG_DMATEST_SRC_HI, 0, 0xf), "SRC_HI");
	must(kite_model_reg_write(m, KITE_REG_DMATEST_DST_LO, 0x200005, 0xf), "DST");
	must(kite_model_reg_write(m, KITE_REG_DMATEST_DST_HI, 0, 0xf), "DST_HI");
	must(kite_model_reg_write(m, KITE_REG_DMATEST_LEN, len, 0xf), "LEN");
	kite_model_get_stats(m, &st0);
	t0 = now();
	must(kite_model_reg_write(m, KITE_REG_DMATEST_CTRL, KITE_DMATEST_CTRL_START_MASK, 0xf), "CTRL");
	do {
		kite_model_tick(m, 256);
		must(kite_model_reg_read(m, KITE_REG_DMATEST_STATUS, &status), "STATUS");
	} while (status & KITE_DMATEST_STATUS_BUSY_MASK);
	t1 = now();
	kite_model_get_stats(m, &st1);
	if (!(status & KITE_DMATEST_STATUS_DONE_MASK) || (status & KITE_DMATEST_STATUS_ERROR_MASK) ||
	    memcmp(mem + 0x200005, mem + 0x1003, len)) {
		fprintf(stderr, "model_bench: the copy failed (status 0x%x)\n", status);
		return 1;
	}
	busy_rate = (st1.cycles - st0.cycles) / (t1 - t0);
	must(kite_model_reg_read(m, KITE_REG_DMATEST_CYCLES, &v), "CYCLES");
	printf("dma_copy_bytes=%u\n", len);
	printf("dma_copy_cycles=%u\n", v);
	printf("dma_copy_bytes_per_cycle=%.3f\n", (double)len / v);
	printf("busy_cycles_per_s=%.0f\n", busy_rate);

	/* Idle: the clock runs, nothing happens. */
	kite_model_get_stats(m, &st0);
	t0 = now();
	for (i = 0; i < 2000; i++)
		kite_model_tick(m, 1000);
	t1 = now();
	kite_model_get_stats(m, &st1);
	idle_rate = (st1.cycles - st0.cycles) / (t1 - t0);
	printf("idle_cycles_per_s=%.0f\n", idle_rate);

	/* Register reads through the AXI4-Lite BFM. */
	t0 = now();
	for (i = 0; i < 100000; i++)
		must(kite_model_reg_read(m, KITE_REG_SCRATCH, &v), "SCRATCH");
	t1 = now();
	reg_us = (t1 - t0) / 100000 * 1e6;
	printf("reg_read_us=%.3f\n", reg_us);

	kite_model_destroy(m);
	free(mem);
	return 0;
}
