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

#include "../common/tb.h"

#define MEM_SIZE	(128u * 1024u)
#define SRC_AREA	0x01000u
#define DST_AREA	0x10000u

static struct kite_model *m;
static struct tb_mem mem;
static uint8_t *ref;
static uint64_t base;
static unsigned int wbytes;
static const char *var = "dflt";

struct result {
	uint32_t status, crc, done_bytes, cycles;
	int timeout;
};

static void name(char *buf, size_t n, const char *what)
{
	snprintf(buf, n, "dma-%s-%s", var, what);
}

static void fill_random(uint32_t seed)
{
	uint32_t s = seed | 1;
	size_t i;

	for (i = 0; i < MEM_SIZE; i++)
		mem.data[i] = (uint8_t)tb_rand(&s);
	memcpy(ref, mem.data, MEM_SIZE);
}

static struct result run(unsigned int op, uint64_t src, uint64_t dst, uint32_t len, uint8_t seed,
			 uint8_t step)
{
	struct result r = { 0 };
	int i;

	tb_wr(m, KITE_REG_DMATEST_SRC_LO, (uint32_t)src);
	tb_wr(m, KITE_REG_DMATEST_SRC_HI, (uint32_t)(src >> 32));
	tb_wr(m, KITE_REG_DMATEST_DST_LO, (uint32_t)dst);
	tb_wr(m, KITE_REG_DMATEST_DST_HI, (uint32_t)(dst >> 32));
	tb_wr(m, KITE_REG_DMATEST_LEN, len);
	tb_wr(m, KITE_REG_DMATEST_PATTERN, seed | (uint32_t)step << KITE_DMATEST_PATTERN_STEP_SHIFT);
	tb_wr(m, KITE_REG_DMATEST_CTRL, KITE_DMATEST_CTRL_START_MASK |
	      op << KITE_DMATEST_CTRL_OP_SHIFT);
	for (i = 0; i < 200000; i++) {
		r.status = tb_rd(m, KITE_REG_DMATEST_STATUS);
		if (!(r.status & KITE_DMATEST_STATUS_BUSY_MASK))
			break;
		kite_model_tick(m, 8);
	}
	r.timeout = i == 200000;
	r.crc = tb_rd(m, KITE_REG_DMATEST_CRC);
	r.done_bytes = tb_rd(m, KITE_REG_DMATEST_DONE_BYTES);
	r.cycles = tb_rd(m, KITE_REG_DMATEST_CYCLES);
	/* the memory slave must be idle too: nothing left outstanding */
	for (i = 0; i < 100 && kite_model_busy(m); i++)
		kite_model_tick(m, 1);
	TB_CHECK(!kite_model_busy(m), "bus still busy after the test ended");
	tb_wr(m, KITE_REG_INT_STATUS, 0xffffffff);
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
	TB_CHECK(!r.timeout, "op %u len %u src+%u dst+%u: timeout", op, len, soff, doff);
	TB_CHECK(r.status == KITE_DMATEST_STATUS_DONE_MASK,
		 "op %u len %u src 0x%x dst 0x%x: STATUS 0x%08x", op, len, soff, doff, r.status);
	TB_CHECK(r.crc == exp_crc, "op %u len %u src 0x%x dst 0x%x: CRC 0x%08x expected 0x%08x",
		 op, len, soff, doff, r.crc, exp_crc);
	TB_CHECK(r.done_bytes == len, "op %u len %u: DONE_BYTES %u", op, len, r.done_bytes);
	TB_CHECK(len == 0 || r.cycles > 2, "op %u len %u: CYCLES %u", op, len, r.cycles);
	TB_CHECK(st1.dma_write_bytes - st0.dma_write_bytes ==
		 (op == KITE_DMATEST_CTRL_OP_READ ? 0 : len),
		 "op %u len %u src 0x%x dst 0x%x: %llu strobed bytes written", op, len, soff, doff,
		 (unsigned long long)(st1.dma_write_bytes - st0.dma_write_bytes));
	if (memcmp(ref, mem.data, MEM_SIZE)) {
		for (i = 0; i < MEM_SIZE && ref[i] == mem.data[i]; i++)
			;
		tb_fail("op %u len %u src 0x%x dst 0x%x: memory differs at +0x%x (0x%02x, expected "
			"0x%02x)", op, len, soff, doff, i, mem.data[i], ref[i]);
		memcpy(ref, mem.data, MEM_SIZE);	/* resync so later checks stay meaningful */
	}
}

/* Run a transfer expected to end with an error. */
static void check_err(unsigned int op, uint32_t soff, uint32_t doff, uint32_t len,
		      uint32_t exp_code)
{
	struct result r = run(op, base + soff, base + doff, len, 1, 1);
	uint32_t code = (r.status & KITE_DMATEST_STATUS_ERR_CODE_MASK) >>
			KITE_DMATEST_STATUS_ERR_CODE_SHIFT;

	TB_CHECK(!r.timeout, "error test op %u len %u: timeout", op, len);
	TB_CHECK((r.status & (KITE_DMATEST_STATUS_DONE_MASK | KITE_DMATEST_STATUS_ERROR_MASK |
			      KITE_DMATEST_STATUS_BUSY_MASK)) ==
		 (KITE_DMATEST_STATUS_DONE_MASK | KITE_DMATEST_STATUS_ERROR_MASK),
		 "error test op %u len %u: STATUS 0x%08x", op, len, r.status);
	TB_CHECK(code == exp_code, "error test op %u len %u src+0x%x dst+0x%x [err 0x%llx..0x%llx]: "
		 "ERR_CODE %u expected %u", op, len, soff, doff,
		 (unsigned long long)(mem.err_lo - base), (unsigned long long)(mem.err_hi - base),
		 code, exp_code);
	TB_CHECK(r.done_bytes < len || len == 0, "error test: DONE_BYTES %u of %u", r.done_bytes,
		 len);
	memcpy(ref, mem.data, MEM_SIZE);	/* partial writes are fine; resync */
}

int main(int argc, char **argv)
{
	struct kite_model_config cfg = { NULL, 3 };
	struct kite_mem_ops ops = { tb_mem_read, tb_mem_write, &mem };
	char nm[64], msg[200];
	uint32_t len, sa, da, i, cap, s = 0x1234567;
	unsigned int abits;

	if (argc > 1)
		var = argv[1];
	mem.size = MEM_SIZE;
	mem.data = malloc(MEM_SIZE);
	ref = malloc(MEM_SIZE);
	m = kite_model_create(&cfg, &ops);
	if (!m || !mem.data || !ref) {
		printf("FAIL dma-%s-create: kite_model_create failed\n", var);
		return 1;
	}
	wbytes = kite_model_test_data_bytes(m);
	abits = kite_model_test_addr_bits(m);
	/* above 4 GiB when the bus has 64 address bits, to exercise the high address bits */
	base = abits > 32 ? 0x123400000ull : 0x40000000ull;
	mem.base = base;
	fill_random(1);

	tb_begin();
	cap = tb_rd(m, KITE_REG_CAP);
	TB_CHECK(((cap & KITE_CAP_ADDR_WIDTH_MASK) >> KITE_CAP_ADDR_WIDTH_SHIFT) == abits,
		 "CAP.ADDR_WIDTH %u, bus %u", cap & KITE_CAP_ADDR_WIDTH_MASK, abits);
	TB_CHECK(1u << ((cap & KITE_CAP_DATA_BYTES_LOG2_MASK) >> KITE_CAP_DATA_BYTES_LOG2_SHIFT) ==
		 wbytes, "CAP.DATA_BYTES_LOG2 vs bus width %u", wbytes);
	tb_end((name(nm, sizeof(nm), "cap"), nm));

	tb_begin();
	check_ok(KITE_DMATEST_CTRL_OP_COPY, SRC_AREA, DST_AREA, 0, 0, 0);
	for (len = 1; len <= 70; len++)
		check_ok(KITE_DMATEST_CTRL_OP_COPY, SRC_AREA + (len % 8), DST_AREA + (len * 3 % 8),
			 len, 0, 0);
	for (len = 71; len < 1100; len += 37)
		check_ok(KITE_DMATEST_CTRL_OP_COPY, SRC_AREA + 0x100 + (len % 16),
			 DST_AREA + 0x200 + (len * 5 % 16), len, 0, 0);
	tb_end((name(nm, sizeof(nm), "copy-lengths"), nm));

	tb_begin();
	for (sa = 0; sa < 8; sa++)
		for (da = 0; da < 8; da++) {
			check_ok(KITE_DMATEST_CTRL_OP_COPY, SRC_AREA + 0x40 + sa, DST_AREA + 0x80 + da,
				 45, 0, 0);
			check_ok(KITE_DMATEST_CTRL_OP_COPY, SRC_AREA + 0x400 + sa, DST_AREA + 0x800 + da,
				 333, 0, 0);
		}
	for (sa = 8; sa < 16; sa++)	/* offsets beyond 8 bytes matter for 128-bit buses */
		check_ok(KITE_DMATEST_CTRL_OP_COPY, SRC_AREA + sa, DST_AREA + 23 - sa, 100, 0, 0);
	tb_end((name(nm, sizeof(nm), "copy-alignments"), nm));

	tb_begin();
	/* crossing 4 KiB boundaries on either or both sides, several KiB long */
	check_ok(KITE_DMATEST_CTRL_OP_COPY, 0x0ff3, 0x10f80, 5000, 0, 0);
	check_ok(KITE_DMATEST_CTRL_OP_COPY, 0x2001, 0x12ffd, 9001, 0, 0);
	check_ok(KITE_DMATEST_CTRL_OP_COPY, 0x1000, 0x11000, 4096, 0, 0);
	check_ok(KITE_DMATEST_CTRL_OP_COPY, 0x1fff, 0x13001, 2, 0, 0);
	for (i = 0; i < 12; i++) {
		uint32_t so = 0x1000 + tb_rand(&s) % 0x5000, dof = DST_AREA + tb_rand(&s) % 0x5000;

		check_ok(KITE_DMATEST_CTRL_OP_COPY, so, dof, 1 + tb_rand(&s) % 3000, 0, 0);
	}
	tb_end((name(nm, sizeof(nm), "copy-4k-crossing"), nm));

	tb_begin();
	for (len = 1; len <= 40; len++)
		check_ok(KITE_DMATEST_CTRL_OP_FILL, 0, DST_AREA + (len * 7 % 16), len,
			 (uint8_t)(len * 11), (uint8_t)(len * 3));
	check_ok(KITE_DMATEST_CTRL_OP_FILL, 0, DST_AREA + 0xff9, 5000, 0x5a, 0);
	check_ok(KITE_DMATEST_CTRL_OP_FILL, 0, DST_AREA + 0x1003, 700, 0xff, 1);
	check_ok(KITE_DMATEST_CTRL_OP_FILL, 0, DST_AREA + 0x2005, 3001, 7, 13);
	tb_end((name(nm, sizeof(nm), "fill"), nm));

	tb_begin();
	for (len = 1; len <= 40; len++)
		check_ok(KITE_DMATEST_CTRL_OP_READ, SRC_AREA + (len % 16), 0, len, 0, 0);
	check_ok(KITE_DMATEST_CTRL_OP_READ, 0x0ffd, 0, 6000, 0, 0);
	tb_end((name(nm, sizeof(nm), "read"), nm));

	tb_begin();
	kite_model_test_set_stall(m, 35, 99);
	for (i = 0; i < 25; i++) {
		uint32_t so = 0x1000 + tb_rand(&s) % 0x5000, dof = DST_AREA + tb_rand(&s) % 0x5000;
		unsigned int op = tb_rand(&s) % 3;

		kite_model_test_set_latency(m, tb_rand(&s) % 12);
		check_ok(op, so, dof, 1 + tb_rand(&s) % 2500, (uint8_t)i, (uint8_t)(i * 7));
	}
	kite_model_test_set_stall(m, 0, 1);
	kite_model_test_set_latency(m, 3);
	tb_end((name(nm, sizeof(nm), "stalls-latency"), nm));

	tb_begin();
	{
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
					mem.err_lo = base + SRC_AREA + 5 + at;
					mem.err_hi = mem.err_lo + 1;
					check_err(KITE_DMATEST_CTRL_OP_COPY, SRC_AREA + 5, DST_AREA + 3, l,
						  codes_rd[resp - 2]);
					check_err(KITE_DMATEST_CTRL_OP_READ, SRC_AREA + 5, 0, l,
						  codes_rd[resp - 2]);
					/* write error: COPY and FILL */
					mem.err_lo = base + DST_AREA + 3 + at;
					mem.err_hi = mem.err_lo + 1;
					check_err(KITE_DMATEST_CTRL_OP_COPY, SRC_AREA + 5, DST_AREA + 3, l,
						  codes_wr[resp - 2]);
					check_err(KITE_DMATEST_CTRL_OP_FILL, 0, DST_AREA + 3, l,
						  codes_wr[resp - 2]);
					mem.err_lo = mem.err_hi = 0;
				}
		}
		kite_model_test_set_err_resp(m, 3);
		/* and the engine still works afterwards */
		check_ok(KITE_DMATEST_CTRL_OP_COPY, SRC_AREA + 1, DST_AREA + 2, 777, 0, 0);
	}
	tb_end((name(nm, sizeof(nm), "error-responses"), nm));

	tb_begin();
	{
		uint64_t rd0, wr0, rd1, wr1;

		kite_model_test_bursts(m, &rd0, &wr0);
		check_err(3, SRC_AREA, DST_AREA, 16, KITE_DMATEST_STATUS_ERR_CODE_BAD_OP);
		if (abits < 64) {
			struct result r = run(KITE_DMATEST_CTRL_OP_COPY, base | 1ull << 32, base, 16, 0,
					      0);

			TB_CHECK(((r.status & KITE_DMATEST_STATUS_ERR_CODE_MASK) >>
				  KITE_DMATEST_STATUS_ERR_CODE_SHIFT) ==
				 KITE_DMATEST_STATUS_ERR_CODE_BAD_ADDR, "SRC_HI=1: STATUS 0x%08x",
				 r.status);
			r = run(KITE_DMATEST_CTRL_OP_FILL, 0, 1ull << 40, 16,
				0, 0);
			TB_CHECK(((r.status & KITE_DMATEST_STATUS_ERR_CODE_MASK) >>
				  KITE_DMATEST_STATUS_ERR_CODE_SHIFT) ==
				 KITE_DMATEST_STATUS_ERR_CODE_BAD_ADDR, "DST_HI: STATUS 0x%08x",
				 r.status);
			r = run(KITE_DMATEST_CTRL_OP_READ, 0xfffffff0ull, 0, 0x20, 0, 0);
			TB_CHECK(((r.status & KITE_DMATEST_STATUS_ERR_CODE_MASK) >>
				  KITE_DMATEST_STATUS_ERR_CODE_SHIFT) ==
				 KITE_DMATEST_STATUS_ERR_CODE_BAD_ADDR, "end beyond 4 GiB: STATUS 0x%08x",
				 r.status);
		} else {
			struct result r = run(KITE_DMATEST_CTRL_OP_READ, 0xfffffffffffffff0ull, 0, 0x20,
					      0, 0);

			TB_CHECK(((r.status & KITE_DMATEST_STATUS_ERR_CODE_MASK) >>
				  KITE_DMATEST_STATUS_ERR_CODE_SHIFT) ==
				 KITE_DMATEST_STATUS_ERR_CODE_BAD_ADDR, "end beyond 2^64: STATUS 0x%08x",
				 r.status);
		}
		kite_model_test_bursts(m, &rd1, &wr1);
		TB_CHECK(rd1 == rd0 && wr1 == wr0, "bad OP/address caused bus traffic");
		/* READ ignores DST and FILL ignores SRC, whatever they hold */
		fill_random(7);
		{
			struct result r = run(KITE_DMATEST_CTRL_OP_READ, base + SRC_AREA, ~0ull, 10, 0,
					      0);

			TB_CHECK(r.status == KITE_DMATEST_STATUS_DONE_MASK,
				 "READ with DST = ~0: STATUS 0x%08x", r.status);
		}
	}
	tb_end((name(nm, sizeof(nm), "bad-op-addr"), nm));

	tb_begin();
	{
		uint32_t st, ctrl, pending;
		int k;

		fill_random(3);
		kite_model_test_set_latency(m, 10);
		tb_wr(m, KITE_REG_INT_ENABLE, KITE_INT_ENABLE_DMATEST_DONE_MASK);
		tb_wr(m, KITE_REG_DMATEST_SRC_LO, (uint32_t)(base + SRC_AREA + 3));
		tb_wr(m, KITE_REG_DMATEST_SRC_HI, (uint32_t)((base + SRC_AREA) >> 32));
		tb_wr(m, KITE_REG_DMATEST_DST_LO, (uint32_t)(base + DST_AREA + 1));
		tb_wr(m, KITE_REG_DMATEST_DST_HI, (uint32_t)((base + DST_AREA) >> 32));
		tb_wr(m, KITE_REG_DMATEST_LEN, 8000);
		tb_wr(m, KITE_REG_DMATEST_CTRL, KITE_DMATEST_CTRL_START_MASK);	/* COPY */
		st = tb_rd(m, KITE_REG_DMATEST_STATUS);
		TB_CHECK(st & KITE_DMATEST_STATUS_BUSY_MASK, "not busy after START: 0x%08x", st);
		TB_CHECK(!kite_model_irq(m), "irq while busy");
		/* START with another OP while busy: ignored, OP unchanged */
		tb_wr(m, KITE_REG_DMATEST_CTRL, KITE_DMATEST_CTRL_START_MASK |
		      KITE_DMATEST_CTRL_OP_FILL << KITE_DMATEST_CTRL_OP_SHIFT);
		ctrl = tb_rd(m, KITE_REG_DMATEST_CTRL);
		TB_CHECK(ctrl == 0, "CTRL changed by a START while busy: 0x%08x", ctrl);
		for (k = 0; k < 100000 && !kite_model_irq(m); k++)
			kite_model_tick(m, 1);
		TB_CHECK(kite_model_irq(m), "no interrupt at the end");
		st = tb_rd(m, KITE_REG_DMATEST_STATUS);
		TB_CHECK(st == KITE_DMATEST_STATUS_DONE_MASK, "STATUS 0x%08x", st);
		memcpy(ref + DST_AREA + 1, ref + SRC_AREA + 3, 8000);
		TB_CHECK(!memcmp(ref, mem.data, MEM_SIZE), "memory differs after the busy test");
		TB_CHECK(tb_rd(m, KITE_REG_DMATEST_CRC) == (uint32_t)crc32(0, ref + SRC_AREA + 3, 8000),
			 "CRC after the busy test");
		pending = tb_rd(m, KITE_REG_INT_STATUS);
		TB_CHECK(pending == KITE_INT_STATUS_DMATEST_DONE_MASK, "INT_STATUS 0x%08x", pending);
		tb_wr(m, KITE_REG_INT_STATUS, pending);
		TB_CHECK(!kite_model_irq(m), "irq after W1C");
		/* an error raises DMATEST_ERROR, not DONE */
		tb_wr(m, KITE_REG_INT_ENABLE, 3);
		check_err(3, 0, 0, 1, KITE_DMATEST_STATUS_ERR_CODE_BAD_OP);
		tb_wr(m, KITE_REG_INT_ENABLE, 0);
		kite_model_test_set_latency(m, 3);
	}
	tb_end((name(nm, sizeof(nm), "start-busy-irq"), nm));

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

	tb_begin();
	i = kite_model_test_violations(m, msg, sizeof(msg));
	TB_CHECK(i == 0, "%u AXI protocol violations, first: %s", i, msg);
	tb_end((name(nm, sizeof(nm), "axi-protocol"), nm));

	kite_model_destroy(m);
	free(mem.data);
	free(ref);
	return tb_failures ? 1 : 0;
}
