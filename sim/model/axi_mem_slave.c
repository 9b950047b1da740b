// SPDX-License-Identifier: MIT
/*
 * AXI4 memory slave BFM serving the RTL's DMA master through struct kite_mem_ops.
 *
 * - Reads: one ops->read() per burst, at AR acceptance; its data is returned after `latency`
 *   cycles. A non-zero return answers every beat of the burst with err_resp (DECERR).
 * - Writes: W beats are accepted only for an AW already received; one ops->write() per
 *   contiguous run of strobed bytes within a burst; a failing write turns B into err_resp.
 * - Up to AXI_MEM_QUEUE bursts per direction in flight, random ready/valid stalls (stall_pct).
 * - Protocol checks on the master: INCR only, full-width size, aligned start, no 4 KiB
 *   crossing, address within addr_bits, WLAST on the last beat only, no strobes beyond the
 *   bus. Violations are counted, the first one described.
 * See axi_bfm.h for the per-cycle calling protocol. No allocation per cycle.
 */
#include <stdio.h>
#include <string.h>

#include "axi_bfm.h"

static void violation(struct axi_mem_slave *s, const char *what, uint64_t addr)
{
	if (!s->violations++)
		snprintf(s->first_violation, sizeof(s->first_violation),
			 "cycle %llu: %s (addr 0x%llx)", (unsigned long long)s->now, what,
			 (unsigned long long)addr);
}

static int stall(struct axi_mem_slave *s)
{
	if (!s->stall_pct)
		return 0;
	s->rng = s->rng * 1664525u + 1013904223u;
	return ((s->rng >> 16) % 100u) < s->stall_pct;
}

void axi_mem_slave_init(struct axi_mem_slave *s, const struct kite_mem_ops *ops,
			unsigned int bytes, unsigned int addr_bits, unsigned int latency)
{
	memset(s, 0, sizeof(*s));
	if (ops)
		s->ops = *ops;
	s->bytes = bytes;
	s->addr_bits = addr_bits;
	s->latency = latency;
	s->rng = 12345;
	s->err_resp = 3;
}

bool axi_mem_slave_idle(const struct axi_mem_slave *s)
{
	return !s->rq_count && !s->wq_count;
}

/* The stall generator's state after k more draws: x -> a^k x + c (a^k - 1) / (a - 1), by squaring. */
static uint32_t lcg_jump(uint32_t x, uint64_t k)
{
	uint32_t mul = 1, add = 0, a = 1664525u, c = 1013904223u;

	while (k) {
		if (k & 1) {
			mul *= a;
			add = add * a + c;
		}
		c = c * (a + 1);
		a *= a;
		k >>= 1;
	}
	return mul * x + add;
}

void axi_mem_slave_skip(struct axi_mem_slave *s, uint64_t n)
{
	if (!n)
		return;
	/* an idle step draws twice (ARREADY, AWREADY): n - 1 steps at once, the last one for real */
	if (s->stall_pct)
		s->rng = lcg_jump(s->rng, 2 * (n - 1));
	s->now += n - 1;
	axi_mem_slave_step(s);
}

static void check_burst(struct axi_mem_slave *s, uint64_t addr, unsigned int beats,
			unsigned int size, unsigned int burst)
{
	if (burst != 1)
		violation(s, "burst type is not INCR", addr);
	if ((1u << size) != s->bytes)
		violation(s, "burst size is not the bus width", addr);
	if (addr & (s->bytes - 1))
		violation(s, "burst start not aligned to the bus width", addr);
	if ((addr & 0xfff) + (uint64_t)beats * s->bytes > 0x1000)
		violation(s, "burst crosses a 4 KiB boundary", addr);
	if (s->addr_bits < 64 && (addr >> s->addr_bits))
		violation(s, "address beyond the address width", addr);
}

static void flush_run(struct axi_mem_slave *s, struct axi_mem_burst *b)
{
	if (!s->run_len)
		return;
	if (s->ops.write && s->ops.write(s->ops.ctx, s->run_addr, s->run, s->run_len))
		b->err = 1;
	s->write_bytes += s->run_len;
	s->run_len = 0;
}

void axi_mem_slave_step(struct axi_mem_slave *s)
{
	struct axi_mem_pins *p = &s->p;
	unsigned int i;

	/* ---- handshakes at the coming edge */
	if (p->rvalid_o && p->rready_i) {
		struct axi_mem_burst *b = &s->rq[s->rq_head];

		if (++b->beat == b->beats) {
			s->rq_head = (s->rq_head + 1) % AXI_MEM_QUEUE;
			s->rq_count--;
		}
	}
	if (p->arready_o && p->arvalid_i) {
		struct axi_mem_burst *b = &s->rq[(s->rq_head + s->rq_count) % AXI_MEM_QUEUE];
		uint64_t a0 = p->araddr_i & ~(uint64_t)(s->bytes - 1);

		check_burst(s, p->araddr_i, p->arlen_i + 1u, p->arsize_i, p->arburst_i);
		b->addr = p->araddr_i;
		b->id = p->arid_i;
		b->beats = p->arlen_i + 1u;
		b->beat = 0;
		b->ready_at = s->now + s->latency;
		b->err = 0;
		if (s->ops.read && s->ops.read(s->ops.ctx, a0, b->data, (size_t)b->beats * s->bytes))
			b->err = 1;
		else if (!s->ops.read)
			memset(b->data, 0, (size_t)b->beats * s->bytes);
		s->read_bytes += (uint64_t)b->beats * s->bytes;
		s->bursts_rd++;
		if (b->err)
			s->errors++;
		s->rq_count++;
	}
	if (p->wready_o && p->wvalid_i) {
		struct axi_mem_burst *b = &s->wq[(s->wq_head + s->wq_wdone) % AXI_MEM_QUEUE];
		uint64_t ba = (b->addr & ~(uint64_t)(s->bytes - 1)) + (uint64_t)b->beat * s->bytes;
		const uint8_t *d = (const uint8_t *)p->wdata_i;	/* little-endian host */
		int last = b->beat + 1 == b->beats;

		if (p->wlast_i != last)
			violation(s, last ? "WLAST missing on the last beat" : "WLAST before the last beat",
				  ba);
		if (s->bytes < 32 && (p->wstrb_i >> s->bytes))
			violation(s, "WSTRB bits beyond the bus width", ba);
		for (i = 0; i < s->bytes; i++) {
			if (!((p->wstrb_i >> i) & 1)) {
				flush_run(s, b);
				continue;
			}
			if (s->run_len && ba + i != s->run_addr + s->run_len)
				flush_run(s, b);
			if (!s->run_len)
				s->run_addr = ba + i;
			s->run[s->run_len++] = d[i];
		}
		if (++b->beat == b->beats) {
			flush_run(s, b);
			s->wq_wdone++;
		}
	}
	if (p->awready_o && p->awvalid_i) {
		struct axi_mem_burst *b = &s->wq[(s->wq_head + s->wq_count) % AXI_MEM_QUEUE];

		check_burst(s, p->awaddr_i, p->awlen_i + 1u, p->awsize_i, p->awburst_i);
		b->addr = p->awaddr_i;
		b->id = p->awid_i;
		b->beats = p->awlen_i + 1u;
		b->beat = 0;
		b->ready_at = s->now + s->latency;
		b->err = 0;
		s->bursts_wr++;
		s->wq_count++;
	}
	if (p->bvalid_o && p->bready_i) {
		if (s->wq[s->wq_head].err)
			s->errors++;
		s->wq_head = (s->wq_head + 1) % AXI_MEM_QUEUE;
		s->wq_count--;
		s->wq_wdone--;
	}

	s->now++;

	/* ---- outputs for the next cycle */
	p->arready_o = s->rq_count < AXI_MEM_QUEUE && !stall(s);
	p->awready_o = s->wq_count < AXI_MEM_QUEUE && !stall(s);
	p->wready_o = s->wq_wdone < s->wq_count && !stall(s);

	/* R: a VALID not yet accepted stays up with the same beat */
	if (!(p->rvalid_o && !p->rready_i)) {
		p->rvalid_o = 0;
		if (s->rq_count) {
			struct axi_mem_burst *b = &s->rq[s->rq_head];

			if (s->now >= b->ready_at && !stall(s)) {
				p->rvalid_o = 1;
				memcpy(p->rdata_o, b->data + (size_t)b->beat * s->bytes, s->bytes);
				p->rresp_o = b->err ? s->err_resp : 0;
				p->rlast_o = b->beat + 1 == b->beats;
				p->rid_o = b->id;
			}
		}
	}
	if (!(p->bvalid_o && !p->bready_i)) {
		p->bvalid_o = 0;
		if (s->wq_wdone) {
			struct axi_mem_burst *b = &s->wq[s->wq_head];

			if (s->now >= b->ready_at && !stall(s)) {
				p->bvalid_o = 1;
				p->bresp_o = b->err ? s->err_resp : 0;
				p->bid_o = b->id;
			}
		}
	}
}
