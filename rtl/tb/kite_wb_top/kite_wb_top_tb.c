// SPDX-License-Identifier: MIT
/*
 * Testbench of kite_wb_top (the Wishbone top): the Verilated top (default parameters, the real
 * USB engine, one root port with an idle UTMI PHY) driven by C Wishbone B4 classic BFMs
 * (wb_bfm.c): a master on the register slave (random idle and CYC-only cycles before STB) and a
 * memory slave on the DMA master (random wait states, ERR injection by address window, protocol
 * checks). One PASS/FAIL line per check group.
 *
 * Clocks: one bus cycle = two evaluations (clk low with the BFM outputs applied, BFMs step, clk
 * high); usb_clk toggles at every clk rising edge (usb_clk = clk / 2, as in the model library).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kite_regs.h"
#include "kite_test.h"
#include "wb_bfm.h"
#include "wb_pins.h"

#define MEM_BASE	0x40000000u
#define MEM_SIZE	(128u * 1024u)
#define SRC_AREA	0x01000u
#define DST_AREA	0x08000u
#define EVT_AREA	0x18000u	/* host engine: event ring */
#define RING0_AREA	0x19000u	/* transfer ring of context 0 */
#define RING1_AREA	0x1a000u	/* transfer ring of context 1 (ERR window) */
#define FI_TEST		599u		/* 600 FS bit times per frame: 4800 bus cycles */
#define BUS_PER_FRAME	((FI_TEST + 1) * 4 * 2)

static struct vl_sim *sim;
static struct wb_top_pins P;
static struct wb_master M;
static struct wb_mem_slave S;
static uint8_t *mem, *ref;
static uint64_t ncycles;
static unsigned int reg_max_wait;
static int reg_errs;
static uint32_t rand_state = 0x2468ace1u;	/* kt_rand() */

/* ---------------------------------------------------------------- CRC-32 reference */
/* IEEE 802.3 CRC-32 (reflected, polynomial 0xEDB88320, init and final XOR ~0), bitwise */
static uint32_t crc32_ref(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	int k;

	while (n--) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
	}
	return ~c;
}

/* ---------------------------------------------------------------- clocking */
static void cycle(void)
{
	P.s_wb_cyc = M.cyc_o;
	P.s_wb_stb = M.stb_o;
	P.s_wb_we = M.we_o;
	P.s_wb_adr = M.adr_o;
	P.s_wb_dat_w = M.dat_o;
	P.s_wb_sel = M.sel_o;
	P.m_wb_dat_r = S.dat_o;
	P.m_wb_ack = S.ack_o;
	P.m_wb_err = S.err_o;
	P.clk = 0;
	vl_sim_eval(sim, &P);
	if (S.comb) {
		/* a combinational slave answers within this cycle: evaluate again */
		S.cyc_i = (uint8_t)P.m_wb_cyc;
		S.stb_i = (uint8_t)P.m_wb_stb;
		S.we_i = (uint8_t)P.m_wb_we;
		S.adr_i = P.m_wb_adr;
		S.dat_i = P.m_wb_dat_w;
		S.sel_i = (uint8_t)P.m_wb_sel;
		if (wb_mem_slave_comb(&S)) {
			P.m_wb_dat_r = S.dat_o;
			P.m_wb_ack = S.ack_o;
			P.m_wb_err = S.err_o;
			vl_sim_eval(sim, &P);
		}
	}

	M.ack_i = (uint8_t)P.s_wb_ack;
	M.err_i = (uint8_t)P.s_wb_err;
	M.dat_i = P.s_wb_dat_r;
	wb_master_step(&M);
	S.cyc_i = (uint8_t)P.m_wb_cyc;
	S.stb_i = (uint8_t)P.m_wb_stb;
	S.we_i = (uint8_t)P.m_wb_we;
	S.adr_i = P.m_wb_adr;
	S.dat_i = P.m_wb_dat_w;
	S.sel_i = (uint8_t)P.m_wb_sel;
	wb_mem_slave_step(&S);

	P.clk = 1;
	P.usb_clk = !P.usb_clk;
	vl_sim_eval(sim, &P);
	ncycles++;
}

static void tick(unsigned int n)
{
	while (n--)
		cycle();
}

/* One register access through the Wishbone master; -1 on timeout or ERR. */
static int reg_access(int we, uint32_t off, uint32_t val, uint8_t sel, uint32_t *rd)
{
	int i;

	wb_master_start(&M, we, off >> 2, val, sel);
	for (i = 0; i < 1000; i++) {
		cycle();
		if (M.done)
			break;
	}
	if (!M.done) {
		wb_master_init(&M, M.rng, M.gap_pct);	/* drop the access */
		kt_fail("register %s 0x%03x: no ACK within 1000 cycles", we ? "write" : "read", off);
		return -1;
	}
	if (M.waited > reg_max_wait)
		reg_max_wait = M.waited;
	if (M.err) {
		reg_errs++;
		kt_fail("register %s 0x%03x: ERR", we ? "write" : "read", off);
		return -1;
	}
	if (rd)
		*rd = M.rdata;
	return 0;
}

static uint32_t rd32(uint32_t off)
{
	uint32_t v = 0;

	reg_access(0, off, 0, 0xf, &v);
	return v;
}

static void wr32(uint32_t off, uint32_t v)
{
	reg_access(1, off, v, 0xf, NULL);
}

static uint32_t lanes(uint8_t sel)
{
	uint32_t m = 0;
	int i;

	for (i = 0; i < 4; i++)
		if (sel >> i & 1)
			m |= 0xffu << (8 * i);
	return m;
}

static void reset(void)
{
	memset(&P, 0, sizeof(P));
	P.utmi_txready = 1;		/* idle PHY, line SE0: nothing attached */
	P.rst = 1;
	P.usb_rst = 1;
	tick(8);
	P.rst = 0;
	P.usb_rst = 0;
	tick(4);
}

/* ---------------------------------------------------------------- self-test */
struct result {
	uint32_t status, crc, done_bytes;
	int timeout, bus_idle;
};

static struct result dma_run(unsigned int op, uint32_t src, uint32_t dst, uint32_t len,
			     uint8_t seed, uint8_t step)
{
	struct result r = { 0 };
	int i;

	wr32(KITE_REG_DMATEST_SRC_LO, src);
	wr32(KITE_REG_DMATEST_SRC_HI, 0);
	wr32(KITE_REG_DMATEST_DST_LO, dst);
	wr32(KITE_REG_DMATEST_DST_HI, 0);
	wr32(KITE_REG_DMATEST_LEN, len);
	wr32(KITE_REG_DMATEST_PATTERN, seed | (uint32_t)step << KITE_DMATEST_PATTERN_STEP_SHIFT);
	wr32(KITE_REG_DMATEST_CTRL, KITE_DMATEST_CTRL_START_MASK | op << KITE_DMATEST_CTRL_OP_SHIFT);
	for (i = 0; i < 100000; i++) {
		r.status = rd32(KITE_REG_DMATEST_STATUS);
		if (!(r.status & KITE_DMATEST_STATUS_BUSY_MASK))
			break;
		tick(8);
	}
	r.timeout = i == 100000;
	r.crc = rd32(KITE_REG_DMATEST_CRC);
	r.done_bytes = rd32(KITE_REG_DMATEST_DONE_BYTES);
	/* nothing may be left on the DMA port once the engine reports the end */
	tick(4);
	r.bus_idle = !P.m_wb_cyc;
	wr32(KITE_REG_INT_STATUS, 0xffffffff);
	return r;
}

static void dma_ok(unsigned int op, uint32_t soff, uint32_t doff, uint32_t len, uint8_t seed,
		   uint8_t step)
{
	uint64_t wb0 = S.write_bytes;
	uint32_t exp_crc, i;
	struct result r;

	r = dma_run(op, MEM_BASE + soff, MEM_BASE + doff, len, seed, step);
	if (op == KITE_DMATEST_CTRL_OP_COPY) {
		memmove(ref + doff, ref + soff, len);
		exp_crc = crc32_ref(ref + doff, len);
	} else if (op == KITE_DMATEST_CTRL_OP_FILL) {
		for (i = 0; i < len; i++)
			ref[doff + i] = (uint8_t)(seed + i * step);
		exp_crc = crc32_ref(ref + doff, len);
	} else {
		exp_crc = crc32_ref(ref + soff, len);
	}
	KT_CHECK(!r.timeout, "op %u len %u src+0x%x dst+0x%x: timeout", op, len, soff, doff);
	KT_CHECK(r.bus_idle, "op %u len %u: DMA port still in a cycle after the end", op, len);
	KT_CHECK(r.status == KITE_DMATEST_STATUS_DONE_MASK,
		 "op %u len %u src+0x%x dst+0x%x: STATUS 0x%08x", op, len, soff, doff, r.status);
	KT_CHECK(r.crc == exp_crc, "op %u len %u src+0x%x dst+0x%x: CRC 0x%08x expected 0x%08x",
		 op, len, soff, doff, r.crc, exp_crc);
	KT_CHECK(r.done_bytes == len, "op %u len %u: DONE_BYTES %u", op, len, r.done_bytes);
	KT_CHECK(S.write_bytes - wb0 == (op == KITE_DMATEST_CTRL_OP_READ ? 0 : len),
		 "op %u len %u src+0x%x dst+0x%x: %llu bytes written (byte selects)", op, len, soff,
		 doff, (unsigned long long)(S.write_bytes - wb0));
	if (memcmp(ref, mem, MEM_SIZE)) {
		for (i = 0; i < MEM_SIZE && ref[i] == mem[i]; i++)
			;
		kt_fail("op %u len %u src+0x%x dst+0x%x: memory differs at +0x%x (0x%02x, expected "
			"0x%02x)", op, len, soff, doff, i, mem[i], ref[i]);
		memcpy(ref, mem, MEM_SIZE);
	}
}

static void dma_err(unsigned int op, uint32_t soff, uint32_t doff, uint32_t len, uint32_t code)
{
	struct result r = dma_run(op, MEM_BASE + soff, MEM_BASE + doff, len, 1, 1);
	uint32_t c = (r.status & KITE_DMATEST_STATUS_ERR_CODE_MASK) >>
		     KITE_DMATEST_STATUS_ERR_CODE_SHIFT;

	KT_CHECK(!r.timeout, "error op %u len %u: timeout (hang)", op, len);
	KT_CHECK(r.bus_idle, "error op %u len %u: DMA port still in a cycle", op, len);
	KT_CHECK((r.status & (KITE_DMATEST_STATUS_DONE_MASK | KITE_DMATEST_STATUS_ERROR_MASK |
			      KITE_DMATEST_STATUS_BUSY_MASK)) ==
		 (KITE_DMATEST_STATUS_DONE_MASK | KITE_DMATEST_STATUS_ERROR_MASK),
		 "error op %u len %u: STATUS 0x%08x", op, len, r.status);
	KT_CHECK(c == code, "error op %u len %u [err +0x%x..+0x%x]: ERR_CODE %u expected %u", op,
		 len, S.err_lo - MEM_BASE, S.err_hi - MEM_BASE, c, code);
	KT_CHECK(r.done_bytes < len, "error op %u: DONE_BYTES %u of %u", op, r.done_bytes, len);
	memcpy(ref, mem, MEM_SIZE);	/* partial writes before the error are fine */
}

/* ---------------------------------------------------------------- host engine helpers */
static void put32(uint32_t off, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		mem[off + i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(uint32_t off)
{
	return (uint32_t)mem[off] | (uint32_t)mem[off + 1] << 8 | (uint32_t)mem[off + 2] << 16 |
	       (uint32_t)mem[off + 3] << 24;
}

static void put_trb(uint32_t off, uint32_t lo, uint32_t hi, uint32_t len, uint32_t dw3)
{
	put32(off, lo);
	put32(off + 4, hi);
	put32(off + 8, len);
	put32(off + 12, dw3);
}

/* wait until event slot n has C = 1; 0 on success */
static int wait_event(unsigned int n, unsigned int max_cycles)
{
	unsigned int i;

	for (i = 0; i < max_cycles; i += 16) {
		if (get32(EVT_AREA + 16 * n + 12) & KITE_EVT_DW3_C_MASK)
			return 0;
		tick(16);
	}
	return -1;
}

static void ctx_setup(unsigned int n, uint32_t ring)
{
	wr32(KITE_REG_CTX_CFG0(n), 1u | 1u << KITE_CTX_CFG0_EP_NUM_SHIFT |
	     2u << KITE_CTX_CFG0_TYPE_SHIFT | 64u << KITE_CTX_CFG0_MPS_SHIFT);
	wr32(KITE_REG_CTX_CFG1(n), 0);
	wr32(KITE_REG_CTX_DEQ_LO(n), (MEM_BASE + ring) | 1u);
	wr32(KITE_REG_CTX_DEQ_HI(n), 0);
}

/* ---- identification and capabilities, full and partial byte selects */
static void t_wb_id_cap_regs(void *arg)
{
	uint32_t v;
	static const struct { uint32_t off, val; } idr[] = {
		{ KITE_REG_ID, KITE_ID_MAGIC_RESET },
		{ KITE_REG_VERSION, KITE_VERSION_MAJOR << KITE_VERSION_MAJOR_SHIFT |
		  KITE_VERSION_MINOR << KITE_VERSION_MINOR_SHIFT | KITE_VERSION_PATCH },
		/* 32-bit addresses, 4-byte data, 1 port, self-test, 16-beat bursts */
		{ KITE_REG_CAP, 32u | 2u << KITE_CAP_DATA_BYTES_LOG2_SHIFT |
		  1u << KITE_CAP_NUM_PORTS_SHIFT | KITE_CAP_DMA_TEST_MASK |
		  4u << KITE_CAP_MAX_BURST_LOG2_SHIFT },
	};
	static const uint8_t sels[] = { 0xf, 0x1, 0x2, 0x4, 0x8, 0x3, 0xc, 0x6, 0x9 };
	unsigned int r, j;
	uint32_t ch;

	(void)arg;
	for (r = 0; r < sizeof(idr) / sizeof(idr[0]); r++)
		for (j = 0; j < sizeof(sels); j++) {
			v = 0;
			reg_access(0, idr[r].off, 0, sels[j], &v);
			KT_CHECK((v & lanes(sels[j])) == (idr[r].val & lanes(sels[j])),
				 "reg 0x%03x sel 0x%x: 0x%08x expected 0x%08x", idr[r].off,
				 sels[j], v, idr[r].val);
		}
	/* CAP_HOST: 16 contexts, 1 KiB packet buffer, no on-chip PHY */
	ch = rd32(KITE_REG_CAP_HOST);
	KT_CHECK((ch & KITE_CAP_HOST_NUM_CTX_MASK) == 16 &&
		 (ch & KITE_CAP_HOST_PKT_BUF_LOG2_MASK) >> KITE_CAP_HOST_PKT_BUF_LOG2_SHIFT == 10 &&
		 !(ch & KITE_CAP_HOST_ONCHIP_PHY_MASK), "CAP_HOST 0x%08x", ch);
	for (j = 1; j < sizeof(sels); j++) {
		v = 0;
		reg_access(0, KITE_REG_CAP_HOST, 0, sels[j], &v);
		KT_CHECK((v & lanes(sels[j])) == (ch & lanes(sels[j])),
			 "CAP_HOST sel 0x%x: 0x%08x vs 0x%08x", sels[j], v, ch);
	}
	/* writes to read-only registers change nothing; unmapped offsets read 0 */
	reg_access(1, KITE_REG_ID, 0, 0xf, NULL);
	KT_CHECK(rd32(KITE_REG_ID) == KITE_ID_MAGIC_RESET, "ID changed by a write");
	KT_CHECK(rd32(0x01c) == 0 && rd32(0x7fc) == 0 && rd32(0xffc) == 0,
		 "unmapped offsets do not read 0");
	KT_CHECK(reg_max_wait <= 2, "register ACK after %u cycles", reg_max_wait);
}

/* ---- SCRATCH with every byte-select combination */
static void t_wb_scratch_sel(void *arg)
{
	uint32_t v;
	int k;
	uint32_t model = 0x0badf00du, d;
	unsigned int sel;

	(void)arg;
	wr32(KITE_REG_SCRATCH, model);
	for (k = 0; k < 64; k++) {
		sel = k < 16 ? (unsigned int)k : kt_rand(&rand_state) & 0xf;
		d = kt_rand(&rand_state);
		reg_access(1, KITE_REG_SCRATCH, d, (uint8_t)sel, NULL);
		model = (model & ~lanes((uint8_t)sel)) | (d & lanes((uint8_t)sel));
		v = rd32(KITE_REG_SCRATCH);
		KT_CHECK(v == model, "sel 0x%x data 0x%08x: SCRATCH 0x%08x expected 0x%08x", sel,
			 d, v, model);
	}
	/* back-to-back accesses without idle cycles */
	wb_master_init(&M, M.rng, 0);
	for (k = 0; k < 8; k++) {
		wr32(KITE_REG_SCRATCH, 0x11111111u * (uint32_t)k);
		v = rd32(KITE_REG_SCRATCH);
		KT_CHECK(v == 0x11111111u * (uint32_t)k, "back-to-back: 0x%08x", v);
	}
	wb_master_init(&M, M.rng, 30);
}

/* ---- a master that aborts (drops CYC and STB after one cycle) gets no ACK afterwards */
static void t_wb_reg_abort(void *arg)
{
	uint32_t v;
	int k;
	unsigned int viol0 = M.violations;

	(void)arg;
	for (k = 0; k < 4; k++) {
		M.cyc_o = 1;
		M.stb_o = 1;
		M.we_o = (uint8_t)(k & 1);
		M.adr_o = KITE_REG_SCRATCH >> 2;
		M.dat_o = 0x5a5a5a5au;
		M.sel_o = 0xf;
		cycle();
		M.cyc_o = 0;
		M.stb_o = 0;
		tick(3);
	}
	KT_CHECK(M.violations == viol0, "%s", M.first_violation);
	/* the port works normally afterwards */
	wr32(KITE_REG_SCRATCH, 0x600dcafeu);
	v = rd32(KITE_REG_SCRATCH);
	KT_CHECK(v == 0x600dcafeu, "SCRATCH 0x%08x after the aborts", v);
	M.violations = viol0;	/* reported here, not again in wb-protocol */
}

/* ---- INT_FORCE / INT_STATUS / INT_ENABLE / irq */
static void t_wb_int_irq(void *arg)
{
	uint32_t v;

	(void)arg;
	KT_CHECK(!P.irq && rd32(KITE_REG_INT_STATUS) == 0, "irq or status after reset");
	wr32(KITE_REG_INT_FORCE, KITE_INT_FORCE_EVENT_MASK);
	v = rd32(KITE_REG_INT_STATUS);
	KT_CHECK(v == KITE_INT_STATUS_EVENT_MASK, "INT_STATUS 0x%08x after force", v);
	KT_CHECK(!P.irq, "irq while disabled");
	wr32(KITE_REG_INT_ENABLE, KITE_INT_ENABLE_EVENT_MASK);
	tick(2);
	KT_CHECK(P.irq, "no irq with status and enable");
	/* W1C with the byte of the bit not selected: no effect */
	reg_access(1, KITE_REG_INT_STATUS, 0xffffffffu, 0xe, NULL);
	tick(2);
	KT_CHECK(P.irq && rd32(KITE_REG_INT_STATUS) == KITE_INT_STATUS_EVENT_MASK,
		 "W1C with sel 0xe cleared the status");
	reg_access(1, KITE_REG_INT_STATUS, KITE_INT_STATUS_EVENT_MASK, 0x1, NULL);
	tick(2);
	KT_CHECK(!P.irq && rd32(KITE_REG_INT_STATUS) == 0, "W1C did not clear");
	/* INT_FORCE with sel 0 forces nothing; a forced bit without enable gives no irq */
	reg_access(1, KITE_REG_INT_FORCE, 0x3f, 0x0, NULL);
	KT_CHECK(rd32(KITE_REG_INT_STATUS) == 0, "INT_FORCE with sel 0 had an effect");
	wr32(KITE_REG_INT_FORCE, KITE_INT_FORCE_DMATEST_DONE_MASK);
	tick(2);
	KT_CHECK(!P.irq, "irq for a disabled source");
	wr32(KITE_REG_INT_ENABLE, 0x3f);
	tick(2);
	KT_CHECK(P.irq, "no irq after enabling");
	wr32(KITE_REG_INT_STATUS, 0xffffffffu);
	wr32(KITE_REG_INT_ENABLE, 0);
	tick(2);
	KT_CHECK(!P.irq && rd32(KITE_REG_INT_STATUS) == 0, "irq/status after the final clear");
}

/* ---- self-test through the Wishbone DMA master, random wait states 0..3 */
static void t_wb_dma_copy(void *arg)
{
	uint32_t len, sa, da;

	(void)arg;
	for (len = 1; len <= 40; len++)
		dma_ok(KITE_DMATEST_CTRL_OP_COPY, SRC_AREA + (len % 4), DST_AREA + (len * 3 % 4), len,
		       0, 0);
	for (sa = 0; sa < 4; sa++)
		for (da = 0; da < 4; da++)
			dma_ok(KITE_DMATEST_CTRL_OP_COPY, SRC_AREA + 0x100 + sa, DST_AREA + 0x300 + da,
			       77 + 2 * sa, 0, 0);
	/* longer than the realignment buffer, crossing 4 KiB on both sides */
	dma_ok(KITE_DMATEST_CTRL_OP_COPY, 0x1ffd, 0x8ff6, 2001, 0, 0);
	dma_ok(KITE_DMATEST_CTRL_OP_COPY, 0x3002, 0xa003, 1025, 0, 0);
}

static void t_wb_dma_fill(void *arg)
{
	uint32_t len;

	(void)arg;
	for (len = 1; len <= 24; len++)
		dma_ok(KITE_DMATEST_CTRL_OP_FILL, 0, DST_AREA + 0x1000 + (len * 7 % 16), len,
		       (uint8_t)(len * 11), (uint8_t)(len * 3));
	dma_ok(KITE_DMATEST_CTRL_OP_FILL, 0, 0x9ff9, 1503, 0x5a, 7);
}

static void t_wb_dma_read_crc(void *arg)
{
	uint32_t len;

	(void)arg;
	for (len = 1; len <= 24; len++)
		dma_ok(KITE_DMATEST_CTRL_OP_READ, SRC_AREA + 0x800 + (len % 4), 0, len, 0, 0);
	dma_ok(KITE_DMATEST_CTRL_OP_READ, 0x0ffd, 0, 3001, 0, 0);
}

/* no wait states at all (the fastest answer a registered slave gives), and long waits */
static void t_wb_dma_wait_states(void *arg)
{
	(void)arg;
	S.wait_max = 0;
	dma_ok(KITE_DMATEST_CTRL_OP_COPY, 0x2003, 0xb001, 999, 0, 0);
	dma_ok(KITE_DMATEST_CTRL_OP_READ, 0x2001, 0, 555, 0, 0);
	S.wait_max = 12;
	dma_ok(KITE_DMATEST_CTRL_OP_COPY, 0x2103, 0xb802, 333, 0, 0);
	dma_ok(KITE_DMATEST_CTRL_OP_FILL, 0, 0xc001, 301, 3, 5);
	/* a combinational slave: ACK in the cycle of STB (zero wait states) or after 0..2 */
	S.comb = 1;
	S.wait_max = 0;
	dma_ok(KITE_DMATEST_CTRL_OP_COPY, 0x2203, 0xb401, 517, 0, 0);
	dma_ok(KITE_DMATEST_CTRL_OP_FILL, 0, 0xb903, 77, 9, 1);
	dma_ok(KITE_DMATEST_CTRL_OP_READ, 0x2302, 0, 203, 0, 0);
	S.wait_max = 2;
	dma_ok(KITE_DMATEST_CTRL_OP_COPY, 0x2403, 0xbc02, 301, 0, 0);
	S.err_reads = 1;
	S.err_lo = MEM_BASE + 0x2500 + 40;
	S.err_hi = S.err_lo + 1;
	dma_err(KITE_DMATEST_CTRL_OP_READ, 0x2500, 0, 100, KITE_DMATEST_STATUS_ERR_CODE_RD_SLVERR);
	S.err_reads = 0;
	S.err_writes = 1;
	S.err_lo = MEM_BASE + 0xbe00 + 70;
	S.err_hi = S.err_lo + 1;
	dma_err(KITE_DMATEST_CTRL_OP_FILL, 0, 0xbe00, 100, KITE_DMATEST_STATUS_ERR_CODE_WR_SLVERR);
	S.err_writes = 0;
	S.err_lo = S.err_hi = 0;
	S.comb = 0;
	S.wait_max = 3;
	KT_CHECK(S.comb_answers > 500, "only %llu combinational answers",
		 (unsigned long long)S.comb_answers);
	KT_CHECK(S.wait_cycles > 1000, "only %llu wait states were inserted",
		 (unsigned long long)S.wait_cycles);
}

/* the slave answers ERR to reads (else writes) of the byte at memory offset off */
static void err_byte(int reads, uint32_t off)
{
	S.err_reads = reads;
	S.err_writes = !reads;
	S.err_lo = MEM_BASE + off;
	S.err_hi = S.err_lo + 1;
}

/* ---- ERR on the DMA port: the self-test ends with the error status, nothing hangs */
static void t_wb_dma_err(void *arg)
{
	static const uint32_t lens[] = { 1, 100, 1000 };
	unsigned int li, where;

	(void)arg;
	for (li = 0; li < 3; li++)
		for (where = 0; where < 3; where++) {
			uint32_t l = lens[li];
			uint32_t at = where == 0 ? 0 : where == 1 ? l / 2 : l - 1;

			err_byte(1, SRC_AREA + 5 + at);
			dma_err(KITE_DMATEST_CTRL_OP_COPY, SRC_AREA + 5, DST_AREA + 3, l,
				KITE_DMATEST_STATUS_ERR_CODE_RD_SLVERR);
			dma_err(KITE_DMATEST_CTRL_OP_READ, SRC_AREA + 5, 0, l,
				KITE_DMATEST_STATUS_ERR_CODE_RD_SLVERR);
			err_byte(0, DST_AREA + 3 + at);
			dma_err(KITE_DMATEST_CTRL_OP_COPY, SRC_AREA + 5, DST_AREA + 3, l,
				KITE_DMATEST_STATUS_ERR_CODE_WR_SLVERR);
			dma_err(KITE_DMATEST_CTRL_OP_FILL, 0, DST_AREA + 3, l,
				KITE_DMATEST_STATUS_ERR_CODE_WR_SLVERR);
		}
	S.err_lo = S.err_hi = 0;
	S.err_reads = S.err_writes = 0;
	/* addresses outside the memory: ERR as well */
	dma_err(KITE_DMATEST_CTRL_OP_READ, MEM_SIZE - 8, 0, 64,
		KITE_DMATEST_STATUS_ERR_CODE_RD_SLVERR);
	KT_CHECK(S.errors > 0, "no ERR was ever given");
	/* and the engine still works afterwards */
	dma_ok(KITE_DMATEST_CTRL_OP_COPY, SRC_AREA + 1, DST_AREA + 2, 777, 0, 0);
}

/* ---- host engine: event ring, RUN, FRAME, a NOOP TRB's event, a bus error's event; these
 * tests build on each other (host_cases) */
static void t_wb_host_run_frame(void *arg)
{
	uint32_t f0, f1, st;

	(void)arg;
	memset(mem + EVT_AREA, 0, 16 * 16);
	memset(mem + RING0_AREA, 0, 4 * 16);
	memset(mem + RING1_AREA, 0, 4 * 16);
	memcpy(ref + EVT_AREA, mem + EVT_AREA, 0x3000);
	wr32(KITE_REG_FRAME_INTERVAL, FI_TEST);
	wr32(KITE_REG_EVT_BASE_LO, MEM_BASE + EVT_AREA);
	wr32(KITE_REG_EVT_BASE_HI, 0);
	wr32(KITE_REG_EVT_SIZE, 16);
	wr32(KITE_REG_EVT_DEQ_LO, MEM_BASE + EVT_AREA);
	wr32(KITE_REG_EVT_DEQ_HI, 0);
	wr32(KITE_REG_IMOD, 0);
	wr32(KITE_REG_INT_ENABLE, KITE_INT_ENABLE_EVENT_MASK);
	st = rd32(KITE_REG_USBSTS);
	KT_CHECK(st & KITE_USBSTS_HALTED_MASK, "USBSTS 0x%08x before RUN", st);
	wr32(KITE_REG_USBCMD, KITE_USBCMD_RUN_MASK);
	tick(BUS_PER_FRAME);
	st = rd32(KITE_REG_USBSTS);
	KT_CHECK(!(st & KITE_USBSTS_HALTED_MASK), "USBSTS 0x%08x after RUN", st);
	f0 = rd32(KITE_REG_FRAME) & KITE_FRAME_NUMBER_MASK;
	tick(10 * BUS_PER_FRAME);
	f1 = rd32(KITE_REG_FRAME) & KITE_FRAME_NUMBER_MASK;
	KT_CHECK(((f1 - f0) & 0x7ff) >= 9 && ((f1 - f0) & 0x7ff) <= 11,
		 "FRAME %u -> %u in 10 frame times", f0, f1);
}

static void t_wb_host_noop_event(void *arg)
{
	uint32_t v;
	uint32_t e2, e3, cs;

	(void)arg;
	KT_CHECK(!P.irq, "irq before any event");
	put_trb(RING0_AREA, 0, 0, 0, KITE_TRB_TYPE_NOOP << KITE_TRB_DW3_TYPE_SHIFT |
		KITE_TRB_DW3_IOC_MASK | KITE_TRB_DW3_C_MASK);
	ctx_setup(0, RING0_AREA);
	wr32(KITE_REG_CTX_STATE(0), KITE_CTX_STATE_STATE_RUNNING);
	KT_CHECK(wait_event(0, 20000) == 0, "no event within 20000 cycles");
	e2 = get32(EVT_AREA + 8);
	e3 = get32(EVT_AREA + 12);
	KT_CHECK(get32(EVT_AREA) == MEM_BASE + RING0_AREA && get32(EVT_AREA + 4) == 0,
		 "event PTR 0x%08x%08x", get32(EVT_AREA + 4), get32(EVT_AREA));
	KT_CHECK((e2 & KITE_EVT_DW2_CODE_MASK) >> KITE_EVT_DW2_CODE_SHIFT ==
		 KITE_EVT_CODE_SUCCESS && (e2 & KITE_EVT_DW2_RESIDUAL_MASK) == 0,
		 "event dw2 0x%08x", e2);
	KT_CHECK((e3 & KITE_EVT_DW3_TYPE_MASK) >> KITE_EVT_DW3_TYPE_SHIFT ==
		 KITE_EVT_TYPE_TRANSFER && (e3 & KITE_EVT_DW3_CTX_MASK) == 0,
		 "event dw3 0x%08x", e3);
	tick(200);
	KT_CHECK(P.irq && (rd32(KITE_REG_INT_STATUS) & KITE_INT_STATUS_EVENT_MASK),
		 "no EVENT interrupt");
	cs = rd32(KITE_REG_CTX_STATE(0));
	KT_CHECK((cs & KITE_CTX_STATE_STATE_MASK) == KITE_CTX_STATE_STATE_RUNNING,
		 "CTX_STATE 0x%08x", cs);
	v = rd32(KITE_REG_CTX_DEQ_LO(0));
	KT_CHECK(v == ((MEM_BASE + RING0_AREA + 16) | 1u), "CTX_DEQ_LO 0x%08x", v);
	KT_CHECK(!(get32(EVT_AREA + 16 + 12) & 1), "a second event was written");
	wr32(KITE_REG_EVT_DEQ_LO, MEM_BASE + EVT_AREA + 16);
	wr32(KITE_REG_INT_STATUS, KITE_INT_STATUS_EVENT_MASK);
	tick(2);
	KT_CHECK(!P.irq, "irq after W1C");
}

/* ---- while a long self-test READ keeps the read direction busy, the host engine's event
 * write still gets the DMA port (no starvation of writes behind reads) */
static void t_wb_host_write_vs_read(void *arg)
{
	uint32_t v;
	int k;
	uint32_t st = 0;
	int seen_busy = 0;

	(void)arg;
	put_trb(RING0_AREA + 16, 0, 0, 0, KITE_TRB_TYPE_NOOP << KITE_TRB_DW3_TYPE_SHIFT |
		KITE_TRB_DW3_IOC_MASK | KITE_TRB_DW3_C_MASK);
	wr32(KITE_REG_DMATEST_SRC_LO, MEM_BASE);
	wr32(KITE_REG_DMATEST_SRC_HI, 0);
	wr32(KITE_REG_DMATEST_LEN, 0x10000);
	wr32(KITE_REG_DMATEST_CTRL, KITE_DMATEST_CTRL_START_MASK |
	     KITE_DMATEST_CTRL_OP_READ << KITE_DMATEST_CTRL_OP_SHIFT);
	tick(500);
	wr32(KITE_REG_DOORBELL, 0);
	for (k = 0; k < 5000; k++) {
		if (get32(EVT_AREA + 16 + 12) & KITE_EVT_DW3_C_MASK)
			break;
		tick(16);
	}
	st = rd32(KITE_REG_DMATEST_STATUS);
	seen_busy = !!(st & KITE_DMATEST_STATUS_BUSY_MASK);
	KT_CHECK(get32(EVT_AREA + 16 + 12) & KITE_EVT_DW3_C_MASK, "no event at all");
	KT_CHECK(seen_busy, "the event was written only after the self-test ended "
		 "(STATUS 0x%08x, %d polls)", st, k);
	KT_CHECK(get32(EVT_AREA + 16) == MEM_BASE + RING0_AREA + 16, "event PTR 0x%08x",
		 get32(EVT_AREA + 16));
	for (k = 0; k < 100000 && (rd32(KITE_REG_DMATEST_STATUS) &
				   KITE_DMATEST_STATUS_BUSY_MASK); k++)
		tick(16);
	st = rd32(KITE_REG_DMATEST_STATUS);
	KT_CHECK(st == KITE_DMATEST_STATUS_DONE_MASK, "self-test STATUS 0x%08x", st);
	v = rd32(KITE_REG_DMATEST_CRC);
	KT_CHECK(v == crc32_ref(mem, 0x10000), "self-test CRC 0x%08x", v);
	wr32(KITE_REG_EVT_DEQ_LO, MEM_BASE + EVT_AREA + 32);
	wr32(KITE_REG_INT_STATUS, 0xffffffffu);
}

static void t_wb_host_bus_error(void *arg)
{
	uint32_t v;
	int k;
	uint32_t e2, e3, cs;
	uint64_t err0 = S.errors;

	(void)arg;
	/* context 1's TRB fetch is answered with ERR: BUS_ERROR event, context HALTED */
	put_trb(RING1_AREA, 0, 0, 0, KITE_TRB_TYPE_NOOP << KITE_TRB_DW3_TYPE_SHIFT |
		KITE_TRB_DW3_IOC_MASK | KITE_TRB_DW3_C_MASK);
	S.err_reads = 1;
	S.err_writes = 0;
	S.err_lo = MEM_BASE + RING1_AREA;
	S.err_hi = S.err_lo + 16;
	ctx_setup(1, RING1_AREA);
	wr32(KITE_REG_CTX_STATE(1), KITE_CTX_STATE_STATE_RUNNING);
	KT_CHECK(wait_event(2, 20000) == 0, "no event within 20000 cycles");
	S.err_lo = S.err_hi = 0;
	S.err_reads = 0;
	KT_CHECK(S.errors > err0, "the TRB fetch was not answered with ERR");
	e2 = get32(EVT_AREA + 32 + 8);
	e3 = get32(EVT_AREA + 32 + 12);
	KT_CHECK((e2 & KITE_EVT_DW2_CODE_MASK) >> KITE_EVT_DW2_CODE_SHIFT ==
		 KITE_EVT_CODE_BUS_ERROR, "event dw2 0x%08x", e2);
	KT_CHECK((e3 & KITE_EVT_DW3_TYPE_MASK) >> KITE_EVT_DW3_TYPE_SHIFT ==
		 KITE_EVT_TYPE_TRANSFER &&
		 (e3 & KITE_EVT_DW3_CTX_MASK) >> KITE_EVT_DW3_CTX_SHIFT == 1,
		 "event dw3 0x%08x", e3);
	tick(200);
	cs = rd32(KITE_REG_CTX_STATE(1));
	KT_CHECK((cs & KITE_CTX_STATE_STATE_MASK) == KITE_CTX_STATE_STATE_HALTED,
		 "CTX_STATE 0x%08x", cs);
	v = rd32(KITE_REG_USBSTS);
	KT_CHECK(!(v & (KITE_USBSTS_HALTED_MASK | KITE_USBSTS_HOST_ERROR_MASK)),
		 "USBSTS 0x%08x: the controller stopped", v);
	/* the controller still runs: HCRESET, then halted */
	wr32(KITE_REG_USBCMD, KITE_USBCMD_HCRESET_MASK);
	for (k = 0; k < 1000 && !(rd32(KITE_REG_USBSTS) & KITE_USBSTS_HALTED_MASK); k++)
		tick(8);
	KT_CHECK(rd32(KITE_REG_USBSTS) & KITE_USBSTS_HALTED_MASK, "not halted after HCRESET");
	tick(16);
	KT_CHECK(!P.m_wb_cyc, "DMA port busy after HCRESET");
}

/* ---- protocol checks over the whole run */
static void t_wb_protocol(void *arg)
{
	(void)arg;
	KT_CHECK(S.violations == 0, "DMA port: %u Wishbone violations, first: %s", S.violations,
		 S.first_violation);
	KT_CHECK(M.violations == 0, "register port: %u Wishbone violations, first: %s",
		 M.violations, M.first_violation);
	KT_CHECK(reg_errs == 0, "%d register accesses ended with ERR", reg_errs);
	KT_CHECK(S.reads > 0 && S.writes > 0, "no DMA traffic");
}

static const struct kt_case cases[] = {
	{ "wb-id-cap-regs", t_wb_id_cap_regs },
	{ "wb-scratch-sel", t_wb_scratch_sel },
	{ "wb-reg-abort", t_wb_reg_abort },
	{ "wb-int-irq", t_wb_int_irq },
	{ "wb-dma-copy", t_wb_dma_copy },
	{ "wb-dma-fill", t_wb_dma_fill },
	{ "wb-dma-read-crc", t_wb_dma_read_crc },
	{ "wb-dma-wait-states", t_wb_dma_wait_states },
	{ "wb-dma-err", t_wb_dma_err },
};

/* the host tests build on each other: a selected one runs those before it first (kt_run_seq) */
static const struct kt_case host_cases[] = {
	{ "wb-host-run-frame", t_wb_host_run_frame },
	{ "wb-host-noop-event", t_wb_host_noop_event },
	{ "wb-host-write-vs-read", t_wb_host_write_vs_read },
	{ "wb-host-bus-error", t_wb_host_bus_error },
};

/* over the whole run */
static const struct kt_case protocol_cases[] = {
	{ "wb-protocol", t_wb_protocol },
};

int main(int argc, char **argv)
{
	uint32_t i;

	kt_init(&argc, argv);
	mem = calloc(1, MEM_SIZE);
	ref = calloc(1, MEM_SIZE);
	sim = vl_sim_create();
	if (!sim || !mem || !ref) {
		kt_result("wb-create", false, "out of memory or model creation failed");
		return kt_finish();
	}
	for (i = 0; i < MEM_SIZE; i++)
		mem[i] = (uint8_t)kt_rand(&rand_state);
	memcpy(ref, mem, MEM_SIZE);
	wb_master_init(&M, 0x1357u, 30);
	wb_mem_slave_init(&S, mem, MEM_BASE, MEM_SIZE, 3, 0x9abcu);
	reset();
	kt_run(cases, KT_ARRAY_SIZE(cases), NULL);
	kt_run_seq(host_cases, KT_ARRAY_SIZE(host_cases), NULL);
	kt_run(protocol_cases, KT_ARRAY_SIZE(protocol_cases), NULL);
	printf("# kite_wb_top_tb: %llu cycles, DMA %llu reads %llu writes %llu ERR, %llu CYC tenures\n",
	       (unsigned long long)ncycles, (unsigned long long)S.reads,
	       (unsigned long long)S.writes, (unsigned long long)S.errors,
	       (unsigned long long)S.cycs);
	vl_sim_destroy(sim);
	free(mem);
	free(ref);
	return kt_finish();
}
