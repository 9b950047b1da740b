// SPDX-License-Identifier: MIT
/*
 * AXI4-Lite master BFM: one register read or write at a time. See axi_bfm.h for the cycle
 * protocol. The ordering mode lets tests present AW and W together or either one first.
 */
#include <string.h>

#include "axi_bfm.h"

void axil_master_init(struct axil_master *a)
{
	memset(a, 0, sizeof(*a));
	a->order = AXIL_ORDER_TOGETHER;
}

void axil_master_start_read(struct axil_master *a, uint64_t addr)
{
	a->busy = 1;
	a->is_write = 0;
	a->done = 0;
	a->p.araddr_o = addr;
	a->p.arvalid_o = 1;
	a->p.rready_o = 1;
}

void axil_master_start_write(struct axil_master *a, uint64_t addr, uint32_t data, uint8_t strb)
{
	a->busy = 1;
	a->is_write = 1;
	a->done = 0;
	a->aw_done = 0;
	a->w_done = 0;
	a->delay = 2;
	a->p.awaddr_o = addr;
	a->p.wdata_o = data;
	a->p.wstrb_o = strb;
	a->p.awvalid_o = a->order != AXIL_ORDER_W_FIRST;
	a->p.wvalid_o = a->order != AXIL_ORDER_AW_FIRST;
	a->p.bready_o = 1;
}

/* Called once per cycle with the DUT outputs of this cycle in a->p.*_i. */
void axil_master_step(struct axil_master *a)
{
	struct axil_pins *p = &a->p;

	if (!a->busy)
		return;
	if (!a->is_write) {
		if (p->arvalid_o && p->arready_i)
			p->arvalid_o = 0;
		if (p->rready_o && p->rvalid_i) {
			a->rdata = p->rdata_i;
			a->resp = p->rresp_i;
			p->rready_o = 0;
			a->busy = 0;
			a->done = 1;
		}
		return;
	}
	if (p->awvalid_o && p->awready_i) {
		p->awvalid_o = 0;
		a->aw_done = 1;
	}
	if (p->wvalid_o && p->wready_i) {
		p->wvalid_o = 0;
		a->w_done = 1;
	}
	/* start the second channel a little after the first was accepted */
	if (a->order == AXIL_ORDER_AW_FIRST && a->aw_done && !a->w_done && !p->wvalid_o) {
		if (a->delay)
			a->delay--;
		else
			p->wvalid_o = 1;
	}
	if (a->order == AXIL_ORDER_W_FIRST && a->w_done && !a->aw_done && !p->awvalid_o) {
		if (a->delay)
			a->delay--;
		else
			p->awvalid_o = 1;
	}
	if (p->bready_o && p->bvalid_i) {
		a->resp = p->bresp_i;
		p->bready_o = 0;
		a->busy = 0;
		a->done = 1;
	}
}
