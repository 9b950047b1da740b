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
 *
 * Fast-forward (kite_model_quiet_cycles, kite_model_skip): after every clock edge the RTL's
 * quiet flags (kite_core's quiet_bus_q and quiet_usb_q, each kite_fs_phy's quiet) extend or
 * restart a count of quiet cycles of both clocks; once both counts reach FF_SETTLE every
 * clock-domain crossing has settled. A skip then reads the counters that still run
 * (sim/model/fastforward.vlt names them), moves them with fastforward.c and writes them back.
 */
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <new>

#include "Vkite_sim_top.h"
#include "verilated.h"
#include "verilated_fst_c.h"
#include "verilated_syms.h"

extern "C" {
#include "axi_bfm.h"
#include "fastforward.h"
#include "kite_model.h"
#include "kite_model_test.h"
}

#define KITE_MODEL_MAX_PORTS 15
/* quiet cycles of both clocks before a skip: every crossing has settled (a level or a pointer
 * crosses in 2 to 4 cycles of its destination, and the quiet flags lag 2 cycles) */
#define FF_SETTLE 16
/* usb_clk edges left before the frame start a skip stops at */
#define FF_SOF_MARGIN 8
/* kite_frame_timer.to_sof_o when no frame start is coming (21 bits, all ones) */
#define FF_NO_SOF 0x1fffffu

/* a Verilated variable found by name (fastforward.vlt makes it public) */
struct ff_var {
	void *p;
	int type;       /* VLVT_UINT8 .. VLVT_UINT64 */
};

struct ff_port_vars {
	ff_var tmr, t_reset, t_recov, t_resk, t_eop, clr, db, ft, sof_busy;
	ff_var reset_clks, resume_clks, debounce, ls_bit, db_stable, sof_tail;
	ff_var ph, last;                                /* the port's kite_phy_rx */
};

struct ff_vars {
	bool ok;                        /* every variable found: the fast-forward can run */
	uint64_t run_usb, run_bus;      /* quiet cycles in a row, usb_clk and bus clock */
	uint64_t skipped;               /* usb_clk cycles skipped */
	const CData *quiet_bus, *quiet_usb;
	const IData *to_sof;
	ff_var to_sof_v;
	ff_var f_pre, f_left, f_zero, f_mstep, f_mx, f_macc, f_res;
	ff_var f_running, f_run, f_fi, f_cpb, f_res_mul;
	ff_var t_pre, t_bits, t_avail, t_fit, t_pre_last, t_clr, t_periodic, t_worst, t_ge;
	ff_var i_pre, i_us, i_cyc;
	ff_port_vars port[KITE_MODEL_MAX_PORTS];
};

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
	struct ff_vars ff;
	bool autoskip;          /* kite_model_tick skips when it can (kite_model_test.h) */
	uint64_t *state_log;    /* kite_model_test_log_states */
	size_t state_cap, *state_n;
};

/* scripts/vl-state-hash.py: the hash of every design variable of the Verilated root */
extern "C" uint64_t kite_model_state_hash_root(const void *root);

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

/* ---------------------------------------------------------------- fast-forward: quiet count */
static inline void ff_restart(struct kite_model *m)
{
	m->ff.run_usb = 0;
	m->ff.run_bus = 0;
}

/*
 * After a usb_clk rising edge. A frame start comes from the frame timer alone, and the quiet
 * flags (registered) show it a few cycles late: the count restarts when it is one edge away.
 */
static inline void ff_track_usb(struct kite_model *m)
{
	uint32_t all = (1u << m->num_ports) - 1;

	if (m->ff.ok && *m->ff.quiet_usb && ((uint32_t)m->top->phy_quiet & all) == all &&
	    *m->ff.to_sof != 1)
		m->ff.run_usb++;
	else
		ff_restart(m);
}

/* after a bus clock rising edge */
static inline void ff_track_bus(struct kite_model *m)
{
	if (m->ff.ok && *m->ff.quiet_bus)
		m->ff.run_bus++;
	else
		ff_restart(m);
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
		ff_track_usb(m);
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
	ff_track_usb(m);
	ff_track_bus(m);
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
	if (usb_edge)
		ff_track_usb(m);
	ff_track_bus(m);
	m->cycles++;
	m->phase = (m->phase + 1) % m->bus_per_usb;
}

/* ---------------------------------------------------------------- fast-forward: the RTL state */
static bool ff_find(struct kite_model *m, const char *scope, const char *var, ff_var *v)
{
	char name[256];
	const VerilatedScope *s;
	VerilatedVar *vv;

	std::snprintf(name, sizeof(name), "%s.kite_sim_top.%s", m->top->name(), scope);
	s = m->ctx->scopeFind(name);
	vv = s ? s->varFind(var) : nullptr;
	if (!vv)
		return false;
	switch (vv->vltype()) {
	case VLVT_UINT8:
	case VLVT_UINT16:
	case VLVT_UINT32:
	case VLVT_UINT64:
		break;
	default:
		return false;
	}
	v->p = vv->datap();
	v->type = vv->vltype();
	return true;
}

static uint64_t ff_get(const ff_var &v)
{
	switch (v.type) {
	case VLVT_UINT8:
		return *(const CData *)v.p;
	case VLVT_UINT16:
		return *(const SData *)v.p;
	case VLVT_UINT32:
		return *(const IData *)v.p;
	default:
		return *(const QData *)v.p;
	}
}

static void ff_put(const ff_var &v, uint64_t x)
{
	switch (v.type) {
	case VLVT_UINT8:
		*(CData *)v.p = (CData)x;
		break;
	case VLVT_UINT16:
		*(SData *)v.p = (SData)x;
		break;
	case VLVT_UINT32:
		*(IData *)v.p = (IData)x;
		break;
	default:
		*(QData *)v.p = (QData)x;
		break;
	}
}

/* a variable of the RTL and its copy in a fastforward.h struct; rw: written back */
struct ff_bind {
	const ff_var *v;
	uint32_t *x;
	bool rw;
};

#define FF_ARRAY_N(a) (sizeof(a) / sizeof((a)[0]))

static void ff_load(const ff_bind *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		*b[i].x = (uint32_t)ff_get(*b[i].v);
}

static void ff_store(const ff_bind *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i].rw)
			ff_put(*b[i].v, *b[i].x);
}

/* Find what fastforward.vlt made public; any miss (the stub engine) leaves the fast-forward off. */
static void ff_init(struct kite_model *m)
{
	struct ff_vars *f = &m->ff;
	const char *core = "u_top.u_core", *frame = "u_top.u_core.u_usb.u_frame";
	const char *txn = "u_top.u_core.u_usb.u_txn", *intr = "u_top.u_core.u_intr";
	ff_var qb, qu;
	bool ok;

	ok = ff_find(m, core, "quiet_bus_q", &qb) && ff_find(m, core, "quiet_usb_q", &qu) &&
	     qb.type == VLVT_UINT8 && qu.type == VLVT_UINT8 &&
	     ff_find(m, core, "u_to_sof", &f->to_sof_v) && f->to_sof_v.type == VLVT_UINT32 &&
	     ff_find(m, frame, "pre_q", &f->f_pre) && ff_find(m, frame, "left_q", &f->f_left) &&
	     ff_find(m, frame, "zero_q", &f->f_zero) && ff_find(m, frame, "mstep_q", &f->f_mstep) &&
	     ff_find(m, frame, "mx_q", &f->f_mx) && ff_find(m, frame, "macc_q", &f->f_macc) &&
	     ff_find(m, frame, "res_q", &f->f_res) && ff_find(m, frame, "running_q", &f->f_running) &&
	     ff_find(m, frame, "run_i", &f->f_run) && ff_find(m, frame, "fi_i", &f->f_fi) &&
	     ff_find(m, frame, "CLKS_PER_BIT", &f->f_cpb) &&
	     ff_find(m, frame, "RES_MUL", &f->f_res_mul) &&
	     ff_find(m, txn, "pre_q", &f->t_pre) && ff_find(m, txn, "bits_q", &f->t_bits) &&
	     ff_find(m, txn, "avail_q", &f->t_avail) && ff_find(m, txn, "fit_q", &f->t_fit) &&
	     ff_find(m, txn, "pre_last", &f->t_pre_last) && ff_find(m, txn, "clr_q", &f->t_clr) &&
	     ff_find(m, txn, "periodic_q", &f->t_periodic) &&
	     ff_find(m, txn, "worst_q", &f->t_worst) && ff_find(m, txn, "ge_q", &f->t_ge) &&
	     ff_find(m, intr, "pre_q", &f->i_pre) && ff_find(m, intr, "us_q", &f->i_us) &&
	     ff_find(m, intr, "CYC_PER_US", &f->i_cyc);
	for (unsigned int p = 0; ok && p < m->num_ports; p++) {
		ff_port_vars *v = &f->port[p];
		char port[64], rx[64];

		std::snprintf(port, sizeof(port), "u_top.u_core.u_usb.g_port[%u].u_port", p);
		std::snprintf(rx, sizeof(rx), "g_phy[%u].u_phy.u_rx", p);
		ok = ff_find(m, port, "tmr_q", &v->tmr) && ff_find(m, port, "t_reset_q", &v->t_reset) &&
		     ff_find(m, port, "t_recov_q", &v->t_recov) &&
		     ff_find(m, port, "t_resk_q", &v->t_resk) &&
		     ff_find(m, port, "t_eop_q", &v->t_eop) && ff_find(m, port, "clr_q", &v->clr) &&
		     ff_find(m, port, "RESET_CLKS", &v->reset_clks) &&
		     ff_find(m, port, "RESUME_CLKS", &v->resume_clks) &&
		     ff_find(m, port, "DEBOUNCE", &v->debounce) &&
		     ff_find(m, port, "LS_BIT", &v->ls_bit) && ff_find(m, port, "db_q", &v->db) &&
		     ff_find(m, port, "DB_STABLE", &v->db_stable) && ff_find(m, port, "ft_q", &v->ft) &&
		     ff_find(m, port, "sof_busy_o", &v->sof_busy) &&
		     ff_find(m, port, "SOF_TAIL", &v->sof_tail) &&
		     ff_find(m, rx, "ph_q", &v->ph) && ff_find(m, rx, "last", &v->last);
	}
	f->ok = ok;
	if (ok) {
		f->quiet_bus = (const CData *)qb.p;
		f->quiet_usb = (const CData *)qu.p;
		f->to_sof = (const IData *)f->to_sof_v.p;
	}
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
	ff_init(m);
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
	while (n) {
		uint64_t q = m->autoskip ? kite_model_quiet_cycles(m) : 0;
		uint64_t usb, bus;   /* what can be skipped of the n bus cycles */

		if (m->usb_per_bus > 1) {
			bus = q / m->usb_per_bus < n ? q / m->usb_per_bus : n;
			usb = bus * m->usb_per_bus;
		} else {
			usb = q < n / m->bus_per_usb ? q : n / m->bus_per_usb;
			bus = usb * m->bus_per_usb;
		}
		if (!bus) {
			cycle(m);
			n--;
			continue;
		}
		kite_model_skip(m, usb);
		n -= (unsigned int)bus;
	}
	if (m->state_log) {
		if (*m->state_n < m->state_cap)
			m->state_log[*m->state_n] = kite_model_state_hash_root(m->top->rootp);
		(*m->state_n)++;
	}
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

uint64_t kite_model_quiet_cycles(struct kite_model *m)
{
	struct ff_vars *f = &m->ff;
	uint64_t n = UINT64_MAX, sof;

	if (!f->ok || f->run_usb < FF_SETTLE || f->run_bus < FF_SETTLE)
		return 0;
	if (m->axil.busy || !axi_mem_slave_idle(&m->mem))
		return 0;
	/* the idle engine's bit timer is past every compare (they stay true); no state timer
	 * restarts */
	if (ff_get(f->t_ge) != 15 || ff_get(f->t_clr))
		return 0;
	for (unsigned int p = 0; p < m->num_ports; p++) {
		const ff_port_vars *v = &f->port[p];
		struct ff_port po = { 0 };
		uint64_t q;

		if (ff_get(v->clr))
			return 0;
		po.in_tail = (uint32_t)ff_get(v->sof_busy);
		po.ft = (uint32_t)ff_get(v->ft);
		q = ff_port_quiet(&po, (uint32_t)ff_get(v->sof_tail));
		if (q < n)
			n = q;
	}
	if (ff_get(f->f_running) != ff_get(f->f_run))
		return 0;
	sof = *f->to_sof;
	if (sof != FF_NO_SOF) {
		if (sof <= FF_SOF_MARGIN)
			return 0;
		if (sof - FF_SOF_MARGIN < n)
			n = sof - FF_SOF_MARGIN;
	}
	for (unsigned int p = 0; p < m->num_ports; p++) {
		const struct kite_port_backend *b = &m->port[p];
		uint64_t q;

		if (!m->has_port[p])
			continue;
		if (!b->quiet || !b->idle)
			return 0;
		q = b->quiet(b->ctx);
		if (q < n)
			n = q;
	}
	if (m->usb_per_bus > 1)
		n -= n % m->usb_per_bus;
	return n;
}

int kite_model_skip(struct kite_model *m, uint64_t usb_cycles)
{
	struct ff_vars *f = &m->ff;
	uint64_t n = usb_cycles, bus, halves;
	struct ff_frame fr;
	struct ff_txn tx;
	struct ff_intr in;

	if (!n)
		return 0;
	/* more than quiet_cycles allows, or so much that the cycle counts would overflow */
	if (n > kite_model_quiet_cycles(m) || n > (UINT64_MAX >> 8))
		return -EINVAL;
	bus = m->usb_per_bus > 1 ? n / m->usb_per_bus : n * m->bus_per_usb;

	/* usb_clk domain: frame timer, idle transaction engine, ports, PHY receivers */
	const ff_bind usb[] = {
		{ &f->f_pre, &fr.pre, true }, { &f->f_left, &fr.left, true },
		{ &f->f_zero, &fr.zero, true }, { &f->f_mstep, &fr.mstep, true },
		{ &f->f_mx, &fr.mx, true }, { &f->f_macc, &fr.macc, true },
		{ &f->f_res, &fr.res, true }, { &f->f_running, &fr.running, false },
		{ &f->f_fi, &fr.fi, false }, { &f->f_cpb, &fr.cpb, false },
		{ &f->f_res_mul, &fr.res_mul, false },
		{ &f->t_pre, &tx.pre, true }, { &f->t_bits, &tx.bits, true },
		{ &f->t_avail, &tx.avail, true }, { &f->t_fit, &tx.fit, true },
		{ &f->t_pre_last, &tx.pre_last, false }, { &f->t_periodic, &tx.periodic, false },
		{ &f->t_worst, &tx.worst, false },
	};
	ff_load(usb, FF_ARRAY_N(usb));
	ff_usb_advance(&fr, &tx, n);
	ff_store(usb, FF_ARRAY_N(usb));
	for (unsigned int p = 0; p < m->num_ports; p++) {
		ff_port_vars *v = &f->port[p];
		struct ff_port po;
		uint32_t ph, last;
		const ff_bind port[] = {
			{ &v->tmr, &po.tmr, true }, { &v->t_reset, &po.t_reset, true },
			{ &v->t_recov, &po.t_recov, true }, { &v->t_resk, &po.t_resk, true },
			{ &v->t_eop, &po.t_eop, true }, { &v->db, &po.db, true },
			{ &v->ft, &po.ft, true }, { &v->sof_busy, &po.in_tail, false },
			{ &v->db_stable, &po.db_stable, false },
			{ &v->reset_clks, &po.reset_clks, false },
			{ &v->resume_clks, &po.resume_clks, false },
			{ &v->debounce, &po.debounce, false }, { &v->ls_bit, &po.ls_bit, false },
			{ &v->ph, &ph, true }, { &v->last, &last, false },
		};

		ff_load(port, FF_ARRAY_N(port));
		ff_port_advance(&po, n);
		ph = ff_phy_phase(ph, last, n);
		ff_store(port, FF_ARRAY_N(port));
	}

	/* bus clock domain: the moderation timer; the memory slave */
	const ff_bind intr[] = {
		{ &f->i_pre, &in.pre, true }, { &f->i_us, &in.us, true },
		{ &f->i_cyc, &in.cyc_per_us, false },
	};
	ff_load(intr, FF_ARRAY_N(intr));
	ff_intr_advance(&in, bus);
	ff_store(intr, FF_ARRAY_N(intr));
	/* the memory slave's outputs of the last cycle but one are on the RTL's inputs */
	axi_mem_slave_skip(&m->mem, bus - 1);
	bfm_drive(m);
	axi_mem_slave_skip(&m->mem, 1);

	for (unsigned int p = 0; p < m->num_ports; p++)
		if (m->has_port[p])
			m->port[p].idle(m->port[p].ctx, n);

	m->cycles += bus;
	m->usb_cycles += n;
	f->skipped += n;
	f->run_usb += n;
	f->run_bus += bus;
	/* the logic behind the written registers settles (no clock edge); the waveform shows the
	 * new values at the end of the skipped time */
	halves = 2 * (m->usb_per_bus > 1 ? n : bus);
	m->time += halves - 1;
	m->top->eval();
	dump(m);
	return 0;
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
	st->usb_cycles_skipped = m->ff.skipped;
}

int kite_model_set_port(struct kite_model *m, unsigned int port, const struct kite_port_backend *b)
{
	if (!m || port >= m->num_ports)
		return -EINVAL;
	ff_restart(m);  /* the new far end may answer differently */
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

void kite_model_test_set_autoskip(struct kite_model *m, bool on)
{
	m->autoskip = on;
}

bool kite_model_test_quiet(const struct kite_model *m)
{
	return m->top->quiet;
}

uint64_t kite_model_test_state_hash(const struct kite_model *m)
{
	return kite_model_state_hash_root(m->top->rootp);
}

void kite_model_test_log_states(struct kite_model *m, uint64_t *buf, size_t cap, size_t *n)
{
	m->state_log = buf;
	m->state_cap = cap;
	m->state_n = n;
}

} /* extern "C" */
