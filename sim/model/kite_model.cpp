// SPDX-License-Identifier: MIT
/*
 * kite_model: thin C++ glue between the Verilated kite_axi_top and the C bus functional models
 * (axil_master.c, axi_mem_slave.c). Implements kite_model.h and kite_model_test.h.
 *
 * One clock cycle = two eval() calls: clk low with the BFM outputs applied (the DUT's
 * combinational outputs settle), the BFMs step on the sampled outputs, then clk high.
 */
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <new>

#include "Vkite_axi_top.h"
#include "verilated.h"
#include "verilated_fst_c.h"

extern "C" {
#include "axi_bfm.h"
#include "kite_model.h"
#include "kite_model_test.h"
}

struct kite_model {
	VerilatedContext *ctx;
	Vkite_axi_top *top;
	VerilatedFstC *tfp;
	uint64_t time;		/* half cycles, for the waveform */
	struct axil_master axil;
	struct axi_mem_slave mem;
	uint64_t cycles, reg_reads, reg_writes;
};

/* ---------------------------------------------------------------- wide signal helpers */
static inline void to_words(uint32_t v, uint32_t *w) { w[0] = v; }
static inline void to_words(uint64_t v, uint32_t *w)
{
	w[0] = (uint32_t)v;
	w[1] = (uint32_t)(v >> 32);
}
template <std::size_t N> static inline void to_words(const VlWide<N> &v, uint32_t *w)
{
	for (std::size_t i = 0; i < N; i++)
		w[i] = v[i];
}
static inline void from_words(uint32_t &v, const uint32_t *w) { v = w[0]; }
static inline void from_words(uint64_t &v, const uint32_t *w)
{
	v = (uint64_t)w[0] | ((uint64_t)w[1] << 32);
}
template <std::size_t N> static inline void from_words(VlWide<N> &v, const uint32_t *w)
{
	for (std::size_t i = 0; i < N; i++)
		v[i] = w[i];
}

static void dump(struct kite_model *m)
{
	if (m->tfp)
		m->tfp->dump(m->time);
	m->time++;
}

static void cycle(struct kite_model *m)
{
	Vkite_axi_top *t = m->top;
	struct axil_pins *a = &m->axil.p;
	struct axi_mem_pins *s = &m->mem.p;

	/* 1. BFM outputs -> DUT inputs, clk low */
	t->s_axil_awaddr = a->awaddr_o;
	t->s_axil_awprot = 0;
	t->s_axil_awvalid = a->awvalid_o;
	t->s_axil_wdata = a->wdata_o;
	t->s_axil_wstrb = a->wstrb_o;
	t->s_axil_wvalid = a->wvalid_o;
	t->s_axil_bready = a->bready_o;
	t->s_axil_araddr = a->araddr_o;
	t->s_axil_arprot = 0;
	t->s_axil_arvalid = a->arvalid_o;
	t->s_axil_rready = a->rready_o;
	t->m_axi_awready = s->awready_o;
	t->m_axi_wready = s->wready_o;
	t->m_axi_bid = s->bid_o;
	t->m_axi_bresp = s->bresp_o;
	t->m_axi_bvalid = s->bvalid_o;
	t->m_axi_arready = s->arready_o;
	t->m_axi_rid = s->rid_o;
	from_words(t->m_axi_rdata, s->rdata_o);
	t->m_axi_rresp = s->rresp_o;
	t->m_axi_rlast = s->rlast_o;
	t->m_axi_rvalid = s->rvalid_o;
	t->clk = 0;
	t->eval();
	dump(m);

	/* 2. DUT outputs -> BFMs */
	a->awready_i = t->s_axil_awready;
	a->wready_i = t->s_axil_wready;
	a->bvalid_i = t->s_axil_bvalid;
	a->bresp_i = t->s_axil_bresp;
	a->arready_i = t->s_axil_arready;
	a->rvalid_i = t->s_axil_rvalid;
	a->rresp_i = t->s_axil_rresp;
	a->rdata_i = t->s_axil_rdata;
	axil_master_step(&m->axil);

	s->awid_i = t->m_axi_awid;
	s->awaddr_i = t->m_axi_awaddr;
	s->awlen_i = t->m_axi_awlen;
	s->awsize_i = t->m_axi_awsize;
	s->awburst_i = t->m_axi_awburst;
	s->awvalid_i = t->m_axi_awvalid;
	to_words(t->m_axi_wdata, s->wdata_i);
	s->wstrb_i = t->m_axi_wstrb;
	s->wlast_i = t->m_axi_wlast;
	s->wvalid_i = t->m_axi_wvalid;
	s->bready_i = t->m_axi_bready;
	s->arid_i = t->m_axi_arid;
	s->araddr_i = t->m_axi_araddr;
	s->arlen_i = t->m_axi_arlen;
	s->arsize_i = t->m_axi_arsize;
	s->arburst_i = t->m_axi_arburst;
	s->arvalid_i = t->m_axi_arvalid;
	s->rready_i = t->m_axi_rready;
	axi_mem_slave_step(&m->mem);

	/* 3. clock edge */
	t->clk = 1;
	t->eval();
	dump(m);
	m->cycles++;
}

extern "C" {

struct kite_model *kite_model_create(const struct kite_model_config *cfg,
				     const struct kite_mem_ops *mem)
{
	struct kite_model *m = new (std::nothrow) kite_model();

	if (!m)
		return nullptr;
	m->ctx = new VerilatedContext;
	m->ctx->traceEverOn(cfg && cfg->trace_path);
	m->top = new Vkite_axi_top{m->ctx, "kite"};
	m->tfp = nullptr;
	if (cfg && cfg->trace_path) {
		m->tfp = new VerilatedFstC;
		m->top->trace(m->tfp, 99);
		m->tfp->open(cfg->trace_path);
		if (!m->tfp->isOpen()) {
			kite_model_destroy(m);
			return nullptr;
		}
	}
	axil_master_init(&m->axil);
	axi_mem_slave_init(&m->mem, mem, sizeof(m->top->m_axi_wdata) >= 16 ? 16 :
			   (unsigned int)sizeof(m->top->m_axi_wdata),
			   sizeof(m->top->m_axi_awaddr) * 8, cfg ? cfg->mem_latency : 0);
	m->top->rst = 1;
	for (int i = 0; i < 4; i++)
		cycle(m);
	m->top->rst = 0;
	m->cycles = 0;
	return m;
}

void kite_model_destroy(struct kite_model *m)
{
	if (!m)
		return;
	if (m->tfp) {
		m->tfp->close();
		delete m->tfp;
	}
	m->top->final();
	delete m->top;
	delete m->ctx;
	delete m;
}

void kite_model_tick(struct kite_model *m, unsigned int n)
{
	while (n--)
		cycle(m);
}

static int wait_axil(struct kite_model *m)
{
	for (int i = 0; i < 10000; i++) {
		cycle(m);
		if (m->axil.done)
			return m->axil.resp >= 2 ? -EIO : 0;
	}
	/* give up: drop the request so the next access starts clean */
	axil_master_init(&m->axil);
	return -ETIMEDOUT;
}

int kite_model_reg_read(struct kite_model *m, uint32_t offset, uint32_t *val)
{
	int ret;

	m->reg_reads++;
	axil_master_start_read(&m->axil, offset);
	ret = wait_axil(m);
	*val = ret ? 0 : m->axil.rdata;
	return ret;
}

int kite_model_reg_write(struct kite_model *m, uint32_t offset, uint32_t val, uint8_t strb)
{
	m->reg_writes++;
	axil_master_start_write(&m->axil, offset, val, strb);
	return wait_axil(m);
}

bool kite_model_irq(const struct kite_model *m)
{
	return m->top->irq;
}

bool kite_model_busy(const struct kite_model *m)
{
	return m->top->busy || !axi_mem_slave_idle(&m->mem);
}

void kite_model_get_stats(const struct kite_model *m, struct kite_model_stats *st)
{
	st->cycles = m->cycles;
	st->reg_reads = m->reg_reads;
	st->reg_writes = m->reg_writes;
	st->dma_read_bytes = m->mem.read_bytes;
	st->dma_write_bytes = m->mem.write_bytes;
	st->dma_errors = m->mem.errors;
}

/* ---------------------------------------------------------------- test extensions */
void kite_model_test_set_stall(struct kite_model *m, unsigned int pct, uint32_t seed)
{
	m->mem.stall_pct = pct > 100 ? 100 : pct;
	m->mem.rng = seed;
}

void kite_model_test_set_latency(struct kite_model *m, unsigned int cycles)
{
	m->mem.latency = cycles;
}

void kite_model_test_set_err_resp(struct kite_model *m, unsigned int resp)
{
	m->mem.err_resp = (uint8_t)(resp & 3);
}

void kite_model_test_set_axil_order(struct kite_model *m, unsigned int order)
{
	m->axil.order = (enum axil_order)(order % 3);
}

unsigned int kite_model_test_violations(const struct kite_model *m, char *msg, size_t len)
{
	if (msg && len) {
		std::strncpy(msg, m->mem.first_violation, len - 1);
		msg[len - 1] = 0;
	}
	return m->mem.violations;
}

void kite_model_test_bursts(const struct kite_model *m, uint64_t *rd, uint64_t *wr)
{
	*rd = m->mem.bursts_rd;
	*wr = m->mem.bursts_wr;
}

unsigned int kite_model_test_data_bytes(const struct kite_model *m)
{
	return m->mem.bytes;
}

unsigned int kite_model_test_addr_bits(const struct kite_model *m)
{
	return m->mem.addr_bits;
}

int kite_model_test_reg_write_nowait(struct kite_model *m, uint32_t offset, uint32_t val,
				     uint8_t strb)
{
	m->reg_writes++;
	axil_master_start_write(&m->axil, offset, val, strb);
	return 0;
}

unsigned int kite_model_test_last_resp(const struct kite_model *m)
{
	return m->axil.resp;
}

} /* extern "C" */
