// SPDX-License-Identifier: MIT
/*
 * kite_model: thin C++ glue between the Verilated kite_sim_top (rtl/tb/kite_sim_top.sv:
 * kite_axi_top plus per-port kite_fs_phy) and the C bus functional models (axil_master.c,
 * axi_mem_slave.c) and USB port backends. Implements kite_model.h and kite_model_test.h.
 *
 * One bus clock cycle = two eval() calls: clk low with the BFM outputs applied (the DUT's
 * combinational outputs settle), the BFMs step on the sampled outputs, then clk high.
 * usb_clk runs at one cycle per bus_per_usb bus cycles (default 2): it rises together with clk
 * at the start of every bus_per_usb-th cycle and stays high for half of them (bus_per_usb = 1:
 * usb_clk is clk). With usb_per_bus > 1 the bus clock is the slower one instead: one bus cycle
 * holds usb_per_bus usb_clk cycles, clk is low for the first usb_per_bus - 1 of them and rises
 * together with usb_clk at the end (two eval() per usb_clk cycle). Each port's backend is called
 * once per usb_clk cycle, just before the usb_clk rising edge, with the RTL's settled outputs;
 * its answer is applied at that edge.
 */
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <new>

#include "Vkite_sim_top.h"
#include "verilated.h"
#include "verilated_fst_c.h"

extern "C" {
#include "axi_bfm.h"
#include "kite_model.h"
#include "kite_model_test.h"
}

#define KITE_MODEL_MAX_PORTS 15

struct kite_model {
	VerilatedContext *ctx;
	Vkite_sim_top *top;
	VerilatedFstC *tfp;
	uint64_t time;		/* half cycles, for the waveform */
	struct axil_master axil;
	struct axi_mem_slave mem;
	uint64_t cycles, reg_reads, reg_writes, usb_cycles;
	unsigned int bus_per_usb, usb_per_bus, phase, num_ports;
	enum kite_attach attach;
	bool has_port[KITE_MODEL_MAX_PORTS];
	struct kite_port_backend port[KITE_MODEL_MAX_PORTS];
	struct kite_utmi_phy phy[KITE_MODEL_MAX_PORTS];	/* last backend answers (UTMI) */
	struct kite_line_bus bus[KITE_MODEL_MAX_PORTS];	/* last backend answers (line) */
};

/* ---------------------------------------------------------------- wide signal helpers */
static inline void to_words(uint8_t v, uint32_t *w) { w[0] = v; }
static inline void to_words(uint16_t v, uint32_t *w) { w[0] = v; }
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
static inline void from_words(uint8_t &v, const uint32_t *w) { v = (uint8_t)w[0]; }
static inline void from_words(uint16_t &v, const uint32_t *w) { v = (uint16_t)w[0]; }
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

/* bits [lsb, lsb + w) of a Verilated signal (w <= 32) */
template <typename T> static inline uint32_t get_bits(const T &v, unsigned int lsb, unsigned int w)
{
	uint32_t words[8] = { 0 };

	to_words(v, words);
	uint64_t x = words[lsb / 32];
	if (lsb / 32 + 1 < 8)
		x |= (uint64_t)words[lsb / 32 + 1] << 32;
	return (uint32_t)(x >> (lsb % 32)) & (w >= 32 ? 0xffffffffu : ((1u << w) - 1));
}

template <typename T> static inline void set_bits(T &v, unsigned int lsb, unsigned int w,
						  uint32_t val)
{
	uint32_t words[8] = { 0 };
	uint32_t mask = w >= 32 ? 0xffffffffu : ((1u << w) - 1);

	to_words(v, words);
	for (unsigned int i = 0; i < w; i++) {
		unsigned int b = lsb + i;

		words[b / 32] = (words[b / 32] & ~(1u << (b % 32))) |
				((((val & mask) >> i) & 1u) << (b % 32));
	}
	from_words(v, words);
}

static void dump(struct kite_model *m)
{
	if (m->tfp)
		m->tfp->dump(m->time);
	m->time++;
}

/* Call every port's backend for the usb_clk cycle that ends now; apply the answers. */
static void usb_ports(struct kite_model *m)
{
	Vkite_sim_top *t = m->top;

	for (unsigned int p = 0; p < m->num_ports; p++) {
		if (m->attach == KITE_ATTACH_LINE) {
			struct kite_line_host h;
			struct kite_line_bus b = { 0, 0 };	/* nothing attached: pull-downs, SE0 */

			h.dp = (uint8_t)get_bits(t->usb_dp_o, p, 1);
			h.dm = (uint8_t)get_bits(t->usb_dm_o, p, 1);
			h.oe = (uint8_t)get_bits(t->usb_oe, p, 1);
			h.pulldown = (uint8_t)get_bits(t->usb_pulldown, p, 1);
			if (m->has_port[p] && m->port[p].line)
				m->port[p].line(m->port[p].ctx, &h, &b);
			else if (h.oe)
				b.dp = h.dp, b.dm = h.dm;
			m->bus[p] = b;
		} else {
			struct kite_utmi_host h;
			struct kite_utmi_phy ph = { 1, 0, 0, 0, 0, 0 };	/* idle PHY, SE0 */

			h.data_out = (uint8_t)get_bits(t->utmi_data_out, 8 * p, 8);
			h.txvalid = (uint8_t)get_bits(t->utmi_txvalid, p, 1);
			h.xcvrselect = (uint8_t)get_bits(t->utmi_xcvrselect, 2 * p, 2);
			h.termselect = (uint8_t)get_bits(t->utmi_termselect, p, 1);
			h.opmode = (uint8_t)get_bits(t->utmi_opmode, 2 * p, 2);
			h.line_ctrl = (uint8_t)get_bits(t->utmi_line_ctrl, 2 * p, 2);
			if (m->has_port[p] && m->port[p].utmi)
				m->port[p].utmi(m->port[p].ctx, &h, &ph);
			m->phy[p] = ph;
		}
	}
}

static void apply_ports(struct kite_model *m)
{
	Vkite_sim_top *t = m->top;

	for (unsigned int p = 0; p < m->num_ports; p++) {
		set_bits(t->utmi_txready, p, 1, m->phy[p].txready);
		set_bits(t->utmi_data_in, 8 * p, 8, m->phy[p].data_in);
		set_bits(t->utmi_rxvalid, p, 1, m->phy[p].rxvalid);
		set_bits(t->utmi_rxactive, p, 1, m->phy[p].rxactive);
		set_bits(t->utmi_rxerror, p, 1, m->phy[p].rxerror);
		set_bits(t->utmi_linestate, 2 * p, 2, m->phy[p].linestate);
		set_bits(t->usb_dp_i, p, 1, m->bus[p].dp);
		set_bits(t->usb_dm_i, p, 1, m->bus[p].dm);
	}
}

/* BFM outputs -> DUT inputs (they changed at the last clk edge) */
static void bfm_drive(struct kite_model *m)
{
	Vkite_sim_top *t = m->top;
	struct axil_pins *a = &m->axil.p;
	struct axi_mem_pins *s = &m->mem.p;

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
}

/* settled DUT outputs -> BFMs, which step for the clk edge that follows */
static void bfm_sample(struct kite_model *m)
{
	Vkite_sim_top *t = m->top;
	struct axil_pins *a = &m->axil.p;
	struct axi_mem_pins *s = &m->mem.p;

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
}

/* bus clock slower than usb_clk: usb_per_bus usb_clk cycles, the last ending with clk's edge */
static void cycle_slow_bus(struct kite_model *m)
{
	Vkite_sim_top *t = m->top;

	bfm_drive(m);
	t->clk = 0;
	t->usb_clk = 0;
	t->eval();
	dump(m);
	for (unsigned int i = 1; i < m->usb_per_bus; i++) {
		usb_ports(m);
		apply_ports(m);
		m->usb_cycles++;
		t->usb_clk = 1;
		t->eval();
		dump(m);
		t->usb_clk = 0;
		t->eval();
		dump(m);
	}
	bfm_sample(m);
	usb_ports(m);
	apply_ports(m);
	m->usb_cycles++;
	t->clk = 1;
	t->usb_clk = 1;
	t->eval();
	dump(m);
	m->cycles++;
}

static void cycle(struct kite_model *m)
{
	Vkite_sim_top *t = m->top;
	unsigned int half = m->bus_per_usb / 2;
	bool usb_edge = m->phase == 0;

	if (m->usb_per_bus > 1) {
		cycle_slow_bus(m);
		return;
	}

	/* 1. BFM outputs -> DUT inputs, clk low */
	bfm_drive(m);
	t->clk = 0;
	if (m->bus_per_usb == 1)
		t->usb_clk = 0;
	t->eval();
	dump(m);

	/* 2. DUT outputs -> BFMs */
	bfm_sample(m);

	/* USB side: the backends answer for the usb_clk cycle that ends at this edge */
	if (usb_edge) {
		usb_ports(m);
		apply_ports(m);
		m->usb_cycles++;
	}

	/* 3. clock edge (usb_clk rises with clk at phase 0, falls at phase bus_per_usb / 2) */
	t->clk = 1;
	if (m->bus_per_usb == 1)
		t->usb_clk = 1;
	else if (m->phase == 0)
		t->usb_clk = 1;
	else if (m->phase == half)
		t->usb_clk = 0;
	t->eval();
	dump(m);
	m->cycles++;
	m->phase = (m->phase + 1) % m->bus_per_usb;
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
	m->top = new Vkite_sim_top{m->ctx, "kite"};
	m->bus_per_usb = cfg && cfg->bus_per_usb ? cfg->bus_per_usb : 2;
	m->usb_per_bus = cfg && cfg->usb_per_bus > 1 ? cfg->usb_per_bus : 1;
	if (m->usb_per_bus > 1)
		m->bus_per_usb = 1;
	m->attach = cfg ? cfg->attach : KITE_ATTACH_UTMI;
	m->top->sim_attach_line = m->attach == KITE_ATTACH_LINE;
	m->num_ports = 1;
	for (unsigned int p = 0; p < KITE_MODEL_MAX_PORTS; p++)
		m->phy[p].txready = 1;
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
	m->top->usb_rst = 1;
	for (unsigned int i = 0; i < 4 * m->bus_per_usb; i++)
		cycle(m);
	m->top->rst = 0;
	m->top->usb_rst = 0;
	/* the number of root ports is a synthesis parameter: ask the RTL */
	{
		uint32_t cap = 0;

		if (kite_model_reg_read(m, 0x008, &cap) == 0 && ((cap >> 12) & 15))
			m->num_ports = (cap >> 12) & 15;
	}
	m->cycles = 0;
	m->usb_cycles = 0;
	m->reg_reads = 0;
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

uint64_t kite_model_time_ps(const struct kite_model *m)
{
	/* 48 MHz: 10^6 / 48 ps per usb_clk cycle, bus_per_usb bus cycles per usb_clk cycle */
	if (m->usb_per_bus > 1)
		return m->usb_cycles * 1000000ull / 48ull;
	return m->cycles * 1000000ull / (48ull * m->bus_per_usb);
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
	st->usb_cycles = m->usb_cycles;
	st->reg_reads = m->reg_reads;
	st->reg_writes = m->reg_writes;
	st->dma_read_bytes = m->mem.read_bytes;
	st->dma_write_bytes = m->mem.write_bytes;
	st->dma_errors = m->mem.errors;
}

int kite_model_set_port(struct kite_model *m, unsigned int port, const struct kite_port_backend *b)
{
	if (!m || port >= m->num_ports)
		return -EINVAL;
	if (b) {
		m->port[port] = *b;
		m->has_port[port] = true;
	} else {
		m->has_port[port] = false;
		m->phy[port] = (struct kite_utmi_phy){ 1, 0, 0, 0, 0, 0 };
		m->bus[port] = (struct kite_line_bus){ 0, 0 };
	}
	return 0;
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
