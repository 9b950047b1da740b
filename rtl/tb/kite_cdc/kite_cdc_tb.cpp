// SPDX-License-Identifier: MIT
/*
 * Testbench of kite_cdc_fifo (WIDTH 16, DEPTH 16): a writer and a reader on two unrelated
 * clocks (several period ratios, including non-integer ones, and both directions faster), random
 * write and read enables whose rates change in phases (idle reader: the FIFO fills up; idle
 * writer: it drains; both at full rate); every word must arrive once, in order; full/empty must
 * be respected and both must be reached; counts stay within DEPTH, rd_count is 0 exactly when
 * rd_empty; the first-word fall-through output keeps up: with two words available a pop leaves
 * the next one valid in the following cycle (the registered RAM read adds no bubble).
 * C++ only around the Verilated class (event-driven two-clock simulation); the PASS/FAIL lines
 * and the name filter are kite_test's (sim/testlib/kite_test.h).
 */
#include <cstdint>
#include <cstdio>

#include "Vkite_cdc_fifo.h"
#include "kite_test.h"
#include "verilated.h"

static uint32_t rng = 1;
static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* periods in ps; returns 0 on success */
static int run(unsigned int wper, unsigned int rper, unsigned int words, char *why, size_t n)
{
	VerilatedContext ctx;
	Vkite_cdc_fifo f{&ctx};
	uint64_t tw = 0, tr = 0;
	/* enable rates in percent, one phase per 256 edges of the side's clock */
	static const unsigned int pct[] = { 75, 67, 0, 100, 100, 0, 30, 100 };
	unsigned int sent = 0, got = 0, overflow = 0, cycles = 0, wedges = 0, redges = 0;
	unsigned int full_seen = 0, empty_seen = 0, wpct = 75, rpct = 67;
	bool keep_up = false;
	uint16_t next_w = 0, next_r = 0;

	f.wr_rst = 1;
	f.rd_rst = 1;
	for (int i = 0; i < 8; i++) {
		f.wr_clk = 0; f.rd_clk = 0; f.eval();
		f.wr_clk = 1; f.rd_clk = 1; f.eval();
	}
	f.wr_rst = 0;
	f.rd_rst = 0;
	f.wr_clk = 0;
	f.rd_clk = 0;
	f.eval();
	tw = wper;
	tr = rper;
	while (got < words && cycles++ < 400000) {
		bool wedge = tw <= tr, redge = tr <= tw;

		/* drive inputs before the edge(s) */
		if (wedge) {
			if (!(wedges++ % 256))
				wpct = pct[rnd() % 8];
			f.wr_en = sent < words && rnd() % 100 < wpct;
			f.wr_data = next_w;
		}
		if (redge) {
			if (!(redges++ % 256))
				rpct = pct[rnd() % 8];
			f.rd_en = rnd() % 100 < rpct;
		}
		f.eval();
		if (redge) {
			if (keep_up && f.rd_empty) {
				snprintf(why, n, "word %u: empty after a pop with two words available",
					 next_r);
				return 1;
			}
			if (f.rd_empty != (f.rd_count == 0) || f.rd_count > 16) {
				snprintf(why, n, "rd_count %u with rd_empty %u", (unsigned)f.rd_count,
					 (unsigned)f.rd_empty);
				return 1;
			}
			empty_seen += sent > 0 && f.rd_empty;
			keep_up = f.rd_en && f.rd_count >= 2;
		}
		if (wedge)
			full_seen += f.wr_full;
		if (redge && f.rd_en && !f.rd_empty) {
			if (f.rd_data != next_r) {
				snprintf(why, n, "word %u: got %u", next_r, (unsigned)f.rd_data);
				return 1;
			}
			next_r++;
			got++;
		}
		if (wedge && f.wr_en && !f.wr_full) {
			next_w++;
			sent++;
		}
		if (wedge && f.wr_count > 16)
			overflow++;
		if (wedge)
			f.wr_clk = 1;
		if (redge)
			f.rd_clk = 1;
		f.eval();
		f.wr_clk = 0;
		f.rd_clk = 0;
		f.eval();
		if (wedge)
			tw += wper;
		if (redge)
			tr += rper;
	}
	if (got != words || overflow || !full_seen || !empty_seen) {
		snprintf(why, n, "received %u of %u words, count overflow %u, full %u, empty %u cycles",
			 got, words, overflow, full_seen, empty_seen);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const unsigned int ratios[][2] = {
		{ 10000, 10000 }, { 10417, 20833 }, { 20833, 10417 }, { 7000, 31000 },
		{ 31000, 7000 }, { 9973, 10007 }, { 13000, 4999 }, { 3001, 47000 },
		{ 47000, 3001 }, { 10000, 10001 },
	};

	kt_init(&argc, argv);
	Verilated::commandArgs(argc, argv);
	for (const auto &r : ratios) {
		char why[128] = "";

		if (!kt_begin("cdc-fifo-%u-%u", r[0], r[1]))
			continue;
		if (run(r[0], r[1], 6000, why, sizeof(why)))
			kt_fail("%s", why);
		kt_end();
	}
	return kt_finish();
}
