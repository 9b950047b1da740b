// SPDX-License-Identifier: MIT
// Thin C++ glue: kite_usb_engine_tb_top (Verilated) behind the C struct eng_pins.
#include <new>
#include "Vkite_usb_engine_tb_top.h"
#include "verilated.h"
#include "eng_pins.h"

struct eng_sim {
	VerilatedContext *ctx;
	Vkite_usb_engine_tb_top *top;
};

struct eng_sim *eng_sim_create(void)
{
	eng_sim *s = new (std::nothrow) eng_sim;
	if (!s)
		return nullptr;
	s->ctx = new VerilatedContext;
	s->top = new Vkite_usb_engine_tb_top(s->ctx);
	s->top->usb_clk = 0;
	return s;
}

void eng_sim_destroy(struct eng_sim *s)
{
	if (!s)
		return;
	s->top->final();
	delete s->top;
	delete s->ctx;
	delete s;
}

void eng_sim_eval(struct eng_sim *s, struct eng_pins *p)
{
#define IN(n) s->top->n = p->n;
#define OUT(n) p->n = s->top->n;
	ENG_INPUTS(IN)
	s->top->usb_clk = 0;
	s->top->eval();
	ENG_OUTPUTS(OUT)
}

void eng_sim_posedge(struct eng_sim *s)
{
	s->top->usb_clk = 1;
	s->top->eval();
	s->top->usb_clk = 0;
}
