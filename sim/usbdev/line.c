// SPDX-License-Identifier: MIT
/*
 * Line-level attachment: a device on D+/D-, called once per usb_clk (48 MHz) cycle with the
 * host transceiver's drive. It resolves the bus (host drive, device drive, the device's 1.5k
 * pull-up on D+ (FS) or D- (LS), the host's 15k pull-downs), decodes the host's packets
 * (SYNC, NRZI, bit unstuffing, EOP) sampling each bit in its middle (the bit clock is
 * recovered from every transition: 4 usb_clk per FS bit, 32 per LS bit), and sends the
 * device's answers (SYNC, NRZI, stuffing, EOP: SE0 SE0 J, then released) starting
 * turnaround_q/4 bit times after the SE0->J edge that ended the host's EOP.
 */
#include "port_priv.h"

#include <stdio.h>
#include <string.h>

void line_reset_state(struct usbdev_port *p)
{
	p->lrx = LRX_IDLE;
	p->lrx_level = SYM_J;
	p->lrx_phase = 0;
	p->tx_on = false;
	p->rx_len = 0;
}

static enum line_sym classify(const struct usbdev_port *p, unsigned dp, unsigned dm)
{
	bool ls = p->dev && p->dev->desc.low_speed;

	if (!dp && !dm)
		return SYM_SE0;
	if (dp && dm)
		return SYM_SE1;
	if (dp)
		return ls ? SYM_K : SYM_J;
	return ls ? SYM_J : SYM_K;
}

static void sym_lines(const struct usbdev_port *p, enum line_sym s, uint8_t *dp, uint8_t *dm)
{
	bool ls = p->dev && p->dev->desc.low_speed;

	switch (s) {
	case SYM_SE0:
		*dp = *dm = 0;
		break;
	case SYM_SE1:
		*dp = *dm = 1;
		break;
	case SYM_J:
		*dp = !ls;
		*dm = ls;
		break;
	case SYM_K:
		*dp = ls;
		*dm = !ls;
		break;
	}
}

/* Encode a packet into bit-time symbols: SYNC, NRZI data with stuffing, EOP. */
static unsigned encode(const uint8_t *buf, unsigned len, bool stuff_err, uint8_t *sym)
{
	unsigned n = 0, ones = 0;
	enum line_sym lvl = SYM_J;

	for (unsigned i = 0; i < 8; i++) {  /* SYNC: 0000 0001 */
		if (i < 7)
			lvl = lvl == SYM_J ? SYM_K : SYM_J;
		sym[n++] = (uint8_t)lvl;
	}
	ones = 1;
	for (unsigned i = 0; i < len; i++) {
		if (stuff_err && i == len / 2) {
			/* seven ones without the stuffed zero: a bit-stuff violation */
			for (unsigned k = 0; k < 7; k++)
				sym[n++] = (uint8_t)lvl;
			ones = 0;
		}
		for (unsigned k = 0; k < 8; k++) {
			if (buf[i] >> k & 1) {
				ones++;
			} else {
				lvl = lvl == SYM_J ? SYM_K : SYM_J;
				ones = 0;
			}
			sym[n++] = (uint8_t)lvl;
			if (ones == 6) {
				lvl = lvl == SYM_J ? SYM_K : SYM_J;
				sym[n++] = (uint8_t)lvl;
				ones = 0;
			}
		}
	}
	sym[n++] = SYM_SE0;
	sym[n++] = SYM_SE0;
	sym[n++] = SYM_J;
	return n;
}

static void wait_idle(struct usbdev_port *p)
{
	p->lrx = LRX_WAIT_IDLE;
	p->lrx_ones = 0;
	p->lrx_zeros = 0;
}

static void rx_bit_sample(struct usbdev_port *p, enum line_sym s)
{
	unsigned bit;

	switch (p->lrx) {
	case LRX_IDLE:
		if (s == SYM_K) {
			p->lrx = LRX_SYNC;
			p->lrx_prev = SYM_K;
			p->lrx_zeros = 1;
		}
		return;
	case LRX_SYNC:
		if (s != SYM_J && s != SYM_K) {
			wait_idle(p);
			return;
		}
		bit = s == p->lrx_prev;
		p->lrx_prev = s;
		if (!bit) {
			p->lrx_zeros++;
		} else if (p->lrx_zeros >= 3) {
			p->lrx = LRX_DATA;
			p->lrx_ones = 1;
			p->lrx_nbits = 0;
			p->lrx_cur = 0;
			p->lrx_err = false;
			p->rx_len = 0;
		} else {
			wait_idle(p);  /* a long K (resume) or noise: no SYNC */
		}
		return;
	case LRX_DATA:
		if (s == SYM_SE0) {
			p->lrx = LRX_EOP;
			return;
		}
		if (s == SYM_SE1) {
			p->lrx_err = true;
			wait_idle(p);
			p->st.rx_errors++;
			return;
		}
		bit = s == p->lrx_prev;
		p->lrx_prev = s;
		if (p->lrx_ones == 6) {
			p->lrx_ones = 0;
			if (bit) {  /* seventh one: bit-stuff error, the packet is dropped */
				port_deliver(p, p->rx_buf, p->rx_len, true);
				p->resp.len = 0;
				wait_idle(p);
			}
			return;  /* the stuffed zero is dropped */
		}
		p->lrx_ones = bit ? p->lrx_ones + 1 : 0;
		p->lrx_cur |= (uint8_t)(bit << p->lrx_nbits);
		if (++p->lrx_nbits == 8) {
			if (p->rx_len < sizeof(p->rx_buf))
				p->rx_buf[p->rx_len++] = p->lrx_cur;
			else
				p->lrx_err = true;
			p->lrx_nbits = 0;
			p->lrx_cur = 0;
		}
		return;
	case LRX_EOP:
		if (s == SYM_SE0)
			return;
		if (s == SYM_J) {
			unsigned cpb = port_cpb(p);

			p->lrx = LRX_IDLE;
			port_deliver(p, p->rx_buf, p->rx_len, p->lrx_err || p->lrx_nbits != 0);
			if (p->resp.len) {
				/* the SE0->J edge was cpb/2 cycles ago */
				p->tx_start = p->now - cpb / 2 + p->o.turnaround_q * cpb / 4;
				p->tx_nsym = encode(p->resp.buf, p->resp.len, p->resp.stuff_error, p->tx_sym);
				p->tx_on = true;
			}
			return;
		}
		wait_idle(p);
		return;
	case LRX_WAIT_IDLE:
		/* after an error: wait for the EOP (SE0 then J) or for 8 bit times of J (idle) */
		if (s == SYM_SE0) {
			p->lrx_ones = 100;
		} else if (s == SYM_J) {
			if (p->lrx_ones == 100 || ++p->lrx_zeros >= 8)
				p->lrx = LRX_IDLE;
		} else {
			p->lrx_zeros = 0;
		}
		return;
	}
}

static void line_cycle(struct usbdev_port *p, const struct kite_line_host *h,
		       struct kite_line_bus *b);

void line_backend(void *ctx, const struct kite_line_host *h, struct kite_line_bus *b)
{
	struct usbdev_port *p = ctx;

	line_cycle(p, h, b);
	p->last_line = *b;
}

static void line_cycle(struct usbdev_port *p, const struct kite_line_host *h,
		       struct kite_line_bus *b)
{
	bool att = p->attached && p->dev;
	uint8_t ddp = 0, ddm = 0, doe = 0;
	unsigned cpb;
	enum line_sym s;

	p->now++;
	p->st.cycles++;
	if (!att) {
		if (h->oe) {
			b->dp = h->dp;
			b->dm = h->dm;
		} else {
			b->dp = b->dm = 0;
		}
		return;
	}
	cpb = port_cpb(p);

	/* ---- the device's drive this cycle */
	if (p->tx_on && p->now >= p->tx_start) {
		uint64_t i = (p->now - p->tx_start) / cpb;

		if (i < p->tx_nsym) {
			sym_lines(p, (enum line_sym)p->tx_sym[i], &ddp, &ddm);
			doe = 1;
		} else {
			p->tx_on = false;
			p->lrx = LRX_IDLE;
			p->lrx_level = SYM_J;
			p->lrx_phase = 0;
			port_check_detach(p, true);
			if (!p->attached) {
				b->dp = h->oe ? h->dp : 0;
				b->dm = h->oe ? h->dm : 0;
				return;
			}
		}
	} else if (p->wake) {
		sym_lines(p, SYM_K, &ddp, &ddm);
		doe = 1;
	}

	/* ---- resolve the bus */
	if (h->oe && doe) {
		bool both_k = p->wake && !p->tx_on && h->dp == ddp && h->dm == ddm;

		if (!both_k) {
			p->st.contention++;
			if (p->contention_logged < 10) {
				p->contention_logged++;
				fprintf(stderr, "usbdev line: bus contention at cycle %llu (host %u%u, device %u%u)\n",
					(unsigned long long)p->now, h->dp, h->dm, ddp, ddm);
			}
		}
		b->dp = h->dp;
		b->dm = h->dm;
	} else if (h->oe) {
		b->dp = h->dp;
		b->dm = h->dm;
	} else if (doe) {
		b->dp = ddp;
		b->dm = ddm;
	} else {
		/* pull-up on D+ (FS) or D- (LS); the other line is pulled down or floats low */
		sym_lines(p, SYM_J, &b->dp, &b->dm);
	}

	/* ---- the device's receiver and bus events */
	s = classify(p, b->dp, b->dm);
	if (doe) {
		port_bus_cond(p, p->wake && !p->tx_on ? PORT_IDLE : PORT_ACTIVE);
		return;
	}
	if (s != p->lrx_level) {
		p->lrx_level = s;
		p->lrx_phase = 0;
	} else {
		p->lrx_phase++;
	}
	if (p->lrx_phase % cpb == cpb / 2)
		rx_bit_sample(p, s);
	if (s == SYM_SE0 && (p->lrx == LRX_IDLE || p->lrx == LRX_WAIT_IDLE))
		port_bus_cond(p, PORT_SE0);  /* reset or keep-alive, not a packet's EOP */
	else
		port_bus_cond(p, s != SYM_J || p->lrx != LRX_IDLE || p->tx_on ? PORT_ACTIVE : PORT_IDLE);
	if (!p->tx_on && p->lrx == LRX_IDLE)
		port_check_detach(p, false);
}

/*
 * Fast-forward: nobody drives the line (J through the device's pull-up, SE0 without a device),
 * the receiver idles, and that line is the last answer given.
 */
uint64_t line_quiet(void *ctx)
{
	struct usbdev_port *p = ctx;
	bool att = p->attached && p->dev;
	struct kite_line_bus b = { 0, 0 };

	if (att && (p->tx_on || p->wake || p->lrx != LRX_IDLE || p->lrx_level != SYM_J))
		return 0;
	if (att)
		sym_lines(p, SYM_J, &b.dp, &b.dm);
	if (b.dp != p->last_line.dp || b.dm != p->last_line.dm)
		return 0;
	return port_idle_quiet(p);
}

void line_idle(void *ctx, uint64_t n)
{
	struct usbdev_port *p = ctx;

	if (p->attached && p->dev)
		p->lrx_phase = (unsigned int)(p->lrx_phase + n);
	port_idle_advance(p, n);
}
