/* SPDX-License-Identifier: MIT */
/*
 * USB FS/LS helpers shared by the kite_fs_phy and kite_usb_engine testbenches: reference CRCs,
 * packet builders, and a line-level transmitter (NRZI, bit stuffing, EOP, with a bit period in
 * 1/65536 clocks to model a clock offset) and receiver (edge-resynchronised sampling, NRZI,
 * unstuffing, EOP) working one usb_clk cycle at a time.
 */
#ifndef USB_LINE_H
#define USB_LINE_H

#include <stdint.h>
#include <string.h>

enum { UL_SE0 = 0, UL_J = 1, UL_K = 2 };
enum { PID_OUT = 0x1, PID_IN = 0x9, PID_SOF = 0x5, PID_SETUP = 0xd, PID_DATA0 = 0x3,
       PID_DATA1 = 0xb, PID_ACK = 0x2, PID_NAK = 0xa, PID_STALL = 0xe };

#define UL_MAX_BYTES 1100
#define UL_MAX_SYMS (UL_MAX_BYTES * 10 + 64)

static inline uint8_t ul_pid(unsigned pid4)
{
	return (uint8_t)(((~pid4 & 0xf) << 4) | (pid4 & 0xf));
}

static inline unsigned ul_crc5(unsigned field)
{
	unsigned c = 0x1f;

	for (int i = 0; i < 11; i++) {
		unsigned b = (field >> i) & 1;
		c = ((c ^ b) & 1) ? ((c >> 1) ^ 0x14) : (c >> 1);
	}
	return ~c & 0x1f;
}

/* raw CRC16 register update (init 0xffff); the transmitted CRC is ~register */
static inline unsigned ul_crc16_reg(unsigned c, const uint8_t *d, int n)
{
	for (int k = 0; k < n; k++)
		for (int i = 0; i < 8; i++) {
			unsigned b = (d[k] >> i) & 1;
			c = ((c ^ b) & 1) ? ((c >> 1) ^ 0xa001) : (c >> 1);
		}
	return c & 0xffff;
}

static inline unsigned ul_crc16(const uint8_t *d, int n)
{
	return ~ul_crc16_reg(0xffff, d, n) & 0xffff;
}

/* token: 3 bytes; field = addr | ep << 7 (or a frame number for SOF) */
static inline int ul_token(uint8_t *o, unsigned pid4, unsigned field)
{
	unsigned v = (field & 0x7ff) | (ul_crc5(field & 0x7ff) << 11);

	o[0] = ul_pid(pid4);
	o[1] = (uint8_t)v;
	o[2] = (uint8_t)(v >> 8);
	return 3;
}

static inline int ul_data(uint8_t *o, unsigned pid4, const uint8_t *d, int n)
{
	unsigned c = ul_crc16(d, n);

	o[0] = ul_pid(pid4);
	memcpy(o + 1, d, (size_t)n);
	o[n + 1] = (uint8_t)c;
	o[n + 2] = (uint8_t)(c >> 8);
	return n + 3;
}

/* ---------------------------------------------------------------- line transmitter */
struct ul_tx {
	int active;
	int ls;
	uint8_t sym[UL_MAX_SYMS];
	int nsym, pos;
	uint32_t period;		/* bit time in 1/65536 clocks */
	uint32_t acc;
};

/* symbol of level j (1 = J) */
static inline void ul_levels(int ls, int sym, int *dp, int *dm)
{
	if (sym == UL_SE0) {
		*dp = 0;
		*dm = 0;
	} else if ((sym == UL_J) != (ls != 0)) {
		*dp = 1;
		*dm = 0;
	} else {
		*dp = 0;
		*dm = 1;
	}
}

/*
 * Prepare a packet: SYNC, bytes (NRZI, stuffed), EOP (SE0 SE0 J). nostuff_bit >= 0 disables the
 * stuff bit that would follow data bit nostuff_bit (counting from 0 after SYNC), extra_bits
 * appends that many 1 bits (no stuffing) before the EOP (a partial byte).
 * ppm_x100: clock offset in units of 0.01 % (25 = +0.25 %: slower bits).
 */
static inline void ul_tx_start(struct ul_tx *t, int ls, const uint8_t *b, int n, int ppm_x100,
			       int nostuff_bit, int extra_bits)
{
	int lvl = 1, ones = 0, k = 0, bitno = -8;
	uint64_t per = (uint64_t)(ls ? 32 : 4) * 65536u;

	t->ls = ls;
	if (ppm_x100 < 0)
		t->period = (uint32_t)(per - per * (uint64_t)(-ppm_x100) / 10000);
	else
		t->period = (uint32_t)(per + per * (uint64_t)ppm_x100 / 10000);
	for (int i = -1; i < n; i++) {
		unsigned byte = i < 0 ? 0x80 : b[i];
		for (int j = 0; j < 8; j++, bitno++) {
			int bit = (byte >> j) & 1;
			if (!bit)
				lvl = !lvl;
			t->sym[k++] = lvl ? UL_J : UL_K;
			ones = bit ? ones + 1 : 0;
			if (ones == 6) {
				if (bitno != nostuff_bit) {
					lvl = !lvl;
					t->sym[k++] = lvl ? UL_J : UL_K;
				}
				ones = 0;
			}
		}
	}
	for (int i = 0; i < extra_bits; i++)
		t->sym[k++] = lvl ? UL_J : UL_K;
	t->sym[k++] = UL_SE0;
	t->sym[k++] = UL_SE0;
	t->sym[k++] = UL_J;
	t->nsym = k;
	t->pos = 0;
	t->acc = 0;
	t->active = 1;
}

/* one clock: returns 1 and the levels while driving */
static inline int ul_tx_step(struct ul_tx *t, int *dp, int *dm)
{
	if (!t->active)
		return 0;
	ul_levels(t->ls, t->sym[t->pos], dp, dm);
	t->acc += 65536;
	if (t->acc >= t->period) {
		t->acc -= t->period;
		if (++t->pos >= t->nsym)
			t->active = 0;
	}
	return 1;
}

/* ---------------------------------------------------------------- line receiver */
struct ul_rx {
	int ls;
	int st;				/* 0 idle, 1 sync, 2 data, 3 eop, 4 wait for J */
	int prev_sym, ph, lvl_prev, zeros, ones, nb;
	unsigned sh;
	uint8_t buf[UL_MAX_BYTES + 8];
	int n;
	int stuff_err;
	uint64_t edge_cyc, start, se0_start;
	/* completed packet (valid when done was set by the last ul_rx_step) */
	int done;
	uint8_t pkt[UL_MAX_BYTES + 8];
	int pkt_n, pkt_stuff_err, pkt_partial;
	uint64_t pkt_start, pkt_eop_start, pkt_end;	/* cycles: first K, SE0 start, J after SE0 */
};

static inline void ul_rx_init(struct ul_rx *r, int ls)
{
	memset(r, 0, sizeof(*r));
	r->ls = ls;
	r->prev_sym = UL_J;
}

static inline int ul_sym(int ls, int dp, int dm)
{
	if (!dp && !dm)
		return UL_SE0;
	if (dp && dm)
		return UL_J;	/* SE1: not expected */
	return ((dp != 0) != (ls != 0)) ? UL_J : UL_K;
}

/* one clock with the line levels of this cycle; r->done is 1 after the call that ended a packet */
static inline void ul_rx_step(struct ul_rx *r, int dp, int dm, uint64_t cyc)
{
	int s = ul_sym(r->ls, dp, dm);
	int per = r->ls ? 32 : 4;

	r->done = 0;
	if (s != r->prev_sym) {
		r->ph = 0;
		r->prev_sym = s;
		r->edge_cyc = cyc;
	} else {
		r->ph++;
	}
	if (r->ph % per != per / 2)
		return;
	switch (r->st) {
	case 0:
		if (s == UL_K) {
			r->st = 1;
			r->lvl_prev = UL_K;
			r->zeros = 1;
			r->start = r->edge_cyc;
		}
		break;
	case 1:
		if (s == UL_SE0) {
			r->st = 4;
		} else if (s != r->lvl_prev) {
			r->zeros++;
			r->lvl_prev = s;
		} else if (r->zeros >= 3) {
			r->st = 2;
			r->ones = 1;
			r->nb = 0;
			r->n = 0;
			r->sh = 0;
			r->stuff_err = 0;
		} else {
			r->st = 4;
		}
		break;
	case 2:
		if (s == UL_SE0) {
			r->st = 3;
			r->se0_start = r->edge_cyc;
		} else {
			int bit = (s == r->lvl_prev);
			r->lvl_prev = s;
			if (r->ones == 6) {
				if (bit)
					r->stuff_err = 1;
				r->ones = 0;
				break;
			}
			r->ones = bit ? r->ones + 1 : 0;
			r->sh |= (unsigned)bit << r->nb;
			if (++r->nb == 8) {
				if (r->n < UL_MAX_BYTES)
					r->buf[r->n++] = (uint8_t)r->sh;
				r->sh = 0;
				r->nb = 0;
			}
		}
		break;
	case 3:
		if (s == UL_J) {
			r->done = 1;
			memcpy(r->pkt, r->buf, (size_t)r->n);
			r->pkt_n = r->n;
			r->pkt_stuff_err = r->stuff_err;
			r->pkt_partial = r->nb != 0;
			r->pkt_start = r->start;
			r->pkt_eop_start = r->se0_start;
			r->pkt_end = r->edge_cyc;
			r->st = 0;
		} else if (s == UL_K) {
			r->st = 4;
		}
		break;
	default:
		if (s == UL_J)
			r->st = 0;
		break;
	}
}

#endif
