// SPDX-License-Identifier: MIT
/*
 * Testbench of kite_axil_regs, driven through kite_axi_top (default parameters) with the C
 * AXI4-Lite master BFM: the bus protocol (byte strobes, AW/W ordering, OKAY responses, the
 * 4 KiB decode), the interrupt line and the register writes with side effects. Reset values,
 * access types and reserved bits of every register are the generated walk's job
 * (rtl/tb/kite_regs_walk). Expected values come from driver/kite_regs.h (generated, like the
 * RTL package, from rtl/regs/kite_regs.toml).
 */
#include <stdint.h>
#include <stdio.h>

#include "kite_model.h"
#include "kite_model_test.h"
#include "kite_regs.h"
#include "kite_test.h"

static uint32_t rd(struct kite_model *m, uint32_t off)
{
	uint32_t v = 0;

	if (kite_model_reg_read(m, off, &v))
		kt_fail("register read 0x%03x failed", off);
	return v;
}

static void wr(struct kite_model *m, uint32_t off, uint32_t v)
{
	if (kite_model_reg_write(m, off, v, 0xf))
		kt_fail("register write 0x%03x failed", off);
}

/* Every combination of byte strobes writes exactly the enabled bytes. */
static void t_byte_strobes(void *arg)
{
	struct kite_model *m = arg;

	for (uint32_t i = 0; i < 16; i++) {
		uint32_t exp = 0x11223344, data = 0xa0b0c0d0 + i, v;

		wr(m, KITE_REG_SCRATCH, 0x11223344);
		KT_CHECK(kite_model_reg_write(m, KITE_REG_SCRATCH, data, (uint8_t)i) == 0,
			 "strobed write failed");
		for (uint32_t k = 0; k < 4; k++)
			if (i & (1u << k))
				exp = (exp & ~(0xffu << (8 * k))) | (data & (0xffu << (8 * k)));
		v = rd(m, KITE_REG_SCRATCH);
		KT_CHECK(v == exp, "strb 0x%x: read 0x%08x expected 0x%08x", i, v, exp);
	}
}

/* AW and W together, AW first, W first: the same write. */
static void t_aw_w_order(void *arg)
{
	struct kite_model *m = arg;

	for (unsigned int order = 0; order < 3; order++) {
		kite_model_test_set_axil_order(m, order);
		for (uint32_t i = 0; i < 4; i++) {
			uint32_t d = 0xc0de0000 + order * 16 + i, v;

			wr(m, KITE_REG_SCRATCH, d);
			v = rd(m, KITE_REG_SCRATCH);
			KT_CHECK(v == d, "order %u: read 0x%08x expected 0x%08x", order, v, d);
		}
	}
	kite_model_test_set_axil_order(m, 0);
}

/* Every access gets OKAY, unmapped offsets included (a probing driver must not fault). */
static void t_okay(void *arg)
{
	/* 0x0c0: after PORTSC[14]; 0x818: a context's reserved word; 0xffc: context 63 */
	static const uint32_t offs[] = { KITE_REG_ID, KITE_REG_SCRATCH, 0x014, 0x0c0, 0x200, 0x818,
					 0xffc };
	struct kite_model *m = arg;
	uint32_t v;

	for (unsigned int i = 0; i < KT_ARRAY_SIZE(offs); i++) {
		KT_CHECK(kite_model_reg_write(m, offs[i], 0, 0) == 0 &&
			 kite_model_test_last_resp(m) == 0, "write 0x%03x not OKAY", offs[i]);
		KT_CHECK(kite_model_reg_read(m, offs[i], &v) == 0 &&
			 kite_model_test_last_resp(m) == 0, "read 0x%03x not OKAY", offs[i]);
	}
}

/* Only the low 12 address bits decode: the block repeats above (AXIL_ADDR_WIDTH = 12 here). */
static void t_decode_low_bits(void *arg)
{
	struct kite_model *m = arg;
	uint32_t v;

	wr(m, KITE_REG_SCRATCH, 0x5ca1ab1e);
	wr(m, KITE_REG_SCRATCH + 1, 0xdeadbeef);	/* bits 1:0 are not decoded either */
	v = rd(m, KITE_REG_SCRATCH + 2);
	KT_CHECK(v == 0xdeadbeef, "SCRATCH + 1 write / + 2 read: 0x%08x", v);
	wr(m, KITE_REG_SCRATCH, 0);
}

/* The interrupt line follows INT_STATUS & INT_ENABLE; W1C honours the byte strobes. */
static void t_interrupts(void *arg)
{
	struct kite_model *m = arg;
	uint32_t v;

	wr(m, KITE_REG_INT_ENABLE, 0);
	KT_CHECK(!kite_model_irq(m), "irq high after reset");
	wr(m, KITE_REG_INT_FORCE, KITE_INT_FORCE_DMATEST_DONE_MASK);
	v = rd(m, KITE_REG_INT_STATUS);
	KT_CHECK(v == KITE_INT_STATUS_DMATEST_DONE_MASK, "FORCE DONE: status 0x%08x", v);
	KT_CHECK(!kite_model_irq(m), "irq high while disabled");
	wr(m, KITE_REG_INT_ENABLE, KITE_INT_ENABLE_DMATEST_ERROR_MASK);
	KT_CHECK(!kite_model_irq(m), "irq high with other source enabled");
	wr(m, KITE_REG_INT_ENABLE, KITE_INT_ENABLE_DMATEST_DONE_MASK);
	KT_CHECK(kite_model_irq(m), "irq low with source enabled");
	wr(m, KITE_REG_INT_FORCE, KITE_INT_FORCE_DMATEST_ERROR_MASK);
	wr(m, KITE_REG_INT_STATUS, KITE_INT_STATUS_DMATEST_DONE_MASK);
	KT_CHECK(!kite_model_irq(m), "irq high after clearing the enabled source");
	wr(m, KITE_REG_INT_ENABLE, KITE_INT_ENABLE_DMATEST_DONE_MASK |
	   KITE_INT_ENABLE_DMATEST_ERROR_MASK);
	KT_CHECK(kite_model_irq(m), "irq low with ERROR pending and enabled");
	/* W1C with the byte strobe of its bits off does nothing */
	kite_model_reg_write(m, KITE_REG_INT_STATUS, 0xffffffff, 0xe);
	KT_CHECK(rd(m, KITE_REG_INT_STATUS) == KITE_INT_STATUS_DMATEST_ERROR_MASK,
		 "W1C ignored the byte strobes");
	wr(m, KITE_REG_INT_STATUS, 0xffffffff);
	KT_CHECK(rd(m, KITE_REG_INT_STATUS) == 0, "W1C all");
	KT_CHECK(!kite_model_irq(m), "irq high with nothing pending");
	wr(m, KITE_REG_INT_ENABLE, 0);
}

/* Writes that start something only do so when asked to; HCRESET clears the contexts. */
static void t_side_effects(void *arg)
{
	struct kite_model *m = arg;

	wr(m, KITE_REG_DMATEST_CTRL, KITE_DMATEST_CTRL_OP_MASK);	/* OP = 3, no START */
	KT_CHECK(!(rd(m, KITE_REG_DMATEST_STATUS) & KITE_DMATEST_STATUS_BUSY_MASK),
		 "OP write without START started the engine");
	wr(m, KITE_REG_DMATEST_CTRL, 0);
	wr(m, KITE_REG_CMD, (5u << KITE_CMD_CTX_SHIFT) | (2u << KITE_CMD_OP_SHIFT));
	KT_CHECK(!(rd(m, KITE_REG_CMD_STATUS) & KITE_CMD_STATUS_BUSY_MASK),
		 "CMD write without START started a command");
	wr(m, KITE_REG_CMD, 0);
	wr(m, KITE_REG_DOORBELL, 3);
	KT_CHECK(rd(m, KITE_REG_DOORBELL) == 0, "DOORBELL reads non-zero");
	KT_CHECK(rd(m, KITE_REG_CTX_STATE(3)) == 0, "a doorbell changed a DISABLED context");
	/* HCRESET: contexts back to DISABLED and zero, the controller halted */
	wr(m, KITE_REG_CTX_CFG0(3), 0x12345678);
	wr(m, KITE_REG_CTX_STATE(3), KITE_CTX_STATE_TOGGLE_MASK |
	   KITE_CTX_STATE_STATE_HALTED << KITE_CTX_STATE_STATE_SHIFT);
	KT_CHECK(rd(m, KITE_REG_CTX_CFG0(3)) == 0x12345678, "CTX_CFG0 not written");
	wr(m, KITE_REG_USBCMD, KITE_USBCMD_HCRESET_MASK);
	kite_model_tick(m, 10);
	KT_CHECK(rd(m, KITE_REG_CTX_CFG0(3)) == 0 && rd(m, KITE_REG_CTX_STATE(3)) == 0,
		 "HCRESET left context 3 set");
	KT_CHECK(rd(m, KITE_REG_USBCMD) == 0, "USBCMD after HCRESET");
	KT_CHECK(rd(m, KITE_REG_USBSTS) == KITE_USBSTS_HALTED_MASK, "USBSTS after HCRESET");
}

static const struct kt_case cases[] = {
	{ "regs-byte-strobes", t_byte_strobes },
	{ "regs-aw-w-order", t_aw_w_order },
	{ "regs-okay", t_okay },
	{ "regs-decode-low-bits", t_decode_low_bits },
	{ "regs-interrupts", t_interrupts },
	{ "regs-side-effects", t_side_effects },
};

int main(int argc, char **argv)
{
	struct kite_model_config cfg = { .mem_latency = 2 };
	struct kite_model *m;

	kt_init(&argc, argv);
	m = kite_model_create(&cfg, NULL);
	if (!m) {
		kt_result("regs-create", false, "kite_model_create failed");
		return kt_finish();
	}
	kt_run(cases, KT_ARRAY_SIZE(cases), m);
	kite_model_destroy(m);
	return kt_finish();
}
