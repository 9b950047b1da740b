// SPDX-License-Identifier: MIT
/*
 * Testbench of the DMA self-test (kite_dma_op through kite_hdma), driven through kite_axi_top
 * and its registers, with the C AXI4 memory slave BFM (which checks the AXI protocol: INCR,
 * full size, no 4 KiB crossing, WLAST).
 * Built once per parameter set (see rtl/rtl.mk); argv[1] names it in the PASS/FAIL lines.
 *
 * Every transfer is checked against a reference: destination bytes, nothing written outside
 * [dst, dst + len), strobed byte count, CRC against zlib's crc32(), DONE_BYTES, STATUS.
 */
#include <zlib.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kite_fixture.h"
#include "kite_model_test.h"
#include "kite_test.h"

#define MEM_SIZE	(128u * 1024u)
#define SRC_AREA	0x01000u
#define DST_AREA	0x10000u

static struct kite_model *m;
static struct kf_mem mem;
static uint8_t *memd;		/* the memory window's bytes */
static uint8_t *ref;
static uint64_t base;
static unsigned int wbytes;
static const char *var = "dflt";

struct result {
	uint32_t status, crc, done_bytes, cycles;
	int timeout;
};

static void fill_random(uint32_t seed)
{
	uint32_t s = seed | 1;
	size_t i;

	for (i = 0; i < MEM_SIZE; i++)
		memd[i] = (uint8_t)kt_rand(&s);
	memcpy(ref, memd, MEM_SIZE);
}

static struct result run(unsigned int op, uint64_t src, uint64_t dst, uint32_t len, uint8_t seed,
			 uint8_t step)
{
	struct result r = { 0 };
	int i;

	kf_wr(m, KITE_REG_DMATEST_SRC_LO, (uint32_t)src);
	kf_wr(m, KITE_REG_DMATEST_SRC_HI, (uint32_t)(src >> 32));
	kf_wr(m, KITE_REG_DMATEST_DST_LO, (uint32_t)dst);
	kf_wr(m, KITE_REG_DMATEST_DST_HI, (uint32_t)(dst >> 32));
	kf_wr(m, KITE_REG_DMATEST_LEN, len);
	kf_wr(m, KITE_REG_DMATEST_PATTERN, seed | (uint32_t)step << KITE_DMATEST_PATTERN_STEP_SHIFT);
	kf_wr(m, KITE_REG_DMATEST_CTRL, KITE_DMATEST_CTRL_START_MASK |
	      op << KITE_DMATEST_CTRL_OP_SHIFT);
	for (i = 0; i < 200000; i++) {
		r.status = kf_rd(m, KITE_REG_DMATEST_STATUS);
		if (!(r.status & KITE_DMATEST_STATUS_BUSY_MASK))
			break;
		kite_model_tick(m, 8);
	}
	r.timeout = i == 200000;
	r.crc = kf_rd(m, KITE_REG_DMATEST_CRC);
	r.done_bytes = kf_rd(m, KITE_REG_DMATEST_DONE_BYTES);
	r.cycles = kf_rd(m, KITE_REG_DMATEST_CYCLES);
	/* the memory slave must be idle too: nothing left outstanding */
	for (i = 0; i < 100 && kite_model_busy(m); i++)
		kite_model_tick(m, 1);
	KT_CHECK(!kite_model_busy(m), "bus still busy after the test ended");
	kf_wr(m, KITE_REG_INT_STATUS, 0xffffffff);
	return r;
}

/* Run one successful transfer and compare everything with the reference model. */
static void check_ok(unsigned int op, uint32_t soff, uint32_t doff, uint32_t len, uint8_t seed,
		     uint8_t step)
{
	struct kite_model_stats st0, st1;
	uint64_t src = base + soff, dst = base + doff;
	uint32_t exp_crc = 0, i;
	struct result r;

	kite_model_get_stats(m, &st0);
	r = run(op, src, dst, len, seed, step);
	kite_model_get_stats(m, &st1);
	if (op == KITE_DMATEST_CTRL_OP_COPY) {
		memcpy(ref + doff, ref + soff, len);
		exp_crc = (uint32_t)crc32(0, ref + soff, len);
	} else if (op == KITE_DMATEST_CTRL_OP_FILL) {
		for (i = 0; i < len; i++)
			ref[doff + i] = (uint8_t)(seed + i * step);
		exp_crc = (uint32_t)crc32(0, ref + doff, len);
	} else {
		exp_crc = (uint32_t)crc32(0, ref + soff, len);
	}
	KT_CHECK(!r.timeout, "op %u len %u src+%u dst+%u: timeout", op, len, soff, doff);
	KT_CHECK(r.status == KITE_DMATEST_STATUS_DONE_MASK,
		 "op %u len %u src 0x%x dst 0x%x: STATUS 0x%08x", op, len, soff, doff, r.status);
	KT_CHECK(r.crc == exp_crc, "op %u len %u src 0x%x dst 0x%x: CRC 0x%08x expected 0x%08x",
		 op, len, soff, doff, r.crc, exp_crc);
	KT_CHECK(r.done_bytes == len, "op %u len %u: DONE_BYTES %u", op, len, r.done_bytes);
	KT_CHECK(len == 0 || r.cycles > 2, "op %u len %u: CYCLES %u", op, len, r.cycles);
	KT_CHECK(st1.dma_write_bytes - st0.dma_write_bytes ==
		 (op == KITE_DMATEST_CTRL_OP_READ ? 0 : len),
		 "op %u len %u src 0x%x dst 0x%x: %llu strobed bytes written", op, len, soff, doff,
		 (unsigned long long)(st1.dma_write_bytes - st0.dma_write_bytes));
	if (memcmp(ref, memd, MEM_SIZE)) {
		for (i = 0; i < MEM_SIZE && ref[i] == memd[i]; i++)
			;
		kt_fail("op %u len %u src 0x%x dst 0x%x: memory differs at +0x%x (0x%02x, expected "
			"0x%02x)", op, len, soff, doff, i, memd[i], ref[i]);
		memcpy(ref, memd, MEM_SIZE);	/* resync so later checks stay meaningful */
	}
}

/* Run a transfer expected to end with an error. */
static void check_err(unsigned int op, uint32_t soff, uint32_t doff, uint32_t len,
		      uint32_t exp_code)
{
	struct result r = run(op, base + soff, base + doff, len, 1, 1);
	uint32_t code = (r.status & KITE_DMATEST_STATUS_ERR_CODE_MASK) >>
			KITE_DMATEST_STATUS_ERR_CODE_SHIFT;

	KT_CHECK(!r.timeout, "error test op %u len %u: timeout", op, len);
	KT_CHECK((r.status & (KITE_DMATEST_STATUS_DONE_MASK | KITE_DMATEST_STATUS_ERROR_MASK |
			      KITE_DMATEST_STATUS_BUSY_MASK)) ==
		 (KITE_DMATEST_STATUS_DONE_MASK | KITE_DMATEST_STATUS_ERROR_MASK),
		 "error test op %u len %u: STATUS 0x%08x", op, len, r.status);
	KT_CHECK(code == exp_code, "error test op %u len %u src+0x%x dst+0x%x [err 0x%llx..0x%llx]: "
		 "ERR_CODE %u expected %u", op, len, soff, doff,
		 (unsigned long long)(mem.faulty[0].lo - base), (unsigned long long)(mem.faulty[0].hi - base),
		 code, exp_code);
	KT_CHECK(r.done_bytes < len || len == 0, "error test: DONE_BYTES %u of %u", r.done_bytes,
		 len);
	memcpy(ref, memd, MEM_SIZE);	/* partial writes are fine; resync */
}

int main(int argc, char **argv)
{
	struct kite_model_config cfg = { .mem_latency = 3 };
	struct kite_mem_ops ops = kf_mem_ops(&mem);
	char msg[200];
	uint32_t len, sa, da, i, cap, s = 0x1234567;
	unsigned int abits;

	kt_init(&argc, argv);
	if (argc > 1)
		var = argv[1];
	ref = malloc(MEM_SIZE);
	m = kite_model_create(&cfg, &ops);
	if (m) {
		wbytes = kite_model_test_data_bytes(m);
		abits = kite_model_test_addr_bits(m);
		/* above 4 GiB when the bus has 64 address bits, to exercise the high address bits */
		base = abits > 32 ? 0x123400000ull : 0x40000000ull;
		memd = kf_mem_add(&mem, base, MEM_SIZE);
	}
	if (!m || !memd || !ref) {
		if (kt_begin("dma-%s-create", var))
			kt_fail("kite_model_create failed");
		return kt_finish();
	}
	fill_random(1);

	if (kt_begin("dma-%s-cap", var)) {
		cap = kf_rd(m, KITE_REG_CAP);
		KT_CHECK(((cap & KITE_CAP_ADDR_WIDTH_MASK) >> KITE_CAP_ADDR_WIDTH_SHIFT) == abits,
			 "CAP.ADDR_WIDTH %u, bus %u", cap & KITE_CAP_ADDR_WIDTH_MASK, abits);
		KT_CHECK(1u << ((cap & KITE_CAP_DATA_BYTES_LOG2_MASK) >> KITE_CAP_DATA_BYTES_LOG2_SHIFT) ==
			 wbytes, "CAP.DATA_BYTES_LOG2 vs bus width %u", wbytes);
		kt_end();
	}

	if (kt_begin("dma-%s-copy-lengths", var)) {
		check_ok(KITE_DMATEST_CTRL_OP_COPY, SRC_AREA, DST_AREA, 0, 0, 0);
		for (len = 1; len <= 70; len++)
			check_ok(KITE_DMATEST_CTRL_OP_COPY, SRC_AREA + (len % 8), DST_AREA + (len * 3 % 8),
				 len, 0, 0);
		for (len = 71; len < 1100; len += 37)
			check_ok(KITE_DMATEST_CTRL_OP_COPY, SRC_AREA + 0x100 + (len % 16),
				 DST_AREA + 0x200 + (len * 5 % 16), len, 0, 0);
		kt_end();
	}

	if (kt_begin("dma-%s-copy-alignments", var)) {
		for (sa = 0; sa < 8; sa++)
			for (da = 0; da < 8; da++) {
				check_ok(KITE_DMATEST_CTRL_OP_COPY, SRC_AREA + 0x40 + sa, DST_AREA + 0x80 + da,
					 45, 0, 0);
				check_ok(KITE_DMATEST_CTRL_OP_COPY, SRC_AREA + 0x400 + sa, DST_AREA + 0x800 + da,
					 333, 0, 0);
			}
		for (sa = 8; sa < 16; sa++)	/* offsets beyond 8 bytes matter for 128-bit buses */
			check_ok(KITE_DMATEST_CTRL_OP_COPY, SRC_AREA + sa, DST_AREA + 23 - sa, 100, 0, 0);
		kt_end();
	}

	if (kt_begin("dma-%s-copy-4k-crossing", var)) {
		/* crossing 4 KiB boundaries on either or both sides, several KiB long */
		check_ok(KITE_DMATEST_CTRL_OP_COPY, 0x0ff3, 0x10f80, 5000, 0, 0);
		check_ok(KITE_DMATEST_CTRL_OP_COPY, 0x2001, 0x12ffd, 9001, 0, 0);
		check_ok(KITE_DMATEST_CTRL_OP_COPY, 0x1000, 0x11000, 4096, 0, 0);
		check_ok(KITE_DMATEST_CTRL_OP_COPY, 0x1fff, 0x13001, 2, 0, 0);
		for (i = 0; i < 12; i++) {
			uint32_t so = 0x1000 + kt_rand(&s) % 0x5000, dof = DST_AREA + kt_rand(&s) % 0x5000;

			check_ok(KITE_DMATEST_CTRL_OP_COPY, so, dof, 1 + kt_rand(&s) % 3000, 0, 0);
		}
		kt_end();
	}

	if (kt_begin("dma-%s-fill", var)) {
		for (len = 1; len <= 40; len++)
			check_ok(KITE_DMATEST_CTRL_OP_FILL, 0, DST_AREA + (len * 7 % 16), len,
				 (uint8_t)(len * 11), (uint8_t)(len * 3));
		check_ok(KITE_DMATEST_CTRL_OP_FILL, 0, DST_AREA + 0xff9, 5000, 0x5a, 0);
		check_ok(KITE_DMATEST_CTRL_OP_FILL, 0, DST_AREA + 0x1003, 700, 0xff, 1);
		check_ok(KITE_DMATEST_CTRL_OP_FILL, 0, DST_AREA + 0x2005, 3001, 7, 13);
		kt_end();
	}

	if (kt_begin("dma-%s-read", var)) {
		for (len = 1; len <= 40; len++)
			check_ok(KITE_DMATEST_CTRL_OP_READ, SRC_AREA + (len % 16), 0, len, 0, 0);
		check_ok(KITE_DMATEST_CTRL_OP_READ, 0x0ffd, 0, 6000, 0, 0);
		kt_end();
	}

	if (kt_begin("dma-%s-stalls-latency", var)) {
		kite_model_test_set_stall(m, 35, 99);
		for (i = 0; i < 25; i++) {
			uint32_t so = 0x1000 + kt_rand(&s) % 0x5000, dof = DST_AREA + kt_rand(&s) % 0x5000;
			unsigned int op = kt_rand(&s) % 3;

			kite_model_test_set_latency(m, kt_rand(&s) % 12);
			check_ok(op, so, dof, 1 + kt_rand(&s) % 2500, (uint8_t)i, (uint8_t)(i * 7));
		}
		kite_model_test_set_stall(m, 0, 1);
		kite_model_test_set_latency(m, 3);
		kt_end();
	}

	if (kt_begin("dma-%s-error-responses", var)) {
		static const uint32_t lens[] = { 1, 100, 3000 };
		static const unsigned int codes_rd[] = { KITE_DMATEST_STATUS_ERR_CODE_RD_SLVERR,
							 KITE_DMATEST_STATUS_ERR_CODE_RD_DECERR };
		static const unsigned int codes_wr[] = { KITE_DMATEST_STATUS_ERR_CODE_WR_SLVERR,
							 KITE_DMATEST_STATUS_ERR_CODE_WR_DECERR };
		unsigned int li, where, resp;

		for (resp = 2; resp <= 3; resp++) {
			kite_model_test_set_err_resp(m, resp);
			for (li = 0; li < 3; li++)
				for (where = 0; where < 3; where++) {
					uint32_t l = lens[li];
					uint32_t at = where == 0 ? 0 : where == 1 ? l / 2 : l - 1;

					/* read error: COPY and READ */
					kf_mem_fault(&mem, base + SRC_AREA + 5 + at,
						     base + SRC_AREA + 6 + at, true, true);
					check_err(KITE_DMATEST_CTRL_OP_COPY, SRC_AREA + 5, DST_AREA + 3, l,
						  codes_rd[resp - 2]);
					check_err(KITE_DMATEST_CTRL_OP_READ, SRC_AREA + 5, 0, l,
						  codes_rd[resp - 2]);
					/* write error: COPY and FILL */
					kf_mem_fault_clear(&mem);
					kf_mem_fault(&mem, base + DST_AREA + 3 + at,
						     base + DST_AREA + 4 + at, true, true);
					check_err(KITE_DMATEST_CTRL_OP_COPY, SRC_AREA + 5, DST_AREA + 3, l,
						  codes_wr[resp - 2]);
					check_err(KITE_DMATEST_CTRL_OP_FILL, 0, DST_AREA + 3, l,
						  codes_wr[resp - 2]);
					kf_mem_fault_clear(&mem);
				}
		}
		kite_model_test_set_err_resp(m, 3);
		/* and the engine still works afterwards */
		check_ok(KITE_DMATEST_CTRL_OP_COPY, SRC_AREA + 1, DST_AREA + 2, 777, 0, 0);
		kt_end();
	}

	if (kt_begin("dma-%s-bad-op-addr", var)) {
		uint64_t rd0, wr0, rd1, wr1;

		kite_model_test_bursts(m, &rd0, &wr0);
		check_err(3, SRC_AREA, DST_AREA, 16, KITE_DMATEST_STATUS_ERR_CODE_BAD_OP);
		if (abits < 64) {
			struct result r = run(KITE_DMATEST_CTRL_OP_COPY, base | 1ull << 32, base, 16, 0,
					      0);

			KT_CHECK(((r.status & KITE_DMATEST_STATUS_ERR_CODE_MASK) >>
				  KITE_DMATEST_STATUS_ERR_CODE_SHIFT) ==
				 KITE_DMATEST_STATUS_ERR_CODE_BAD_ADDR, "SRC_HI=1: STATUS 0x%08x",
				 r.status);
			r = run(KITE_DMATEST_CTRL_OP_FILL, 0, 1ull << 40, 16,
				0, 0);
			KT_CHECK(((r.status & KITE_DMATEST_STATUS_ERR_CODE_MASK) >>
				  KITE_DMATEST_STATUS_ERR_CODE_SHIFT) ==
				 KITE_DMATEST_STATUS_ERR_CODE_BAD_ADDR, "DST_HI: STATUS 0x%08x",
				 r.status);
			r = run(KITE_DMATEST_CTRL_OP_READ, 0xfffffff0ull, 0, 0x20, 0, 0);
			KT_CHECK(((r.status & KITE_DMATEST_STATUS_ERR_CODE_MASK) >>
				  KITE_DMATEST_STATUS_ERR_CODE_SHIFT) ==
				 KITE_DMATEST_STATUS_ERR_CODE_BAD_ADDR, "end beyond 4 GiB: STATUS 0x%08x",
				 r.status);
		} else {
			struct result r = run(KITE_DMATEST_CTRL_OP_READ, 0xfffffffffffffff0ull, 0, 0x20,
					      0, 0);

			KT_CHECK(((r.status & KITE_DMATEST_STATUS_ERR_CODE_MASK) >>
				  KITE_DMATEST_STATUS_ERR_CODE_SHIFT) ==
				 KITE_DMATEST_STATUS_ERR_CODE_BAD_ADDR, "end beyond 2^64: STATUS 0x%08x",
				 r.status);
		}
		kite_model_test_bursts(m, &rd1, &wr1);
		KT_CHECK(rd1 == rd0 && wr1 == wr0, "bad OP/address caused bus traffic");
		/* READ ignores DST and FILL ignores SRC, whatever they hold */
		fill_random(7);
		{
			struct result r = run(KITE_DMATEST_CTRL_OP_READ, base + SRC_AREA, ~0ull, 10, 0,
					      0);

			KT_CHECK(r.status == KITE_DMATEST_STATUS_DONE_MASK,
				 "READ with DST = ~0: STATUS 0x%08x", r.status);
		}
		kt_end();
	}

	if (kt_begin("dma-%s-start-busy-irq", var)) {
		uint32_t st, ctrl, pending;
		int k;

		fill_random(3);
		kite_model_test_set_latency(m, 10);
		kf_wr(m, KITE_REG_INT_ENABLE, KITE_INT_ENABLE_DMATEST_DONE_MASK);
		kf_wr(m, KITE_REG_DMATEST_SRC_LO, (uint32_t)(base + SRC_AREA + 3));
		kf_wr(m, KITE_REG_DMATEST_SRC_HI, (uint32_t)((base + SRC_AREA) >> 32));
		kf_wr(m, KITE_REG_DMATEST_DST_LO, (uint32_t)(base + DST_AREA + 1));
		kf_wr(m, KITE_REG_DMATEST_DST_HI, (uint32_t)((base + DST_AREA) >> 32));
		kf_wr(m, KITE_REG_DMATEST_LEN, 8000);
		kf_wr(m, KITE_REG_DMATEST_CTRL, KITE_DMATEST_CTRL_START_MASK);	/* COPY */
		st = kf_rd(m, KITE_REG_DMATEST_STATUS);
		KT_CHECK(st & KITE_DMATEST_STATUS_BUSY_MASK, "not busy after START: 0x%08x", st);
		KT_CHECK(!kite_model_irq(m), "irq while busy");
		/* START with another OP while busy: ignored, OP unchanged */
		kf_wr(m, KITE_REG_DMATEST_CTRL, KITE_DMATEST_CTRL_START_MASK |
		      KITE_DMATEST_CTRL_OP_FILL << KITE_DMATEST_CTRL_OP_SHIFT);
		ctrl = kf_rd(m, KITE_REG_DMATEST_CTRL);
		KT_CHECK(ctrl == 0, "CTRL changed by a START while busy: 0x%08x", ctrl);
		for (k = 0; k < 100000 && !kite_model_irq(m); k++)
			kite_model_tick(m, 1);
		KT_CHECK(kite_model_irq(m), "no interrupt at the end");
		st = kf_rd(m, KITE_REG_DMATEST_STATUS);
		KT_CHECK(st == KITE_DMATEST_STATUS_DONE_MASK, "STATUS 0x%08x", st);
		memcpy(ref + DST_AREA + 1, ref + SRC_AREA + 3, 8000);
		KT_CHECK(!memcmp(ref, memd, MEM_SIZE), "memory differs after the busy test");
		KT_CHECK(kf_rd(m, KITE_REG_DMATEST_CRC) == (uint32_t)crc32(0, ref + SRC_AREA + 3, 8000),
			 "CRC after the busy test");
		pending = kf_rd(m, KITE_REG_INT_STATUS);
		KT_CHECK(pending == KITE_INT_STATUS_DMATEST_DONE_MASK, "INT_STATUS 0x%08x", pending);
		kf_wr(m, KITE_REG_INT_STATUS, pending);
		KT_CHECK(!kite_model_irq(m), "irq after W1C");
		/* an error raises DMATEST_ERROR, not DONE */
		kf_wr(m, KITE_REG_INT_ENABLE, 3);
		check_err(3, 0, 0, 1, KITE_DMATEST_STATUS_ERR_CODE_BAD_OP);
		kf_wr(m, KITE_REG_INT_ENABLE, 0);
		kite_model_test_set_latency(m, 3);
		kt_end();
	}

	/* throughput, for information only: DMATEST_CYCLES of 32 KiB at latency 3, no stalls */
	{
		static const char *const opname[] = { "COPY", "FILL", "READ" };
		unsigned int op;

		for (op = 0; op < 3; op++) {
			struct result r = run(op, base + SRC_AREA + 1, base + DST_AREA + 2, 0x8000,
					      1, 1);

			printf("# dma-%s-rate: %s 32768 bytes in %u cycles (%.2f bytes/cycle)\n", var,
			       opname[op], r.cycles, r.cycles ? 32768.0 / r.cycles : 0.0);
		}
	}

	if (kt_begin("dma-%s-axi-protocol", var)) {
		i = kite_model_test_violations(m, msg, sizeof(msg));
		KT_CHECK(i == 0, "%u AXI protocol violations, first: %s", i, msg);
		kt_end();
	}

	kite_model_destroy(m);
	kf_mem_free(&mem);
	free(ref);
	return kt_finish();
}
