/* SPDX-License-Identifier: MIT */
/*
 * Pins of kite_wb_top (NUM_PORTS = 1) as a plain C struct; the X-macro lists are shared with
 * the glue around the Verilated model (rtl/tb/common/vl_glue.cpp, clocks as pins).
 */
#ifndef WB_PINS_H
#define WB_PINS_H

#include <stdint.h>

#define WB_TOP_INPUTS(X) \
	X(clk) X(rst) X(usb_clk) X(usb_rst) \
	X(s_wb_cyc) X(s_wb_stb) X(s_wb_we) X(s_wb_adr) X(s_wb_dat_w) X(s_wb_sel) \
	X(m_wb_dat_r) X(m_wb_ack) X(m_wb_err) \
	X(port_oc_in) X(utmi_txready) X(utmi_data_in) X(utmi_rxvalid) X(utmi_rxactive) \
	X(utmi_rxerror) X(utmi_linestate)

#define WB_TOP_OUTPUTS(X) \
	X(s_wb_dat_r) X(s_wb_ack) X(s_wb_err) \
	X(m_wb_cyc) X(m_wb_stb) X(m_wb_we) X(m_wb_adr) X(m_wb_dat_w) X(m_wb_sel) \
	X(irq) X(port_vbus_en) X(utmi_data_out) X(utmi_txvalid) X(utmi_xcvrselect) \
	X(utmi_termselect) X(utmi_opmode) X(utmi_line_ctrl)

#define WB_TOP_FIELD(n) uint32_t n;
struct wb_top_pins {
	WB_TOP_INPUTS(WB_TOP_FIELD)
	WB_TOP_OUTPUTS(WB_TOP_FIELD)
};

#include "vl_glue.h"	/* the glue: vl_sim_create(), vl_sim_eval(&pins) ... */

#endif /* WB_PINS_H */
