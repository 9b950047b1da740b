// SPDX-License-Identifier: MIT
// The thin C++ glue around a Verilated top for the C testbenches (vl_glue.h says how it is
// compiled for each).
#include <new>

#include "verilated.h"
#include "vl_glue.h"

#define VL_STR(x) #x
#define VL_XSTR(x) VL_STR(x)
#include VL_XSTR(VL_TOP.h)
#include VL_XSTR(VL_PINS_H)

struct vl_sim {
	VerilatedContext *ctx;
	VL_TOP *top;
};

struct vl_sim *vl_sim_create(void)
{
	vl_sim *s = new (std::nothrow) vl_sim;

	if (!s)
		return nullptr;
	s->ctx = new (std::nothrow) VerilatedContext;
#ifdef VL_NAME
	s->top = s->ctx ? new (std::nothrow) VL_TOP(s->ctx, VL_XSTR(VL_NAME)) : nullptr;
#else
	s->top = s->ctx ? new (std::nothrow) VL_TOP(s->ctx) : nullptr;
#endif
	if (!s->top) {
		delete s->ctx;
		delete s;
		return nullptr;
	}
#ifdef VL_CLOCK
	s->top->VL_CLOCK = 0;
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
	struct VL_PINS *p = static_cast<struct VL_PINS *>(pins);
#define VL_IN(n) s->top->n = p->n;
#define VL_OUT(n) p->n = s->top->n;
	VL_INPUTS(VL_IN)
#ifdef VL_CLOCK
	s->top->VL_CLOCK = 0;
#endif
	s->top->eval();
	VL_OUTPUTS(VL_OUT)
}

#ifdef VL_CLOCK
void vl_sim_posedge(struct vl_sim *s)
{
	s->top->VL_CLOCK = 1;
	s->top->eval();
	s->top->VL_CLOCK = 0;
}
#endif
