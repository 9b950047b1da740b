// SPDX-License-Identifier: MIT
// Thin C++ glue: kite_fs_phy (Verilated) behind the C struct phy_pins.
#include <new>
#include "Vkite_fs_phy.h"
#include "verilated.h"
#include "phy_pins.h"

struct phy_sim {
	VerilatedContext *ctx;
	Vkite_fs_phy *top;
};

struct phy_sim *phy_sim_create(void)
{
	phy_sim *s = new (std::nothrow) phy_sim;
	if (!s)
		return nullptr;
	s->ctx = new VerilatedContext;
	s->top = new Vkite_fs_phy(s->ctx);
	s->top->usb_clk = 0;
	return s;
}

void phy_sim_destroy(struct phy_sim *s)
{
	if (!s)
		return;
	s->top->final();
	delete s->top;
	delete s->ctx;
	delete s;
}

void phy_sim_eval(struct phy_sim *s, struct phy_pins *p)
{
#define IN(n) s->top->n = p->n;
#define OUT(n) p->n = s->top->n;
	PHY_INPUTS(IN)
	s->top->usb_clk = 0;
	s->top->eval();
	PHY_OUTPUTS(OUT)
}

void phy_sim_posedge(struct phy_sim *s)
{
	s->top->usb_clk = 1;
	s->top->eval();
	s->top->usb_clk = 0;
}
