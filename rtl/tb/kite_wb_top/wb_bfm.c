// SPDX-License-Identifier: MIT
/* Wishbone B4 classic master and memory slave BFMs (see wb_bfm.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "wb_bfm.h"

static uint32_t bfm_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void violation(unsigned int *n, char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!(*n)++) {
		va_start(ap, fmt);
		vsnprintf(msg, len, fmt, ap);
		va_end(ap);
	}
}

/* ---------------------------------------------------------------- master */
void wb_master_init(struct wb_master *m, uint32_t seed, unsigned int gap_pct)
{
	memset(m, 0, sizeof(*m));
	m->rng = seed ? seed : 1;
	m->gap_pct = gap_pct > 100 ? 100 : gap_pct;
}

void wb_master_start(struct wb_master *m, int we, uint32_t adr, uint32_t dat, uint8_t sel)
{
	m->busy = 1;
	m->done = 0;
	m->err = 0;
	m->waited = 0;
	m->we_o = (uint8_t)!!we;
	m->adr_o = adr;
	m->dat_o = dat;
	m->sel_o = sel & 0xf;
	m->gap = 0;
	if (m->gap_pct && bfm_rand(&m->rng) % 100 < m->gap_pct)
		m->gap = 1 + bfm_rand(&m->rng) % 3;
	/* sometimes CYC goes up first with STB low (a master wait state inside the cycle) */
	m->cyc_o = m->gap && (bfm_rand(&m->rng) & 1);
	m->stb_o = 0;
	if (!m->gap) {
		m->cyc_o = 1;
		m->stb_o = 1;
	}
}

void wb_master_step(struct wb_master *m)
{
	int req = m->cyc_o && m->stb_o;

	if ((m->ack_i || m->err_i) && !req)
		violation(&m->violations, m->first_violation, sizeof(m->first_violation),
			  "slave ACK/ERR (%u/%u) without CYC & STB", m->ack_i, m->err_i);
	if (m->ack_i && m->err_i)
		violation(&m->violations, m->first_violation, sizeof(m->first_violation),
			  "slave ACK and ERR together (adr 0x%x)", m->adr_o);
	if (req && (m->ack_i || m->err_i)) {
		/* the access completes at this edge */
		m->done = 1;
		m->busy = 0;
		m->err = m->err_i;
		m->rdata = m->dat_i;
		m->cyc_o = 0;
		m->stb_o = 0;
		return;
	}
	if (req) {
		m->waited++;
		return;
	}
	if (m->busy) {
		if (m->gap)
			m->gap--;
		if (!m->gap) {
			m->cyc_o = 1;
			m->stb_o = 1;
		}
	}
}

/* ---------------------------------------------------------------- memory slave */
void wb_mem_slave_init(struct wb_mem_slave *s, uint8_t *mem, uint32_t base, uint32_t size,
		       unsigned int wait_max, uint32_t seed)
{
	memset(s, 0, sizeof(*s));
	s->mem = mem;
	s->base = base;
	s->size = size;
	s->wait_max = wait_max;
	s->rng = seed ? seed : 1;
}

static int slave_bad(const struct wb_mem_slave *s, uint32_t a, int we)
{
	if (a < s->base || a - s->base > s->size - 4)
		return 1;
	if (s->err_hi > s->err_lo && a < s->err_hi && a + 4 > s->err_lo)
		return we ? s->err_writes : s->err_reads;
	return 0;
}

static void slave_access(struct wb_mem_slave *s)
{
	uint32_t a = s->p_adr << 2;
	unsigned int i;

	s->dat_o = 0xdeadbeefu;		/* not meaningful unless a read is ACKed */
	if (slave_bad(s, a, s->p_we)) {
		s->err_o = 1;
		s->errors++;
		return;
	}
	s->ack_o = 1;
	if (s->p_we) {
		s->writes++;
		for (i = 0; i < 4; i++)
			if (s->p_sel >> i & 1) {
				s->mem[a - s->base + i] = (uint8_t)(s->p_dat >> (8 * i));
				s->write_bytes++;
			}
	} else {
		s->reads++;
		s->dat_o = 0;
		for (i = 0; i < 4; i++)
			s->dat_o |= (uint32_t)s->mem[a - s->base + i] << (8 * i);
	}
}

/* a new request: remember it (it must stay stable until answered) and draw its wait states */
static void slave_latch(struct wb_mem_slave *s)
{
	s->pending = 1;
	s->p_we = s->we_i;
	s->p_sel = s->sel_i;
	s->p_adr = s->adr_i;
	s->p_dat = s->dat_i;
	s->wait_left = s->wait_max ? bfm_rand(&s->rng) % (s->wait_max + 1) : 0;
}

void wb_mem_slave_step(struct wb_mem_slave *s)
{
	int req = s->cyc_i && s->stb_i;

	s->cycles++;
	if (s->cyc_i) {
		s->cyc_cycles++;
		if (!s->prev_cyc)
			s->cycs++;
	}
	s->prev_cyc = s->cyc_i;
	if (s->stb_i && !s->cyc_i)
		violation(&s->violations, s->first_violation, sizeof(s->first_violation),
			  "STB without CYC (cycle %llu)", (unsigned long long)s->cycles);
	if (s->ack_o || s->err_o) {
		/* the master samples the answer at this edge; the access is over */
		s->ack_o = 0;
		s->err_o = 0;
		if (!req && !s->comb)
			violation(&s->violations, s->first_violation, sizeof(s->first_violation),
				  "CYC/STB dropped while ACK/ERR was presented (cycle %llu)",
				  (unsigned long long)s->cycles);
		return;
	}
	if (!req) {
		if (s->pending)
			violation(&s->violations, s->first_violation, sizeof(s->first_violation),
				  "STB dropped before ACK/ERR (adr 0x%x, cycle %llu)", s->p_adr,
				  (unsigned long long)s->cycles);
		s->pending = 0;
		return;
	}
	if (!s->pending) {
		slave_latch(s);
	} else if (s->p_we != s->we_i || s->p_adr != s->adr_i ||
		   (s->p_we && (s->p_sel != s->sel_i || s->p_dat != s->dat_i))) {
		violation(&s->violations, s->first_violation, sizeof(s->first_violation),
			  "request changed before ACK: adr 0x%x->0x%x we %u->%u (cycle %llu)",
			  s->p_adr, s->adr_i, s->p_we, s->we_i, (unsigned long long)s->cycles);
	}
	if (s->wait_left) {
		s->wait_left--;
		s->wait_cycles++;
		return;
	}
	if (s->comb)
		return;		/* answered by wb_mem_slave_comb() in the next cycle */
	s->pending = 0;
	slave_access(s);
}

int wb_mem_slave_comb(struct wb_mem_slave *s)
{
	if (!s->comb || !(s->cyc_i && s->stb_i))
		return 0;
	if (!s->pending)
		slave_latch(s);
	if (s->wait_left)
		return 0;
	s->pending = 0;
	slave_access(s);
	s->comb_answers++;
	return 1;
}
