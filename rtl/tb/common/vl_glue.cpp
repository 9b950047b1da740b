// SPDX-License-Identifier: MIT
// The thin C++ glue around a Verilated top for the C testbenches (vl_glue.h says how it is
// compiled for each).
#include <new>

#include "verilated.h"
#include "vl_glue.h"

#define GLUE_STR(x) #x
#define GLUE_XSTR(x) GLUE_STR(x)
#include GLUE_XSTR(GLUE_TOP.h)
#include GLUE_XSTR(GLUE_PINS_H)

struct vl_sim {
	VerilatedContext *ctx;
	GLUE_TOP *top;
};

struct vl_sim *vl_sim_create(void)
{
	vl_sim *s = new (std::nothrow) vl_sim;

	if (!s)
		return nullptr;
	s->ctx = new (std::nothrow) VerilatedContext;
#ifdef GLUE_NAME
	s->top = s->ctx ? new (std::nothrow) GLUE_TOP(s->ctx, GLUE_XSTR(GLUE_NAME)) : nullptr;
#else
	s->top = s->ctx ? new (std::nothrow) GLUE_TOP(s->ctx) : nullptr;
#endif
	if (!s->top) {
		delete s->ctx;
		delete s;
		return nullptr;
	}
#ifdef GLUE_CLOCK
	s->top->GLUE_CLOCK = 0;
#endif
	return s;
}

void vl_sim_destroy(struct vl_sim *s)
{
	if (!s)
		return;
	s->top->final();
	delete s->top;
	delete s->ctx;
	delete s;
}

void vl_sim_eval(struct vl_sim *s, void *pins)
{
	struct GLUE_PINS *p = static_cast<struct GLUE_PINS *>(pins);
#define GLUE_IN(n) s->top->n = p->n;
#define GLUE_OUT(n) p->n = s->top->n;
	GLUE_INPUTS(GLUE_IN)
#ifdef GLUE_CLOCK
	s->top->GLUE_CLOCK = 0;
#endif
	s->top->eval();
	GLUE_OUTPUTS(GLUE_OUT)
}

#ifdef GLUE_CLOCK
void vl_sim_posedge(struct vl_sim *s)
{
	s->top->GLUE_CLOCK = 1;
	s->top->eval();
	s->top->GLUE_CLOCK = 0;
}
#endif
