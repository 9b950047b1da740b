// SPDX-License-Identifier: MIT
/*
 * Testbench of kite_axil_regs, driven through kite_axi_top (default parameters) with the C
 * AXI4-Lite master BFM. Expected values come from driver/kite_regs.h (generated, like the RTL
 * package, from rtl/regs/kite_regs.toml).
 */
#include "../common/tb.h"

static const uint32_t rw_regs[] = {
	KITE_REG_SCRATCH, KITE_REG_DMATEST_SRC_LO, KITE_REG_DMATEST_SRC_HI,
	KITE_REG_DMATEST_DST_LO, KITE_REG_DMATEST_DST_HI, KITE_REG_DMATEST_LEN,
};

int main(void)
{
	struct kite_model_config cfg = { NULL, 2 };
	struct kite_model *m = kite_model_create(&cfg, NULL);
	uint32_t v, cap;
	unsigned int i, order;

	if (!m) {
		printf("FAIL regs-create: kite_model_create failed\n");
		return 1;
	}

	tb_begin();
	TB_CHECK(tb_rd(m, KITE_REG_ID) == KITE_ID_MAGIC_RESET, "ID = 0x%08x", tb_rd(m, KITE_REG_ID));
	v = tb_rd(m, KITE_REG_VERSION);
	TB_CHECK(((v & KITE_VERSION_MAJOR_MASK) >> KITE_VERSION_MAJOR_SHIFT) == KITE_VERSION_MAJOR &&
		 ((v & KITE_VERSION_MINOR_MASK) >> KITE_VERSION_MINOR_SHIFT) == KITE_VERSION_MINOR &&
		 ((v & KITE_VERSION_PATCH_MASK) >> KITE_VERSION_PATCH_SHIFT) == KITE_VERSION_PATCH &&
		 v == KITE_VERSION_RESET, "VERSION = 0x%08x", v);
	cap = tb_rd(m, KITE_REG_CAP);
	TB_CHECK(((cap & KITE_CAP_ADDR_WIDTH_MASK) >> KITE_CAP_ADDR_WIDTH_SHIFT) == 64,
		 "CAP.ADDR_WIDTH (CAP 0x%08x)", cap);
	TB_CHECK(((cap & KITE_CAP_DATA_BYTES_LOG2_MASK) >> KITE_CAP_DATA_BYTES_LOG2_SHIFT) == 3,
		 "CAP.DATA_BYTES_LOG2 (CAP 0x%08x)", cap);
	TB_CHECK(((cap & KITE_CAP_NUM_PORTS_MASK) >> KITE_CAP_NUM_PORTS_SHIFT) == 1,
		 "CAP.NUM_PORTS (CAP 0x%08x)", cap);
	TB_CHECK(cap & KITE_CAP_DMA_TEST_MASK, "CAP.DMA_TEST (CAP 0x%08x)", cap);
	TB_CHECK(((cap & KITE_CAP_MAX_BURST_LOG2_MASK) >> KITE_CAP_MAX_BURST_LOG2_SHIFT) == 4,
		 "CAP.MAX_BURST_LOG2 (CAP 0x%08x)", cap);
	TB_CHECK((cap & ~(KITE_CAP_ADDR_WIDTH_MASK | KITE_CAP_DATA_BYTES_LOG2_MASK |
			  KITE_CAP_NUM_PORTS_MASK | KITE_CAP_DMA_TEST_MASK |
			  KITE_CAP_MAX_BURST_LOG2_MASK)) == 0, "CAP reserved bits set: 0x%08x", cap);
	tb_end("regs-id-version-cap");

	tb_begin();
	TB_CHECK(tb_rd(m, KITE_REG_SCRATCH) == KITE_SCRATCH_RESET, "SCRATCH reset");
	TB_CHECK(tb_rd(m, KITE_REG_INT_STATUS) == KITE_INT_STATUS_RESET, "INT_STATUS reset");
	TB_CHECK(tb_rd(m, KITE_REG_INT_ENABLE) == KITE_INT_ENABLE_RESET, "INT_ENABLE reset");
	TB_CHECK(tb_rd(m, KITE_REG_DMATEST_LEN) == KITE_DMATEST_LEN_RESET, "LEN reset");
	TB_CHECK(tb_rd(m, KITE_REG_DMATEST_PATTERN) == KITE_DMATEST_PATTERN_RESET, "PATTERN reset");
	TB_CHECK(tb_rd(m, KITE_REG_DMATEST_CTRL) == KITE_DMATEST_CTRL_RESET, "CTRL reset");
	TB_CHECK(tb_rd(m, KITE_REG_DMATEST_STATUS) == KITE_DMATEST_STATUS_RESET, "STATUS reset");
	TB_CHECK(tb_rd(m, KITE_REG_DMATEST_CRC) == KITE_DMATEST_CRC_RESET, "CRC reset");
	TB_CHECK(!kite_model_irq(m), "irq high after reset");
	tb_end("regs-reset");

	tb_begin();
	for (i = 0; i < sizeof(rw_regs) / sizeof(rw_regs[0]); i++) {
		static const uint32_t pats[] = { 0xffffffff, 0x00000000, 0xa5a5a5a5, 0x5a5a5a5a,
						 0x12345678 };
		unsigned int k;

		for (k = 0; k < 5; k++) {
			tb_wr(m, rw_regs[i], pats[k] ^ i);
			v = tb_rd(m, rw_regs[i]);
			TB_CHECK(v == (pats[k] ^ i), "reg 0x%03x wrote 0x%08x read 0x%08x", rw_regs[i],
				 pats[k] ^ i, v);
		}
	}
	tb_wr(m, KITE_REG_DMATEST_PATTERN, 0xffffffff);
	v = tb_rd(m, KITE_REG_DMATEST_PATTERN);
	TB_CHECK(v == (KITE_DMATEST_PATTERN_SEED_MASK | KITE_DMATEST_PATTERN_STEP_MASK),
		 "PATTERN reserved bits: 0x%08x", v);
	tb_wr(m, KITE_REG_DMATEST_CTRL, KITE_DMATEST_CTRL_OP_MASK);	/* OP = 3, no START */
	v = tb_rd(m, KITE_REG_DMATEST_CTRL);
	TB_CHECK(v == KITE_DMATEST_CTRL_OP_MASK, "CTRL.OP readback 0x%08x", v);
	TB_CHECK(!(tb_rd(m, KITE_REG_DMATEST_STATUS) & KITE_DMATEST_STATUS_BUSY_MASK),
		 "OP write without START started the engine");
	tb_wr(m, KITE_REG_DMATEST_CTRL, 0);
	/* read-only registers ignore writes */
	tb_wr(m, KITE_REG_ID, 0);
	tb_wr(m, KITE_REG_CAP, 0);
	TB_CHECK(tb_rd(m, KITE_REG_ID) == KITE_ID_MAGIC_RESET, "ID writable");
	TB_CHECK(tb_rd(m, KITE_REG_CAP) == cap, "CAP writable");
	tb_end("regs-rw");

	tb_begin();
	tb_wr(m, KITE_REG_SCRATCH, 0x11223344);
	for (i = 0; i < 16; i++) {
		uint32_t exp = 0x11223344, data = 0xa0b0c0d0 + i, k;

		kite_model_reg_write(m, KITE_REG_SCRATCH, 0x11223344, 0xf);
		TB_CHECK(kite_model_reg_write(m, KITE_REG_SCRATCH, data, (uint8_t)i) == 0,
			 "strobed write failed");
		for (k = 0; k < 4; k++)
			if (i & (1u << k))
				exp = (exp & ~(0xffu << (8 * k))) | (data & (0xffu << (8 * k)));
		v = tb_rd(m, KITE_REG_SCRATCH);
		TB_CHECK(v == exp, "strb 0x%x: read 0x%08x expected 0x%08x", i, v, exp);
	}
	tb_end("regs-byte-strobes");

	tb_begin();
	for (order = 0; order < 3; order++) {
		kite_model_test_set_axil_order(m, order);
		for (i = 0; i < 4; i++) {
			uint32_t d = 0xc0de0000 + order * 16 + i;

			tb_wr(m, KITE_REG_SCRATCH, d);
			v = tb_rd(m, KITE_REG_SCRATCH);
			TB_CHECK(v == d, "order %u: read 0x%08x expected 0x%08x", order, v, d);
		}
	}
	kite_model_test_set_axil_order(m, 0);
	tb_end("regs-aw-w-order");

	tb_begin();
	{
		/* 0x0c0: after PORTSC[14]; 0x818: a context's reserved word; 0xffc: context 63,
		 * beyond NUM_CTX */
		static const uint32_t unmapped[] = { 0x014, 0x02c, 0x0c0, 0x0fc, 0x12c, 0x200,
						     0x818, 0xffc };

		for (i = 0; i < sizeof(unmapped) / sizeof(unmapped[0]); i++) {
			TB_CHECK(kite_model_reg_write(m, unmapped[i], 0xffffffff, 0xf) == 0,
				 "write to unmapped 0x%03x not OKAY", unmapped[i]);
			TB_CHECK(kite_model_reg_read(m, unmapped[i], &v) == 0 &&
				 kite_model_test_last_resp(m) == 0, "read of unmapped 0x%03x not OKAY",
				 unmapped[i]);
			TB_CHECK(v == 0, "unmapped 0x%03x reads 0x%08x", unmapped[i], v);
		}
		TB_CHECK(tb_rd(m, KITE_REG_INT_STATUS) == 0, "unmapped writes changed INT_STATUS");
	}
	tb_end("regs-unmapped");

	tb_begin();
	tb_wr(m, KITE_REG_INT_ENABLE, 0);
	tb_wr(m, KITE_REG_INT_FORCE, KITE_INT_FORCE_DMATEST_DONE_MASK);
	v = tb_rd(m, KITE_REG_INT_STATUS);
	TB_CHECK(v == KITE_INT_STATUS_DMATEST_DONE_MASK, "FORCE DONE: status 0x%08x", v);
	TB_CHECK(!kite_model_irq(m), "irq high while disabled");
	TB_CHECK(tb_rd(m, KITE_REG_INT_FORCE) == 0, "INT_FORCE reads non-zero");
	tb_wr(m, KITE_REG_INT_ENABLE, KITE_INT_ENABLE_DMATEST_ERROR_MASK);
	TB_CHECK(!kite_model_irq(m), "irq high with other source enabled");
	tb_wr(m, KITE_REG_INT_ENABLE, KITE_INT_ENABLE_DMATEST_DONE_MASK);
	TB_CHECK(kite_model_irq(m), "irq low with source enabled");
	tb_wr(m, KITE_REG_INT_FORCE, KITE_INT_FORCE_DMATEST_ERROR_MASK);
	v = tb_rd(m, KITE_REG_INT_STATUS);
	TB_CHECK(v == (KITE_INT_STATUS_DMATEST_DONE_MASK | KITE_INT_STATUS_DMATEST_ERROR_MASK),
		 "FORCE ERROR: status 0x%08x", v);
	/* W1C: writing 0 clears nothing, writing 1 clears that bit only */
	tb_wr(m, KITE_REG_INT_STATUS, 0);
	TB_CHECK(tb_rd(m, KITE_REG_INT_STATUS) == 3, "W1C of 0 cleared something");
	tb_wr(m, KITE_REG_INT_STATUS, KITE_INT_STATUS_DMATEST_DONE_MASK);
	v = tb_rd(m, KITE_REG_INT_STATUS);
	TB_CHECK(v == KITE_INT_STATUS_DMATEST_ERROR_MASK, "W1C DONE: status 0x%08x", v);
	TB_CHECK(!kite_model_irq(m), "irq high after clearing the enabled source");
	tb_wr(m, KITE_REG_INT_ENABLE, 3);
	TB_CHECK(kite_model_irq(m), "irq low with ERROR pending and enabled");
	/* W1C with the byte strobe off does nothing */
	kite_model_reg_write(m, KITE_REG_INT_STATUS, 0xffffffff, 0xe);
	TB_CHECK(tb_rd(m, KITE_REG_INT_STATUS) == KITE_INT_STATUS_DMATEST_ERROR_MASK,
		 "W1C ignored the byte strobes");
	tb_wr(m, KITE_REG_INT_STATUS, 0xffffffff);
	TB_CHECK(tb_rd(m, KITE_REG_INT_STATUS) == 0, "W1C all");
	TB_CHECK(!kite_model_irq(m), "irq high with nothing pending");
	tb_wr(m, KITE_REG_INT_ENABLE, 0xffffffff);
	TB_CHECK(tb_rd(m, KITE_REG_INT_ENABLE) == 0x3f, "INT_ENABLE reserved bits writable");
	tb_wr(m, KITE_REG_INT_ENABLE, 0);
	tb_end("regs-interrupts");

	/* host controller registers: reset values and access types */
	tb_begin();
	{
		struct { uint32_t off, reset; } rv[] = {
			{ KITE_REG_USBCMD, KITE_USBCMD_RESET }, { KITE_REG_USBSTS, KITE_USBSTS_RESET },
			{ KITE_REG_FRAME, KITE_FRAME_RESET },
			{ KITE_REG_FRAME_INTERVAL, KITE_FRAME_INTERVAL_RESET },
			{ KITE_REG_EVT_BASE_LO, 0 }, { KITE_REG_EVT_BASE_HI, 0 },
			{ KITE_REG_EVT_SIZE, KITE_EVT_SIZE_RESET }, { KITE_REG_IMOD, 0 },
			{ KITE_REG_EVT_DEQ_LO, 0 }, { KITE_REG_EVT_DEQ_HI, 0 },
			{ KITE_REG_DOORBELL, 0 }, { KITE_REG_CMD, 0 }, { KITE_REG_CMD_ARG_LO, 0 },
			{ KITE_REG_CMD_ARG_HI, 0 }, { KITE_REG_CMD_STATUS, 0 },
			{ KITE_REG_PORTSC(0), 0 }, { KITE_REG_CTX_CFG0(0), 0 },
			{ KITE_REG_CTX_STATE(15), 0 },
		};
		uint32_t ch;

		TB_CHECK(KITE_USBSTS_RESET == 1 && KITE_FRAME_INTERVAL_FI_RESET == 11999 &&
			 KITE_EVT_SIZE_ENTRIES_RESET == 16, "generated reset values");
		for (i = 0; i < sizeof(rv) / sizeof(rv[0]); i++) {
			v = tb_rd(m, rv[i].off);
			TB_CHECK(v == rv[i].reset, "reg 0x%03x reset 0x%08x expected 0x%08x", rv[i].off,
				 v, rv[i].reset);
		}
		ch = tb_rd(m, KITE_REG_CAP_HOST);
		TB_CHECK(((ch & KITE_CAP_HOST_NUM_CTX_MASK) >> KITE_CAP_HOST_NUM_CTX_SHIFT) == 16 &&
			 ((ch & KITE_CAP_HOST_PKT_BUF_LOG2_MASK) >>
			  KITE_CAP_HOST_PKT_BUF_LOG2_SHIFT) == 10 &&
			 (ch & KITE_CAP_HOST_ISO_MASK) && (ch & KITE_CAP_HOST_LOW_SPEED_MASK),
			 "CAP_HOST 0x%08x", ch);
		tb_wr(m, KITE_REG_CAP_HOST, 0);
		TB_CHECK(tb_rd(m, KITE_REG_CAP_HOST) == ch, "CAP_HOST writable");
		/* rw registers keep their field bits only */
		tb_wr(m, KITE_REG_FRAME_INTERVAL, 0xffffffff);
		TB_CHECK(tb_rd(m, KITE_REG_FRAME_INTERVAL) == KITE_FRAME_INTERVAL_FI_MASK,
			 "FRAME_INTERVAL mask");
		tb_wr(m, KITE_REG_FRAME_INTERVAL, 11999);
		tb_wr(m, KITE_REG_EVT_BASE_LO, 0xffffffff);
		TB_CHECK(tb_rd(m, KITE_REG_EVT_BASE_LO) == KITE_EVT_BASE_LO_ADDR_MASK, "EVT_BASE_LO mask");
		tb_wr(m, KITE_REG_EVT_DEQ_LO, 0xffffffff);
		TB_CHECK(tb_rd(m, KITE_REG_EVT_DEQ_LO) == KITE_EVT_DEQ_LO_ADDR_MASK, "EVT_DEQ_LO mask");
		tb_wr(m, KITE_REG_IMOD, 0xffffffff);
		TB_CHECK(tb_rd(m, KITE_REG_IMOD) == 0xffff, "IMOD mask");
		tb_wr(m, KITE_REG_IMOD, 0);
		/* write-only strobes read 0; ro ignores writes */
		tb_wr(m, KITE_REG_CMD, (5u << KITE_CMD_CTX_SHIFT) | (2u << KITE_CMD_OP_SHIFT));
		v = tb_rd(m, KITE_REG_CMD);
		TB_CHECK(v == ((5u << KITE_CMD_CTX_SHIFT) | (2u << KITE_CMD_OP_SHIFT)), "CMD rw 0x%08x",
			 v);
		tb_wr(m, KITE_REG_CMD, 0);
		tb_wr(m, KITE_REG_USBSTS, 0xffffffff);
		TB_CHECK(tb_rd(m, KITE_REG_USBSTS) == KITE_USBSTS_HALTED_MASK, "USBSTS writable");
		tb_wr(m, KITE_REG_DOORBELL, 3);
		TB_CHECK(tb_rd(m, KITE_REG_DOORBELL) == 0, "DOORBELL reads non-zero");
		tb_wr(m, KITE_REG_PORTSC(0), KITE_PORTSC_POWER_MASK | KITE_PORTSC_CONNECTED_MASK);
		TB_CHECK(tb_rd(m, KITE_REG_PORTSC(0)) == KITE_PORTSC_POWER_MASK, "PORTSC POWER rw");
		tb_wr(m, KITE_REG_PORTSC(0), 0);
		TB_CHECK(tb_rd(m, KITE_REG_PORTSC(1)) == 0, "PORTSC beyond NUM_PORTS");
		/* context words: rw while DISABLED, TD_BYTES ro, reserved words 0 */
		tb_wr(m, KITE_REG_CTX_CFG0(3), 0xffffffff);
		TB_CHECK(tb_rd(m, KITE_REG_CTX_CFG0(3)) == 0xffffffff, "CTX_CFG0 rw");
		tb_wr(m, KITE_REG_CTX_DEQ_LO(3), 0xffffffff);
		TB_CHECK(tb_rd(m, KITE_REG_CTX_DEQ_LO(3)) ==
			 (KITE_CTX_DEQ_LO_PTR_MASK | KITE_CTX_DEQ_LO_DCS_MASK), "CTX_DEQ_LO mask");
		tb_wr(m, KITE_REG_CTX_TD_BYTES(3), 0xffffffff);
		TB_CHECK(tb_rd(m, KITE_REG_CTX_TD_BYTES(3)) == 0, "CTX_TD_BYTES writable");
		tb_wr(m, KITE_REG_CTX_STATE(3), KITE_CTX_STATE_TOGGLE_MASK | 2);
		TB_CHECK(tb_rd(m, KITE_REG_CTX_STATE(3)) == (KITE_CTX_STATE_TOGGLE_MASK | 2),
			 "CTX_STATE rw");
		/* HCRESET: contexts back to DISABLED and zero */
		tb_wr(m, KITE_REG_USBCMD, KITE_USBCMD_HCRESET_MASK);
		kite_model_tick(m, 10);
		TB_CHECK(tb_rd(m, KITE_REG_CTX_CFG0(3)) == 0 && tb_rd(m, KITE_REG_CTX_STATE(3)) == 0,
			 "HCRESET left context 3 set");
		TB_CHECK(tb_rd(m, KITE_REG_USBSTS) == KITE_USBSTS_HALTED_MASK, "USBSTS after HCRESET");
	}
	tb_end("regs-host-reset-access");

	kite_model_destroy(m);
	return tb_failures ? 1 : 0;
}
