// SPDX-License-Identifier: MIT
// Thin C++ glue: the Verilated kite_wb_top behind the C struct wb_top_pins (wb_pins.h).
#include <new>
#include "Vkite_wb_top.h"
#include "verilated.h"
#include "wb_pins.h"

struct wb_top_sim {
	VerilatedContext *ctx;
	Vkite_wb_top *top;
};

struct wb_top_sim *wb_top_sim_create(void)
{
	wb_top_sim *s = new (std::nothrow) wb_top_sim;

	if (!s)
		return nullptr;
	s->ctx = new (std::nothrow) VerilatedContext;
	s->top = s->ctx ? new (std::nothrow) Vkite_wb_top(s->ctx, "kite_wb") : nullptr;
	if (!s->top) {
		delete s->ctx;
		delete s;
		return nullptr;
	}
	return s;
}

void wb_top_sim_destroy(struct wb_top_sim *s)
{
	if (!s)
		return;
	s->top->final();
	delete s->top;
	delete s->ctx;
	delete s;
}

void wb_top_sim_eval(struct wb_top_sim *s, struct wb_top_pins *p)
{
#define WB_IN(n) s->top->n = p->n;
#define WB_OUT(n) p->n = s->top->n;
	WB_TOP_INPUTS(WB_IN)
	s->top->eval();
	WB_TOP_OUTPUTS(WB_OUT)
}
