// SPDX-License-Identifier: MIT
/*
 * Generic register testbench: walks the table scripts/reggen.py generates from
 * rtl/regs/kite_regs.toml (kite_regs_walk.h) on the Verilated model, through the AXI4-Lite
 * slave, like OpenTitan's generated CSR tests (csr_hw_reset, csr_rw, csr_bit_bash):
 *
 *   reg-<NAME>[.n]-reset   every field reads its reset value (or the value the synthesis
 *                          parameters give it), reserved bits read 0; run on the fresh model
 *                          before anything is written
 *   reg-<NAME>[.n]-rw      bit bash of the writable fields (all ones, all zeros, 0xa5/0x5a,
 *                          walking one, walking zero, each byte lane alone), every other bit
 *                          written with the same pattern: ro and rw1s bits keep their value,
 *                          wo and reserved bits read 0, w1c bits only ever clear; restores
 *                          the register afterwards
 *   reg-<NAME>[.n]-ro      the same for a register without writable fields: writes change
 *                          nothing
 *   reg-<NAME>-w1c         w1c register: as -ro, and when the table names a register that
 *                          sets its bits (w1c_set_by), each bit set that way survives writes
 *                          of 0, of 1 to the other bits and with its byte lane off, and a
 *                          write of 1 clears it
 *   reg-<NAME>.n-absent    an array instance the configuration does not have, or a register
 *                          it does not build (present = 0): reads 0, writes change nothing
 *   reg-unmapped           every offset no register decodes reads 0 with OKAY and ignores
 *                          writes (no register changes)
 *
 * Fields and registers marked side_effect in the table are never written with anything but
 * their current value (0 for strobes), and a register that must not be written at all gets a
 * `note:` line instead of a -rw/-ro test. Values that depend on the configuration come from
 * the parameters: the defaults in the table, overridden by `-p NAME=VALUE` (rtl/rtl.mk passes
 * the configuration the model was built with).
 *
 * Usage: kite_regs_walk_tb [-t PATTERN] [-l] [-n NAME] [-p NAME=VALUE]...
 * (-n NAME: every test name starts NAME-, for the walk of another configuration)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kite_model.h"
#include "kite_model_test.h"
#include "kite_regs_walk.h"
#include "kite_test.h"

/* -n NAME: test names start NAME- (the walk of another configuration) */
static char name_prefix[40];
static const uint32_t lane_mask[4] = { 0x000000ff, 0x0000ff00, 0x00ff0000, 0xff000000 };

struct walk {
	struct kite_model *m;
	uint32_t p[KITE_WALK_NPARAMS];
};

static uint32_t rd(struct walk *w, uint32_t off)
{
	uint32_t v = 0;

	if (kite_model_reg_read(w->m, off, &v) || kite_model_test_last_resp(w->m) != 0)
		kt_fail("read of 0x%03x failed or not OKAY", off);
	return v;
}

static void wr(struct walk *w, uint32_t off, uint32_t v, uint8_t strb)
{
	if (kite_model_reg_write(w->m, off, v, strb) || kite_model_test_last_resp(w->m) != 0)
		kt_fail("write of 0x%03x failed or not OKAY", off);
}

static uint32_t strb_mask(uint8_t strb)
{
	uint32_t m = 0;

	for (unsigned int k = 0; k < 4; k++)
		if (strb & (1u << k))
			m |= lane_mask[k];
	return m;
}

/* Instances of r this configuration has (0 when the register is not built). */
static uint32_t instances(const struct walk *w, const struct kite_walk_reg *r)
{
	uint32_t n = r->count;

	if (r->present && !kite_walk_expr(r->present, w->p))
		return 0;
	if (r->count_present && kite_walk_expr(r->count_present, w->p) < n)
		n = kite_walk_expr(r->count_present, w->p);
	return n;
}

/* What a register holding v reads while its narrow_when expression holds. */
static uint32_t narrowed(const struct walk *w, const struct kite_walk_reg *r, uint32_t v)
{
	if (!r->narrow_when || !kite_walk_expr(r->narrow_when, w->p))
		return v;
	return r->narrow == KITE_WALK_NARROW_NONZERO ? v != 0 : 0;
}

static uint32_t offset_of(const struct kite_walk_reg *r, uint32_t n)
{
	return r->offset + n * r->stride;
}

static const char *inst_name(const struct kite_walk_reg *r, uint32_t n, char *buf, size_t len)
{
	if (r->count == 1)
		snprintf(buf, len, "%s", r->name);
	else
		snprintf(buf, len, "%s.%u", r->name, n);
	return buf;
}

/* The field holding bit b, for messages. */
static const char *field_at(const struct kite_walk_reg *r, unsigned int b)
{
	for (unsigned int i = 0; i < r->nfields; i++)
		if (b >= r->fields[i].lsb && b < (unsigned int)r->fields[i].lsb + r->fields[i].width)
			return r->fields[i].name;
	return "reserved";
}

static unsigned int lowest_bit(uint32_t v)
{
	return (unsigned int)__builtin_ctz(v);
}

/* Reset value of an existing instance. */
static uint32_t reset_value(const struct walk *w, const struct kite_walk_reg *r)
{
	uint32_t v = r->reset;

	for (unsigned int i = 0; i < r->nfields; i++) {
		const struct kite_walk_field *f = &r->fields[i];
		uint32_t fm = f->width == 32 ? 0xffffffffu : ((1u << f->width) - 1);

		if (f->hw_reset)
			v |= (kite_walk_expr(f->hw_reset, w->p) & fm) << f->lsb;
	}
	return narrowed(w, r, v);
}

/* What the register reads after writing data with byte lanes lanes over the value cur. */
static uint32_t after_write(const struct walk *w, const struct kite_walk_reg *r, uint32_t cur,
			    uint32_t data, uint32_t lanes)
{
	uint32_t rw = ((cur & ~lanes) | (data & lanes)) & r->rw_mask;

	return narrowed(w, r, rw | (cur & (r->ro_mask | r->rw1s_mask)) |
			      (cur & r->w1c_mask & ~(data & lanes)));
}

/* A write of pattern that leaves the side-effect fields as they are. */
static uint32_t compose(const struct kite_walk_reg *r, uint32_t cur, uint32_t pattern)
{
	return (pattern & ~r->side_effect_mask) | (cur & r->side_effect_mask & r->rw_mask);
}

static void check_value(const struct kite_walk_reg *r, uint32_t got, uint32_t exp, const char *what)
{
	uint32_t diff = got ^ exp;

	if (diff)
		kt_fail("%s: read 0x%08x expected 0x%08x (field %s)", what, got, exp,
			field_at(r, lowest_bit(diff)));
}

/* ---------------------------------------------------------------- tests */
static void test_reset(struct walk *w, const struct kite_walk_reg *r, uint32_t n, bool exists)
{
	char nm[64];
	uint32_t v, exp;

	if (!kt_begin("%sreg-%s-reset", name_prefix, inst_name(r, n, nm, sizeof(nm))))
		return;
	v = rd(w, offset_of(r, n));
	exp = exists ? reset_value(w, r) : 0;
	if (v != exp) {
		const char *fname = field_at(r, lowest_bit(v ^ exp));

		for (unsigned int i = 0; i < r->nfields && !kt_failed(); i++)
			if (!strcmp(r->fields[i].name, fname) && r->fields[i].hw_reset_expr)
				kt_fail("read 0x%08x expected 0x%08x: field %s is not %s", v, exp,
					fname, r->fields[i].hw_reset_expr);
		if (!kt_failed())
			check_value(r, v, exp, "reset");
	}
	kt_end();
}

/* Write data (lanes strb), read back, compare with the model; returns what was read. */
static uint32_t write_check(struct walk *w, const struct kite_walk_reg *r, uint32_t off,
			    uint32_t cur, uint32_t data, uint8_t strb)
{
	char what[64];
	uint32_t v, exp = after_write(w, r, cur, data, strb_mask(strb));

	wr(w, off, data, strb);
	v = rd(w, off);
	snprintf(what, sizeof(what), "wrote 0x%08x strobes 0x%x", data, strb);
	check_value(r, v, exp, what);
	return v;
}

/* Clear every w1c bit the tests may have caused (INT_FORCE sets INT_STATUS bits). */
static void clear_w1c(struct walk *w)
{
	for (unsigned int i = 0; i < KITE_WALK_NREGS; i++) {
		const struct kite_walk_reg *r = &kite_walk_regs[i];
		uint32_t bits = r->w1c_mask & ~r->side_effect_mask;

		if (!bits || r->side_effect)
			continue;
		for (uint32_t n = 0; n < instances(w, r); n++)
			kite_model_reg_write(w->m, offset_of(r, n), bits, 0xf);
	}
}

static void test_write(struct walk *w, const struct kite_walk_reg *r, uint32_t n)
{
	static const uint32_t fixed[] = { 0xffffffff, 0x00000000, 0xa5a5a5a5, 0x5a5a5a5a };
	uint32_t off = offset_of(r, n), writable = r->rw_mask & ~r->side_effect_mask;
	uint32_t cur, orig;
	const char *kind = writable ? "rw" : r->w1c_mask ? "w1c" : "ro";
	char nm[64];

	if (!kt_begin("%sreg-%s-%s", name_prefix, inst_name(r, n, nm, sizeof(nm)), kind))
		return;
	orig = cur = rd(w, off);
	for (unsigned int i = 0; i < KT_ARRAY_SIZE(fixed); i++)
		cur = write_check(w, r, off, cur, compose(r, cur, fixed[i]), 0xf);
	for (unsigned int b = 0; b < 32; b++) {
		if (!(writable & (1u << b)))
			continue;
		cur = write_check(w, r, off, cur, compose(r, cur, 1u << b), 0xf);
		cur = write_check(w, r, off, cur, compose(r, cur, ~(1u << b)), 0xf);
	}
	for (unsigned int k = 0; k < 4; k++)
		cur = write_check(w, r, off, cur, compose(r, cur, ~cur), (uint8_t)(1u << k));
	/* restore what software had written (the other bits as they are) */
	cur = write_check(w, r, off, cur, compose(r, cur, orig & r->rw_mask), 0xf);
	check_value(r, cur, orig, "restored");

	if (r->w1c_set_by >= 0) {
		const struct kite_walk_reg *s = &kite_walk_regs[r->w1c_set_by];
		uint32_t bits = r->w1c_mask & ~r->side_effect_mask, v;

		clear_w1c(w);
		for (unsigned int b = 0; b < 32; b++) {
			uint32_t bit = 1u << b, lanes_off = 0xf & ~(1u << (b / 8));

			if (!(bits & bit))
				continue;
			wr(w, s->offset, bit, 0xf);
			v = rd(w, off);
			check_value(r, v, bit, s->name);
			wr(w, off, 0, 0xf);
			check_value(r, rd(w, off), bit, "set, then wrote 0");
			wr(w, off, bits & ~bit, 0xf);
			check_value(r, rd(w, off), bit, "set, then wrote 1 to the other bits");
			wr(w, off, bit, (uint8_t)lanes_off);
			check_value(r, rd(w, off), bit, "set, then wrote 1 with its lane off");
			wr(w, off, bit, 0xf);
			check_value(r, rd(w, off), 0, "set, then wrote 1");
		}
		wr(w, s->offset, bits, 0xf);
		check_value(r, rd(w, off), bits, "all set");
		wr(w, off, 0xffffffff, 0xf);
		check_value(r, rd(w, off), 0, "all set, then wrote all ones");
	}
	clear_w1c(w);
	kt_end();
}

/* An instance (or register) the configuration does not build: reads 0, ignores writes. */
static void test_absent(struct walk *w, const struct kite_walk_reg *r, uint32_t n, uint32_t have)
{
	static const uint32_t pats[] = { 0xffffffff, 0xa5a5a5a5, 0x5a5a5a5a };
	uint32_t snap[64];
	char nm[64];

	if (!kt_begin("%sreg-%s-absent", name_prefix, inst_name(r, n, nm, sizeof(nm))))
		return;
	for (uint32_t i = 0; i < have && i < KT_ARRAY_SIZE(snap); i++)
		snap[i] = rd(w, offset_of(r, i));
	for (unsigned int i = 0; i < KT_ARRAY_SIZE(pats); i++) {
		wr(w, offset_of(r, n), compose(r, 0, pats[i]), 0xf);
		check_value(r, rd(w, offset_of(r, n)), 0, "absent");
	}
	for (uint32_t i = 0; i < have && i < KT_ARRAY_SIZE(snap); i++) {
		uint32_t v = rd(w, offset_of(r, i));

		KT_CHECK(v == snap[i], "instance %u changed 0x%08x -> 0x%08x", i, snap[i], v);
	}
	clear_w1c(w);
	kt_end();
}

/* Read every register instance the configuration has (for reg-unmapped). */
static unsigned int snapshot(struct walk *w, uint32_t *val, uint32_t *off, unsigned int max)
{
	unsigned int k = 0;

	for (unsigned int i = 0; i < KITE_WALK_NREGS; i++) {
		const struct kite_walk_reg *r = &kite_walk_regs[i];

		for (uint32_t n = 0; n < instances(w, r) && k < max; n++, k++) {
			off[k] = offset_of(r, n);
			val[k] = rd(w, off[k]);
		}
	}
	return k;
}

static void test_unmapped(struct walk *w)
{
	static uint8_t mapped[KITE_WALK_BLOCK_SIZE / 4];
	static uint32_t before[KITE_WALK_BLOCK_SIZE / 4], after[KITE_WALK_BLOCK_SIZE / 4];
	static uint32_t offs[KITE_WALK_BLOCK_SIZE / 4];
	unsigned int nsnap, holes = 0;

	if (!kt_begin("%sreg-unmapped", name_prefix))
		return;
	for (unsigned int i = 0; i < KITE_WALK_NREGS; i++)
		for (uint32_t n = 0; n < kite_walk_regs[i].count; n++)
			mapped[offset_of(&kite_walk_regs[i], n) / 4] = 1;
	nsnap = snapshot(w, before, offs, KT_ARRAY_SIZE(before));
	for (uint32_t off = 0; off < KITE_WALK_BLOCK_SIZE; off += 4) {
		uint32_t v;

		if (mapped[off / 4])
			continue;
		holes++;
		wr(w, off, 0xffffffff, 0xf);
		v = rd(w, off);
		KT_CHECK(v == 0, "unmapped 0x%03x reads 0x%08x", off, v);
	}
	KT_CHECK(holes > 0, "the table maps every offset");
	snapshot(w, after, offs, KT_ARRAY_SIZE(after));
	for (unsigned int k = 0; k < nsnap; k++)
		KT_CHECK(after[k] == before[k], "writes to unmapped offsets changed 0x%03x: "
			 "0x%08x -> 0x%08x", offs[k], before[k], after[k]);
	clear_w1c(w);
	kt_end();
}

/* What the walk leaves out, and why (from the table's side_effect entries). */
static void print_notes(void)
{
	for (unsigned int i = 0; i < KITE_WALK_NREGS; i++) {
		const struct kite_walk_reg *r = &kite_walk_regs[i];

		if (r->side_effect) {
			printf("note: %s is not written (no -rw/-ro test): %s\n", r->name,
			       r->side_effect);
			continue;
		}
		for (unsigned int k = 0; k < r->nfields; k++)
			if (r->fields[k].side_effect)
				printf("note: %s.%s is written with its current value only: %s\n",
				       r->name, r->fields[k].name, r->fields[k].side_effect);
	}
}

static int set_param(struct walk *w, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char *end;

	for (unsigned int i = 0; eq && i < KITE_WALK_NPARAMS; i++) {
		if (strlen(kite_walk_params[i].name) == (size_t)(eq - arg) &&
		    !strncmp(kite_walk_params[i].name, arg, (size_t)(eq - arg))) {
			w->p[i] = (uint32_t)strtoul(eq + 1, &end, 0);
			return *end || end == eq + 1 ? -1 : 0;
		}
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct kite_model_config cfg = { .mem_latency = 2 };
	struct walk w;
	bool listing = false;

	for (int i = 1; i < argc; i++)
		listing |= !strcmp(argv[i], "-l");
	kt_init(&argc, argv);
	for (unsigned int i = 0; i < KITE_WALK_NPARAMS; i++)
		w.p[i] = kite_walk_params[i].dflt;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-p") && i + 1 < argc && !set_param(&w, argv[i + 1])) {
			i++;
			continue;
		}
		if (!strcmp(argv[i], "-n") && i + 1 < argc) {
			snprintf(name_prefix, sizeof(name_prefix), "%s-", argv[++i]);
			continue;
		}
		fprintf(stderr, "usage: %s [-t PATTERN] [-l] [-n NAME] [-p NAME=VALUE]...\n"
			"bad argument '%s' (NAME is one of the table's parameters)\n", argv[0],
			argv[i]);
		return 2;
	}
	if (!listing)
		print_notes();
	w.m = kite_model_create(&cfg, NULL);
	if (!w.m) {
		kt_result("reg-model-create", false, "kite_model_create failed");
		return kt_finish();
	}

	/* reset values first, before any write */
	for (unsigned int i = 0; i < KITE_WALK_NREGS; i++) {
		const struct kite_walk_reg *r = &kite_walk_regs[i];
		uint32_t have = instances(&w, r);

		for (uint32_t n = 0; n < r->count; n++)
			test_reset(&w, r, n, n < have);
	}
	for (unsigned int i = 0; i < KITE_WALK_NREGS; i++) {
		const struct kite_walk_reg *r = &kite_walk_regs[i];
		uint32_t have = instances(&w, r);

		for (uint32_t n = 0; n < r->count; n++) {
			if (n >= have) {
				test_absent(&w, r, n, have);
			} else if (!r->side_effect) {
				test_write(&w, r, n);
			}
		}
	}
	test_unmapped(&w);
	kite_model_destroy(w.m);
	return kt_finish();
}
