/* SPDX-License-Identifier: MIT */
/*
 * Shared helpers of the kite RTL testbenches: check groups that print one
 * `PASS <name>` / `FAIL <name>: <reason>` line each, and a flat memory for kite_mem_ops.
 */
#ifndef KITE_TB_H
#define KITE_TB_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kite_model.h"
#include "kite_model_test.h"
#include "kite_regs.h"

static int tb_failures;
static int tb_group_failed;
static char tb_group_msg[256];

static inline void tb_begin(void)
{
	tb_group_failed = 0;
	tb_group_msg[0] = 0;
}

/* Record a failure in the current group (the first reason is reported). */
static inline void tb_fail(const char *fmt, ...)
{
	va_list ap;

	if (!tb_group_failed++) {
		va_start(ap, fmt);
		vsnprintf(tb_group_msg, sizeof(tb_group_msg), fmt, ap);
		va_end(ap);
	}
}

#define TB_CHECK(cond, ...) do { if (!(cond)) tb_fail(__VA_ARGS__); } while (0)

static inline void tb_end(const char *name)
{
	if (tb_group_failed) {
		printf("FAIL %s: %s (%d failed checks)\n", name, tb_group_msg, tb_group_failed);
		tb_failures++;
	} else {
		printf("PASS %s\n", name);
	}
	fflush(stdout);
}

/* ---------------------------------------------------------------- flat memory */
struct tb_mem {
	uint64_t base;
	size_t size;
	uint8_t *data;
	uint64_t err_lo, err_hi;	/* bursts touching [err_lo, err_hi) fail */
	int err_on_write_only, err_on_read_only;
};

static inline int tb_mem_bad(struct tb_mem *t, uint64_t addr, size_t len, int is_write)
{
	if (addr < t->base || addr + len > t->base + t->size || addr + len < addr)
		return 1;
	if (t->err_hi > t->err_lo && addr < t->err_hi && addr + len > t->err_lo) {
		if (is_write && t->err_on_read_only)
			return 0;
		if (!is_write && t->err_on_write_only)
			return 0;
		return 1;
	}
	return 0;
}

static inline int tb_mem_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct tb_mem *t = (struct tb_mem *)ctx;

	if (tb_mem_bad(t, addr, len, 0))
		return -1;
	memcpy(buf, t->data + (addr - t->base), len);
	return 0;
}

static inline int tb_mem_write(void *ctx, uint64_t addr, const void *buf, size_t len)
{
	struct tb_mem *t = (struct tb_mem *)ctx;

	if (tb_mem_bad(t, addr, len, 1))
		return -1;
	memcpy(t->data + (addr - t->base), buf, len);
	return 0;
}

static inline uint32_t tb_rd(struct kite_model *m, uint32_t off)
{
	uint32_t v = 0;

	if (kite_model_reg_read(m, off, &v))
		tb_fail("register read 0x%03x failed", off);
	return v;
}

static inline void tb_wr(struct kite_model *m, uint32_t off, uint32_t v)
{
	if (kite_model_reg_write(m, off, v, 0xf))
		tb_fail("register write 0x%03x failed", off);
}

static inline uint32_t tb_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

#endif /* KITE_TB_H */
