// SPDX-License-Identifier: GPL-2.0
/*
 * kite DMA self-test, run at probe unless selftest=0.
 *
 * 1. Registers and interrupt: SCRATCH holds what was written, INT_FORCE
 *    sets INT_STATUS, write-1-to-clear clears it, and each forced status bit
 *    reaches the interrupt handler once enabled.
 * 2. Coherent DMA: COPY, FILL and READ on a dma_alloc_coherent() buffer for
 *    lengths 0..5000 at odd offsets and across 4 KiB boundaries. Every byte
 *    of the buffer is checked after each case: the destination holds the
 *    expected data and nothing else changed (guard bytes). The engine's
 *    CRC-32 and byte count are checked too. A reserved OP must end with the
 *    error interrupt and ERR_CODE 5.
 * 3. Streaming DMA: kmalloc() buffers mapped with dma_map_single()
 *    (DMA_TO_DEVICE source, DMA_FROM_DEVICE destination, DMA_BIDIRECTIONAL),
 *    including mappings reused after dma_sync_single_for_cpu() and
 *    dma_sync_single_for_device().
 *
 * Completion is signalled by the DMATEST_DONE / DMATEST_ERROR interrupts.
 * Every buffer is freed and every mapping undone before returning, except
 * when the engine never finishes: then the memory it may still write is
 * deliberately leaked.
 */

#include <linux/bitfield.h>
#include <linux/crc32.h>
#include <linux/dma-mapping.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kite.h"

static bool selftest = true;
module_param(selftest, bool, 0444);
MODULE_PARM_DESC(selftest,
		 "Run the interrupt and DMA self-test at probe; a failure fails the probe (default: true)");

#define KITE_ST_TIMEOUT_MS	5000
/* The test image: source area, then destination area. */
#define KITE_ST_AREA		SZ_8K
#define KITE_ST_SIZE		(2 * KITE_ST_AREA)
#define KITE_ST_SEED		0x4b495445u

enum {
	KITE_ST_COPY = KITE_DMATEST_CTRL_OP_COPY,
	KITE_ST_FILL = KITE_DMATEST_CTRL_OP_FILL,
	KITE_ST_READ = KITE_DMATEST_CTRL_OP_READ,
	KITE_ST_BAD_OP = 3,
};

/**
 * struct kite_st_case - one operation of the engine
 * @op: KITE_ST_*
 * @len: bytes
 * @soff: source offset in the source area (COPY, READ)
 * @doff: destination offset in the destination area (COPY, FILL), or in the
 *	source area when @one_buf
 * @seed: FILL pattern seed
 * @step: FILL pattern step
 * @one_buf: source and destination are in the same (source) buffer
 */
struct kite_st_case {
	u8 op;
	u32 len;
	u32 soff;
	u32 doff;
	u8 seed;
	u8 step;
	bool one_buf;
};

/* Offsets of a case's source and destination in the test image. */
static u32 kite_st_src(const struct kite_st_case *c)
{
	return c->soff;
}

static u32 kite_st_dst(const struct kite_st_case *c)
{
	return (c->one_buf ? 0 : KITE_ST_AREA) + c->doff;
}

static const struct kite_st_case kite_st_coherent_cases[] = {
	/* op, len, src offset, dst offset */
	{ KITE_ST_COPY,    0,    0,    0 },
	{ KITE_ST_COPY,    1,    0,    0 },
	{ KITE_ST_COPY,    1,    1,    3 },
	{ KITE_ST_COPY,    2,    3,    1 },
	{ KITE_ST_COPY,    3,    7,    5 },
	{ KITE_ST_COPY,    4,    0,    0 },
	{ KITE_ST_COPY,    7,    1,    2 },
	{ KITE_ST_COPY,    8,    8,   16 },
	{ KITE_ST_COPY,   15,    3,   12 },
	{ KITE_ST_COPY,   16,    0,   16 },
	{ KITE_ST_COPY,   31,    5,    9 },
	{ KITE_ST_COPY,   64,    0,   64 },
	{ KITE_ST_COPY,  127,   13,    3 },
	{ KITE_ST_COPY,  255,    2,  255 },
	{ KITE_ST_COPY,  256,    0,    0 },
	{ KITE_ST_COPY,  511,   17,   33 },
	{ KITE_ST_COPY, 1000, 4090,    1 },	/* source crosses 4 KiB */
	{ KITE_ST_COPY, 1024,    6, 4090 },	/* destination crosses 4 KiB */
	{ KITE_ST_COPY, 2049, 3001, 3003 },	/* both cross */
	{ KITE_ST_COPY, 4095,    1,    0 },
	{ KITE_ST_COPY, 4096,    0,    0 },
	{ KITE_ST_COPY, 4097, 4095, 4093 },
	{ KITE_ST_COPY, 5000,    3, 3001 },
	{ KITE_ST_COPY, 5000, 3191,    7 },
	/* op, len, -, dst offset, seed, step */
	{ KITE_ST_FILL,    1,    0,    5, 0x5a, 0x00 },
	{ KITE_ST_FILL,  300,    0,   11, 0xff, 0x00 },
	{ KITE_ST_FILL, 4999,    0, 3001, 0x3c, 0x07 },
	/* op, len, src offset */
	{ KITE_ST_READ,    1,    9,    0 },
	{ KITE_ST_READ, 4999, 3001,    0 },
	/* must end with the error interrupt, ERR_CODE 5, nothing written */
	{ KITE_ST_BAD_OP,  16,   0,    0 },
};

static const struct kite_st_case kite_st_stream_cases[] = {
	{ KITE_ST_COPY, 4096,    0,    0 },
	{ KITE_ST_COPY,    1,    1,    3 },
	{ KITE_ST_COPY, 3000, 2001, 1999 },
	{ KITE_ST_FILL,  777,    0, 4090, 0x3c, 0x07 },
	{ KITE_ST_READ, 4097,    3,    0 },
};

/* Mapped once, run twice with dma_sync_single_*() in between. */
static const struct kite_st_case kite_st_reuse_case = {
	KITE_ST_COPY, 5000, 7, 3001
};

/* Both in one DMA_BIDIRECTIONAL mapping; the second reads what the first wrote. */
static const struct kite_st_case kite_st_bidir_cases[] = {
	{ KITE_ST_COPY, 2000,  100, 4003, .one_buf = true },
	{ KITE_ST_COPY, 1500, 4100, 6500, .one_buf = true },
};

/* Result of one run of the engine. */
struct kite_st_res {
	u32 irq;
	u32 status;
	u32 crc;
	u32 done_bytes;
	u32 cycles;
};

/**
 * struct kite_st - self-test state
 * @hc: controller
 * @kind: "coherent" or "streaming", for messages
 * @base: test image before each case (KITE_ST_SIZE bytes)
 * @expect: test image expected after it
 * @passed: cases passed in the current part
 * @big_len: longest copy seen
 * @big_cycles: DMATEST_CYCLES of that copy
 * @stuck: the engine did not finish; its buffers must not be freed
 */
struct kite_st {
	struct kite_hc *hc;
	const char *kind;
	u8 *base;
	u8 *expect;
	unsigned int passed;
	u32 big_len;
	u32 big_cycles;
	bool stuck;
};

bool kite_selftest_enabled(void)
{
	return selftest;
}

/**
 * kite_selftest_irq() - self-test part of the interrupt handler
 * @hc: controller
 * @pending: KITE_INT_DMATEST bits just acknowledged
 */
void kite_selftest_irq(struct kite_hc *hc, u32 pending)
{
	spin_lock(&hc->lock);
	hc->st_irq |= pending;
	spin_unlock(&hc->lock);
	complete(&hc->st_done);
}

static void kite_st_arm(struct kite_hc *hc)
{
	spin_lock_irq(&hc->lock);
	hc->st_irq = 0;
	reinit_completion(&hc->st_done);
	spin_unlock_irq(&hc->lock);
}

/* Wait for the interrupt; return the INT_STATUS bits seen, 0 on timeout. */
static u32 kite_st_wait(struct kite_hc *hc)
{
	unsigned long left;
	u32 irq;

	left = wait_for_completion_timeout(&hc->st_done,
					   msecs_to_jiffies(KITE_ST_TIMEOUT_MS));
	spin_lock_irq(&hc->lock);
	irq = hc->st_irq;
	spin_unlock_irq(&hc->lock);
	return left ? irq : 0;
}

static u32 kite_st_crc(const u8 *p, size_t len)
{
	return crc32_le(~0U, p, len) ^ ~0U;
}

static void kite_st_random(u8 *p, size_t len, u32 seed)
{
	u32 x = seed;
	size_t i;

	for (i = 0; i < len; i++) {
		/* xorshift32 */
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = x >> 24;
	}
}

static void kite_st_describe(const struct kite_st_case *c, char *buf,
			     size_t size)
{
	switch (c->op) {
	case KITE_ST_COPY:
		snprintf(buf, size, "COPY len %u src+%u dst+%u",
			 c->len, c->soff, c->doff);
		break;
	case KITE_ST_FILL:
		snprintf(buf, size, "FILL len %u dst+%u seed 0x%02x step 0x%02x",
			 c->len, c->doff, c->seed, c->step);
		break;
	case KITE_ST_READ:
		snprintf(buf, size, "READ len %u src+%u", c->len, c->soff);
		break;
	default:
		snprintf(buf, size, "reserved OP %u len %u", c->op, c->len);
		break;
	}
}

/*
 * Apply a case to the expected image @img; return the CRC-32 the engine
 * must report (of the bytes read, or for FILL of the bytes written).
 */
static u32 kite_st_apply(u8 *img, const struct kite_st_case *c)
{
	u8 *dst = img + kite_st_dst(c);
	u32 i;

	switch (c->op) {
	case KITE_ST_COPY:
		memcpy(dst, img + kite_st_src(c), c->len);
		return kite_st_crc(dst, c->len);
	case KITE_ST_FILL:
		for (i = 0; i < c->len; i++)
			dst[i] = c->seed + i * c->step;
		return kite_st_crc(dst, c->len);
	case KITE_ST_READ:
		return kite_st_crc(img + kite_st_src(c), c->len);
	default:
		return 0;
	}
}

/*
 * Program one operation, start it and wait for its interrupt.
 *
 * The CPU's writes to coherent memory are ordered before the START write by
 * writel(); the readl() of DMATEST_STATUS after the interrupt is ordered
 * before the CPU's following reads of the buffers.
 */
static int kite_st_exec(struct kite_st *st, const struct kite_st_case *c,
			dma_addr_t src, dma_addr_t dst, struct kite_st_res *res)
{
	struct kite_hc *hc = st->hc;
	u32 ctrl = FIELD_PREP(KITE_DMATEST_CTRL_OP_MASK, c->op);
	char what[64];

	kite_writel(hc, KITE_REG_DMATEST_SRC_LO, lower_32_bits(src));
	kite_writel(hc, KITE_REG_DMATEST_SRC_HI, upper_32_bits(src));
	kite_writel(hc, KITE_REG_DMATEST_DST_LO, lower_32_bits(dst));
	kite_writel(hc, KITE_REG_DMATEST_DST_HI, upper_32_bits(dst));
	kite_writel(hc, KITE_REG_DMATEST_LEN, c->len);
	kite_writel(hc, KITE_REG_DMATEST_PATTERN,
		    FIELD_PREP(KITE_DMATEST_PATTERN_SEED_MASK, c->seed) |
		    FIELD_PREP(KITE_DMATEST_PATTERN_STEP_MASK, c->step));
	kite_writel(hc, KITE_REG_DMATEST_CTRL, ctrl);

	kite_st_arm(hc);
	kite_writel(hc, KITE_REG_DMATEST_CTRL,
		    ctrl | KITE_DMATEST_CTRL_START_MASK);
	res->irq = kite_st_wait(hc);

	res->status = kite_readl(hc, KITE_REG_DMATEST_STATUS);
	res->crc = kite_readl(hc, KITE_REG_DMATEST_CRC);
	res->done_bytes = kite_readl(hc, KITE_REG_DMATEST_DONE_BYTES);
	res->cycles = kite_readl(hc, KITE_REG_DMATEST_CYCLES);

	if (res->irq)
		return 0;

	kite_st_describe(c, what, sizeof(what));
	if (res->status & KITE_DMATEST_STATUS_BUSY_MASK)
		st->stuck = true;
	dev_err(hc->dev,
		"DMA self-test (%s) failed: %s: no interrupt within %u ms, %s (STATUS 0x%08x, %u of %u bytes done)\n",
		st->kind, what, KITE_ST_TIMEOUT_MS,
		st->stuck ? "engine still busy" :
		(res->status & KITE_DMATEST_STATUS_DONE_MASK) ?
		"STATUS says done but the interrupt never came" :
		"engine never started",
		res->status, res->done_bytes, c->len);
	return -ETIMEDOUT;
}

/* Check completion state, byte count and CRC of a normal operation. */
static int kite_st_check_res(struct kite_st *st, const struct kite_st_case *c,
			     const struct kite_st_res *res, u32 crc)
{
	struct device *dev = st->hc->dev;
	u32 state = res->status & (KITE_DMATEST_STATUS_BUSY_MASK |
				   KITE_DMATEST_STATUS_DONE_MASK |
				   KITE_DMATEST_STATUS_ERROR_MASK);
	char what[64];

	kite_st_describe(c, what, sizeof(what));

	if (c->op == KITE_ST_BAD_OP) {
		if (res->irq == KITE_INT_DMATEST_ERROR &&
		    state == (KITE_DMATEST_STATUS_DONE_MASK |
			      KITE_DMATEST_STATUS_ERROR_MASK) &&
		    FIELD_GET(KITE_DMATEST_STATUS_ERR_CODE_MASK, res->status) ==
		    KITE_DMATEST_STATUS_ERR_CODE_BAD_OP)
			return 0;
		dev_err(dev,
			"DMA self-test (%s) failed: %s: expected the error interrupt and error code %u, got interrupt 0x%x, STATUS 0x%08x\n",
			st->kind, what, KITE_DMATEST_STATUS_ERR_CODE_BAD_OP,
			res->irq, res->status);
		return -EIO;
	}

	if (res->irq != KITE_INT_DMATEST_DONE ||
	    state != KITE_DMATEST_STATUS_DONE_MASK) {
		dev_err(dev,
			"DMA self-test (%s) failed: %s: interrupt 0x%x, STATUS 0x%08x (error code %u), %u of %u bytes done\n",
			st->kind, what, res->irq, res->status,
			(u32)FIELD_GET(KITE_DMATEST_STATUS_ERR_CODE_MASK,
				       res->status),
			res->done_bytes, c->len);
		return -EIO;
	}
	if (res->done_bytes != c->len) {
		dev_err(dev,
			"DMA self-test (%s) failed: %s: engine reports %u bytes done\n",
			st->kind, what, res->done_bytes);
		return -EIO;
	}
	if (res->crc != crc) {
		dev_err(dev,
			"DMA self-test (%s) failed: %s: engine CRC-32 0x%08x, expected 0x%08x\n",
			st->kind, what, res->crc, crc);
		return -EIO;
	}
	return 0;
}

/*
 * Compare the whole test image, source area @lo and destination area @hi,
 * with the expected one; report the first difference.
 */
static int kite_st_compare(struct kite_st *st, const struct kite_st_case *c,
			   const u8 *lo, const u8 *hi)
{
	const u8 *exp = st->expect;
	const u8 *act;
	char what[64], where[80];
	u32 off, dst;
	bool written;

	if (!memcmp(lo, exp, KITE_ST_AREA) &&
	    !memcmp(hi, exp + KITE_ST_AREA, KITE_ST_AREA))
		return 0;

	for (off = 0; off < KITE_ST_SIZE; off++) {
		act = off < KITE_ST_AREA ? lo + off : hi + off - KITE_ST_AREA;
		if (*act != exp[off])
			break;
	}
	if (off == KITE_ST_SIZE)	/* changed under us? */
		off = 0;
	act = off < KITE_ST_AREA ? lo + off : hi + off - KITE_ST_AREA;

	dst = kite_st_dst(c);
	written = c->op == KITE_ST_COPY || c->op == KITE_ST_FILL;
	if (written && off >= dst && off - dst < c->len)
		snprintf(where, sizeof(where), "destination byte %u",
			 off - dst);
	else if (written && off < dst)
		snprintf(where, sizeof(where),
			 "guard byte %u before the destination", dst - off);
	else if (written)
		snprintf(where, sizeof(where),
			 "guard byte %u after the destination",
			 off - dst - c->len + 1);
	else
		snprintf(where, sizeof(where), "%s area byte %u (not to be written)",
			 off < KITE_ST_AREA ? "source" : "destination",
			 off % KITE_ST_AREA);

	kite_st_describe(c, what, sizeof(what));
	dev_err(st->hc->dev,
		"DMA self-test (%s) failed: %s: %s is 0x%02x, expected 0x%02x\n",
		st->kind, what, where, *act, exp[off]);
	return -EIO;
}

static void kite_st_pass(struct kite_st *st, const struct kite_st_case *c,
			 const struct kite_st_res *res)
{
	char what[64];

	st->passed++;
	if (c->op == KITE_ST_COPY && c->len > st->big_len) {
		st->big_len = c->len;
		st->big_cycles = res->cycles;
	}
	kite_st_describe(c, what, sizeof(what));
	dev_dbg(st->hc->dev, "DMA self-test (%s): %s ok, %u cycles\n",
		st->kind, what, res->cycles);
}

static int kite_st_check_case(const struct kite_st_case *c)
{
	if (WARN_ON(c->soff + c->len > KITE_ST_AREA ||
		    c->doff + c->len > KITE_ST_AREA))
		return -EINVAL;
	return 0;
}

/* Part 1: registers and interrupt delivery. */
static int kite_st_irq(struct kite_st *st)
{
	static const u32 force[] = { KITE_INT_DMATEST_DONE, KITE_INT_DMATEST_ERROR };
	static const u32 scratch[] = { 0xa5c35a3c, 0x5a3ca5c3 };
	struct kite_hc *hc = st->hc;
	struct device *dev = hc->dev;
	unsigned int i;
	u32 val, irq;

	for (i = 0; i < ARRAY_SIZE(scratch); i++) {
		kite_writel(hc, KITE_REG_SCRATCH, scratch[i]);
		val = kite_readl(hc, KITE_REG_SCRATCH);
		if (val != scratch[i]) {
			dev_err(dev,
				"register self-test failed: SCRATCH reads 0x%08x after writing 0x%08x\n",
				val, scratch[i]);
			return -EIO;
		}
	}

	if (hc->has_dma_test) {
		val = kite_readl(hc, KITE_REG_DMATEST_STATUS);
		if (val & KITE_DMATEST_STATUS_BUSY_MASK) {
			dev_err(dev,
				"DMA self-test engine busy before the first start (STATUS 0x%08x)\n",
				val);
			return -EIO;
		}
	}

	/* With the interrupt disabled: INT_FORCE sets, write-1-to-clear clears. */
	kite_hc_set_int_enable(hc, 0);
	kite_writel(hc, KITE_REG_INT_FORCE, KITE_INT_DMATEST_ERROR);
	val = kite_readl(hc, KITE_REG_INT_STATUS);
	if ((val & KITE_INT_ALL) != KITE_INT_DMATEST_ERROR) {
		dev_err(dev,
			"interrupt self-test failed: INT_STATUS reads 0x%08x after INT_FORCE 0x%x\n",
			val, KITE_INT_DMATEST_ERROR);
		return -EIO;
	}
	kite_writel(hc, KITE_REG_INT_STATUS, KITE_INT_DMATEST_ERROR);
	val = kite_readl(hc, KITE_REG_INT_STATUS);
	if (val & KITE_INT_ALL) {
		dev_err(dev,
			"interrupt self-test failed: INT_STATUS reads 0x%08x after writing 1 to clear 0x%x\n",
			val, KITE_INT_DMATEST_ERROR);
		return -EIO;
	}

	/* Enabled: each forced bit must reach the handler, which acks it. */
	kite_hc_set_int_enable(hc, KITE_INT_DMATEST);
	for (i = 0; i < ARRAY_SIZE(force); i++) {
		kite_st_arm(hc);
		kite_writel(hc, KITE_REG_INT_FORCE, force[i]);
		irq = kite_st_wait(hc);
		if (!irq) {
			val = kite_readl(hc, KITE_REG_INT_STATUS);
			dev_err(dev,
				"interrupt self-test failed: no interrupt on IRQ %d within %u ms after INT_FORCE 0x%x (INT_STATUS 0x%08x)\n",
				hc->irq, KITE_ST_TIMEOUT_MS, force[i], val);
			return -ETIMEDOUT;
		}
		if (irq != force[i]) {
			dev_err(dev,
				"interrupt self-test failed: handler saw INT_STATUS bits 0x%x after INT_FORCE 0x%x\n",
				irq, force[i]);
			return -EIO;
		}
	}
	val = kite_readl(hc, KITE_REG_INT_STATUS);
	if (val & KITE_INT_ALL) {
		dev_err(dev,
			"interrupt self-test failed: INT_STATUS 0x%08x still set after the handler acknowledged it\n",
			val);
		return -EIO;
	}

	dev_dbg(dev, "interrupt self-test passed on IRQ %d\n", hc->irq);
	return 0;
}

/* Part 2: dma_alloc_coherent() buffer. */
static int kite_st_coherent(struct kite_st *st)
{
	struct device *dev = st->hc->dev;
	const struct kite_st_case *c;
	struct kite_st_res res;
	dma_addr_t dma;
	unsigned int i;
	u8 *buf;
	u32 crc;
	int ret = 0;

	st->kind = "coherent";
	st->passed = 0;

	buf = dma_alloc_coherent(dev, KITE_ST_SIZE, &dma, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	for (i = 0; i < ARRAY_SIZE(kite_st_coherent_cases); i++) {
		c = &kite_st_coherent_cases[i];
		ret = kite_st_check_case(c);
		if (ret)
			break;

		memcpy(buf, st->base, KITE_ST_SIZE);
		memcpy(st->expect, st->base, KITE_ST_SIZE);
		crc = kite_st_apply(st->expect, c);

		ret = kite_st_exec(st, c, dma + kite_st_src(c),
				   dma + kite_st_dst(c), &res);
		if (!ret)
			ret = kite_st_check_res(st, c, &res, crc);
		if (!ret)
			ret = kite_st_compare(st, c, buf, buf + KITE_ST_AREA);
		if (ret)
			break;
		kite_st_pass(st, c, &res);
	}

	if (st->stuck) {
		dev_err(dev, "DMA self-test (coherent): leaking the test buffer, the engine may still write it\n");
		return ret;
	}
	dma_free_coherent(dev, KITE_ST_SIZE, buf, dma);
	if (!ret)
		dev_info(dev, "DMA self-test (coherent): %u cases passed\n",
			 st->passed);
	return ret;
}

/*
 * Map the part of @sbuf the engine reads (DMA_TO_DEVICE) and the part of
 * @dbuf it writes (DMA_FROM_DEVICE). Unused directions get address 0.
 */
static int kite_st_map(struct kite_st *st, const struct kite_st_case *c,
		       u8 *sbuf, u8 *dbuf, dma_addr_t *sdma, dma_addr_t *ddma)
{
	struct device *dev = st->hc->dev;

	*sdma = 0;
	*ddma = 0;
	if (c->op != KITE_ST_FILL) {
		*sdma = dma_map_single(dev, sbuf + c->soff, c->len,
				       DMA_TO_DEVICE);
		if (dma_mapping_error(dev, *sdma))
			goto err;
	}
	if (c->op != KITE_ST_READ) {
		*ddma = dma_map_single(dev, dbuf + c->doff, c->len,
				       DMA_FROM_DEVICE);
		if (dma_mapping_error(dev, *ddma)) {
			if (c->op != KITE_ST_FILL)
				dma_unmap_single(dev, *sdma, c->len,
						 DMA_TO_DEVICE);
			goto err;
		}
	}
	return 0;

err:
	dev_err(dev, "DMA self-test (streaming): dma_map_single() of %u bytes failed\n",
		c->len);
	return -ENOMEM;
}

static void kite_st_unmap(struct kite_st *st, const struct kite_st_case *c,
			  dma_addr_t sdma, dma_addr_t ddma)
{
	struct device *dev = st->hc->dev;

	if (c->op != KITE_ST_READ)
		dma_unmap_single(dev, ddma, c->len, DMA_FROM_DEVICE);
	if (c->op != KITE_ST_FILL)
		dma_unmap_single(dev, sdma, c->len, DMA_TO_DEVICE);
}

/* Load both buffers and the expected image from the base image. */
static void kite_st_load(struct kite_st *st, u8 *sbuf, u8 *dbuf)
{
	memcpy(sbuf, st->base, KITE_ST_AREA);
	memcpy(dbuf, st->base + KITE_ST_AREA, KITE_ST_AREA);
	memcpy(st->expect, st->base, KITE_ST_SIZE);
}

/* One case: map, run, unmap, check. */
static int kite_st_stream_one(struct kite_st *st, const struct kite_st_case *c,
			      u8 *sbuf, u8 *dbuf)
{
	struct kite_st_res res;
	dma_addr_t sdma, ddma;
	u32 crc;
	int ret;

	kite_st_load(st, sbuf, dbuf);
	crc = kite_st_apply(st->expect, c);

	ret = kite_st_map(st, c, sbuf, dbuf, &sdma, &ddma);
	if (ret)
		return ret;
	ret = kite_st_exec(st, c, sdma, ddma, &res);
	if (st->stuck)
		return ret;	/* the engine may still use the mappings */
	kite_st_unmap(st, c, sdma, ddma);

	if (!ret)
		ret = kite_st_check_res(st, c, &res, crc);
	if (!ret)
		ret = kite_st_compare(st, c, sbuf, dbuf);
	if (!ret)
		kite_st_pass(st, c, &res);
	return ret;
}

/* Invert the source bytes of @c in the buffer and in the expected image. */
static void kite_st_change_src(struct kite_st *st, const struct kite_st_case *c,
			       u8 *sbuf)
{
	u32 i;

	for (i = 0; i < c->len; i++) {
		sbuf[c->soff + i] ^= 0xff;
		st->expect[kite_st_src(c) + i] ^= 0xff;
	}
}

/*
 * Map once, run twice: after the first run the CPU takes both buffers back
 * (dma_sync_single_for_cpu), checks them, changes every source byte and
 * gives them back (dma_sync_single_for_device) for the second run.
 */
static int kite_st_stream_reuse(struct kite_st *st, u8 *sbuf, u8 *dbuf)
{
	const struct kite_st_case *c = &kite_st_reuse_case;
	struct device *dev = st->hc->dev;
	struct kite_st_res res;
	dma_addr_t sdma, ddma;
	u32 crc;
	int ret;

	kite_st_load(st, sbuf, dbuf);
	crc = kite_st_apply(st->expect, c);

	ret = kite_st_map(st, c, sbuf, dbuf, &sdma, &ddma);
	if (ret)
		return ret;

	ret = kite_st_exec(st, c, sdma, ddma, &res);
	if (st->stuck)
		return ret;
	if (ret)
		goto unmap;
	dma_sync_single_for_cpu(dev, ddma, c->len, DMA_FROM_DEVICE);
	dma_sync_single_for_cpu(dev, sdma, c->len, DMA_TO_DEVICE);
	ret = kite_st_check_res(st, c, &res, crc);
	if (!ret)
		ret = kite_st_compare(st, c, sbuf, dbuf);
	if (ret)
		goto unmap;
	kite_st_pass(st, c, &res);

	kite_st_change_src(st, c, sbuf);
	crc = kite_st_apply(st->expect, c);
	dma_sync_single_for_device(dev, sdma, c->len, DMA_TO_DEVICE);
	dma_sync_single_for_device(dev, ddma, c->len, DMA_FROM_DEVICE);

	ret = kite_st_exec(st, c, sdma, ddma, &res);
	if (st->stuck)
		return ret;
unmap:
	kite_st_unmap(st, c, sdma, ddma);
	if (ret)
		return ret;
	ret = kite_st_check_res(st, c, &res, crc);
	if (!ret)
		ret = kite_st_compare(st, c, sbuf, dbuf);
	if (!ret)
		kite_st_pass(st, c, &res);
	return ret;
}

/*
 * One DMA_BIDIRECTIONAL mapping of the whole source buffer: the engine
 * copies inside it, the CPU checks and changes the next source (which the
 * engine itself wrote) between dma_sync_single_for_cpu() and
 * dma_sync_single_for_device(), and the engine copies again.
 */
static int kite_st_stream_bidir(struct kite_st *st, u8 *sbuf, u8 *dbuf)
{
	const struct kite_st_case *c = &kite_st_bidir_cases[0];
	struct device *dev = st->hc->dev;
	struct kite_st_res res;
	dma_addr_t dma;
	u32 crc;
	int ret;

	kite_st_load(st, sbuf, dbuf);
	crc = kite_st_apply(st->expect, c);

	dma = dma_map_single(dev, sbuf, KITE_ST_AREA, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(dev, dma)) {
		dev_err(dev, "DMA self-test (streaming): dma_map_single() of %u bytes failed\n",
			KITE_ST_AREA);
		return -ENOMEM;
	}

	ret = kite_st_exec(st, c, dma + c->soff, dma + c->doff, &res);
	if (st->stuck)
		return ret;
	if (ret)
		goto unmap;
	dma_sync_single_for_cpu(dev, dma, KITE_ST_AREA, DMA_BIDIRECTIONAL);
	ret = kite_st_check_res(st, c, &res, crc);
	if (!ret)
		ret = kite_st_compare(st, c, sbuf, dbuf);
	if (ret)
		goto unmap;
	kite_st_pass(st, c, &res);

	c = &kite_st_bidir_cases[1];
	kite_st_change_src(st, c, sbuf);
	crc = kite_st_apply(st->expect, c);
	dma_sync_single_for_device(dev, dma, KITE_ST_AREA, DMA_BIDIRECTIONAL);

	ret = kite_st_exec(st, c, dma + c->soff, dma + c->doff, &res);
	if (st->stuck)
		return ret;
unmap:
	dma_unmap_single(dev, dma, KITE_ST_AREA, DMA_BIDIRECTIONAL);
	if (ret)
		return ret;
	ret = kite_st_check_res(st, c, &res, crc);
	if (!ret)
		ret = kite_st_compare(st, c, sbuf, dbuf);
	if (!ret)
		kite_st_pass(st, c, &res);
	return ret;
}

/* Part 3: kmalloc() buffers with streaming mappings. */
static int kite_st_streaming(struct kite_st *st)
{
	struct device *dev = st->hc->dev;
	u8 *sbuf, *dbuf;
	unsigned int i;
	int ret = 0;

	st->kind = "streaming";
	st->passed = 0;

	sbuf = kmalloc(KITE_ST_AREA, GFP_KERNEL);
	dbuf = kmalloc(KITE_ST_AREA, GFP_KERNEL);
	if (!sbuf || !dbuf) {
		ret = -ENOMEM;
		goto out;
	}

	for (i = 0; i < ARRAY_SIZE(kite_st_stream_cases) && !ret; i++) {
		ret = kite_st_check_case(&kite_st_stream_cases[i]);
		if (!ret)
			ret = kite_st_stream_one(st, &kite_st_stream_cases[i],
						 sbuf, dbuf);
	}
	if (!ret)
		ret = kite_st_check_case(&kite_st_reuse_case);
	if (!ret)
		ret = kite_st_stream_reuse(st, sbuf, dbuf);
	for (i = 0; i < ARRAY_SIZE(kite_st_bidir_cases) && !ret; i++)
		ret = kite_st_check_case(&kite_st_bidir_cases[i]);
	if (!ret)
		ret = kite_st_stream_bidir(st, sbuf, dbuf);

	if (st->stuck) {
		dev_err(dev, "DMA self-test (streaming): leaking the test buffers, the engine may still write them\n");
		return ret;
	}
	if (!ret)
		dev_info(dev, "DMA self-test (streaming): %u cases passed\n",
			 st->passed);
out:
	kfree(dbuf);
	kfree(sbuf);
	return ret;
}

/**
 * kite_selftest_copy() - one COPY through the engine, for the benchmarks
 * @hc: controller with its interrupt requested
 * @src: source bus address
 * @dst: destination bus address
 * @len: bytes
 * @cycles: set to DMATEST_CYCLES on success
 *
 * Return: 0, -EIO when the engine reports an error, -ETIMEDOUT when its
 * interrupt does not come (the engine may then still be writing @dst).
 */
int kite_selftest_copy(struct kite_hc *hc, dma_addr_t src, dma_addr_t dst,
		       u32 len, u32 *cycles)
{
	u32 irq, status;

	kite_writel(hc, KITE_REG_DMATEST_SRC_LO, lower_32_bits(src));
	kite_writel(hc, KITE_REG_DMATEST_SRC_HI, upper_32_bits(src));
	kite_writel(hc, KITE_REG_DMATEST_DST_LO, lower_32_bits(dst));
	kite_writel(hc, KITE_REG_DMATEST_DST_HI, upper_32_bits(dst));
	kite_writel(hc, KITE_REG_DMATEST_LEN, len);
	kite_st_arm(hc);
	kite_hc_set_int_enable(hc, KITE_INT_DMATEST);
	kite_writel(hc, KITE_REG_DMATEST_CTRL,
		    FIELD_PREP(KITE_DMATEST_CTRL_OP_MASK, KITE_ST_COPY) |
		    KITE_DMATEST_CTRL_START_MASK);
	irq = kite_st_wait(hc);
	kite_hc_set_int_enable(hc, 0);
	if (!irq)
		return -ETIMEDOUT;
	status = kite_readl(hc, KITE_REG_DMATEST_STATUS);
	if (irq != KITE_INT_DMATEST_DONE ||
	    (status & KITE_DMATEST_STATUS_ERROR_MASK))
		return -EIO;
	*cycles = kite_readl(hc, KITE_REG_DMATEST_CYCLES);
	return 0;
}

/**
 * kite_selftest_run() - run the whole self-test
 * @hc: controller with its interrupt requested
 *
 * Return: 0, -EIO on a wrong result, -ETIMEDOUT when an interrupt does not
 * arrive, -ENOMEM when buffers or mappings cannot be had.
 */
int kite_selftest_run(struct kite_hc *hc)
{
	struct kite_st st = { .hc = hc };
	int ret;

	st.base = kmalloc(KITE_ST_SIZE, GFP_KERNEL);
	st.expect = kmalloc(KITE_ST_SIZE, GFP_KERNEL);
	if (!st.base || !st.expect) {
		ret = -ENOMEM;
		goto out;
	}
	kite_st_random(st.base, KITE_ST_SIZE, KITE_ST_SEED);

	ret = kite_st_irq(&st);
	if (ret)
		goto out;
	dev_info(hc->dev, "interrupt self-test passed\n");

	if (!hc->has_dma_test) {
		dev_info(hc->dev, "DMA self-test skipped: no DMA test engine in this build\n");
		goto out;
	}

	ret = kite_st_coherent(&st);
	if (!ret)
		ret = kite_st_streaming(&st);
	if (!ret)
		dev_info(hc->dev, "DMA self-test: %u-byte copy took %u bus cycles\n",
			 st.big_len, st.big_cycles);
out:
	kite_hc_set_int_enable(hc, 0);
	kfree(st.expect);
	kfree(st.base);
	return ret;
}
