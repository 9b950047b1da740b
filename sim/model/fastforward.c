// SPDX-License-Identifier: MIT
/*
 * The fast-forward's counter arithmetic (fastforward.h): each function gives the registers a
 * module would hold after n clock cycles in which its quiet condition held, as its always_comb
 * and always_ff blocks compute them one cycle at a time.
 */
#include "fastforward.h"

/*
 * A counter register of `bits` bits that goes up by one per cycle and from `last` back to 0
 * (a value above `last` first counts up to the register's own wrap). Returns its value after n
 * cycles; *laps counts the steps from last to 0.
 */
static uint32_t count_up(uint32_t v, uint32_t last, unsigned int bits, uint64_t n, uint64_t *laps)
{
	uint64_t period = (uint64_t)last + 1, top = 1ull << bits, total;

	*laps = 0;
	if (v > last) {
		uint64_t k = top - v;   /* cycles until the register wraps to 0 */

		if (n < k)
			return (uint32_t)(v + n);
		n -= k;
		v = 0;
	}
	total = v + n;
	*laps = total / period;
	return (uint32_t)(total % period);
}

/* kite_frame_timer's serial multiplier, one cycle: mstep 0 loads FI + 1, 1..15 shift-add one
 * bit each, 15 also updates the result */
static void mul_step(struct ff_frame *f)
{
	uint32_t sum = (f->macc + ((f->mx & 1) ? f->res_mul : 0)) & 0x3fff;   /* msum, 14 bits */
	uint32_t step = f->mstep;

	f->mstep = (step + 1) & 15;
	if (step == 0) {
		f->mx = (f->fi + 1) & 0x7fff;
		f->macc = 0;
		return;
	}
	f->mx >>= 1;
	f->macc = (sum >> 1) & 0x1fff;
	if (step == 15)
		f->res = (sum >> 2) & 0xfff;
}

/*
 * After 32 cycles the multiplier has loaded FI and finished a product at least once since the
 * start, so from there on its state depends only on mstep (period 16) and FI (constant).
 */
static void mul_advance(struct ff_frame *f, uint64_t n)
{
	if (n > 47)
		n = 32 + (n - 32) % 16;
	while (n--)
		mul_step(f);
}

/* The bit phase and bit count: (left + 1) * cpb - pre - 1 edges remain before the frame start
 * and each cycle takes one; a stopped timer holds 0. */
static void timer_advance(struct ff_frame *f, uint64_t n)
{
	uint64_t t;

	if (!f->running)
		return;
	t = (uint64_t)f->left * f->cpb + (f->cpb - 1 - f->pre) - n;
	f->left = (uint32_t)(t / f->cpb);
	f->pre = (uint32_t)(f->cpb - 1 - t % f->cpb);
	f->zero = f->left == 0;
}

/* kite_txn's avail_d from bits_left_i and reserve_i (the frame timer's left_q and res_q) */
static uint32_t txn_avail(const struct ff_frame *f, const struct ff_txn *t)
{
	if (!t->periodic)
		return f->left;
	return f->left >= f->res ? f->left - f->res : 0;
}

void ff_usb_advance(struct ff_frame *f, struct ff_txn *t, uint64_t n)
{
	uint64_t jump = n > 2 ? n - 2 : 0, laps;

	timer_advance(f, jump);
	mul_advance(f, jump);
	/* two cycles one by one: avail_q and fit_q are the timer's values 1 and 2 cycles back */
	for (uint64_t k = jump; k < n; k++) {
		uint32_t avail = txn_avail(f, t);

		t->fit = t->worst < t->avail;
		t->avail = avail;
		timer_advance(f, 1);
		mul_step(f);
	}
	t->pre = count_up(t->pre, t->pre_last, 5, n, &laps);
	t->bits = t->bits + laps > 255 ? 255 : (uint32_t)(t->bits + laps);
}

/* kite_port: the timer counts on (24 bits, wrapping); a flag "timer >= K" is sticky and is
 * computed from the timer of the cycle before, so it sees the values tmr .. tmr + n - 1 */
static uint32_t sticky(uint32_t flag, uint32_t tmr, uint64_t n, uint32_t k)
{
	uint64_t last = (uint64_t)tmr + n - 1;

	if (flag || n == 0)
		return flag;
	return last > 0xffffff || last >= k;
}

void ff_port_advance(struct ff_port *p, uint64_t n)
{
	p->t_reset = sticky(p->t_reset, p->tmr, n, (p->reset_clks - 2) & 0xffffff);
	p->t_recov = sticky(p->t_recov, p->tmr, n, (p->debounce - 1) & 0xffffff);
	p->t_resk = sticky(p->t_resk, p->tmr, n, (p->resume_clks - 2) & 0xffffff);
	p->t_eop = sticky(p->t_eop, p->tmr, n, (3 * p->ls_bit - 2) & 0xffffff);
	p->tmr = (uint32_t)((p->tmr + n) & 0xffffff);
	p->db = p->db + n >= p->db_stable ? p->db_stable : (uint32_t)(p->db + n);
}

uint32_t ff_phy_phase(uint32_t ph, uint32_t last, uint64_t n)
{
	uint64_t laps;

	return count_up(ph, last, 5, n, &laps);
}

void ff_intr_advance(struct ff_intr *i, uint64_t n)
{
	unsigned int bits = 0;
	uint64_t laps;

	while ((1u << bits) < i->cyc_per_us + 1)   /* PW = $clog2(CYC_PER_US + 1) */
		bits++;
	i->pre = count_up(i->pre, i->cyc_per_us - 1, bits, n, &laps);
	if (i->us < 0x10000)
		i->us = i->us + laps > 0x10000 ? 0x10000 : (uint32_t)(i->us + laps);
}
