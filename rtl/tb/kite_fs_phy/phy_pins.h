/* SPDX-License-Identifier: MIT */
/* Pins of kite_fs_phy as a plain C struct (X-macro lists shared with the glue). */
#ifndef PHY_PINS_H
#define PHY_PINS_H

#include <stdint.h>

#define PHY_INPUTS(X) \
	X(usb_rst) X(utmi_data_out) X(utmi_txvalid) X(utmi_xcvrselect) X(utmi_termselect) \
	X(utmi_opmode) X(utmi_line_ctrl) X(usb_dp_i) X(usb_dm_i)

#define PHY_OUTPUTS(X) \
	X(utmi_txready) X(utmi_data_in) X(utmi_rxvalid) X(utmi_rxactive) X(utmi_rxerror) \
	X(utmi_linestate) X(usb_dp_o) X(usb_dm_o) X(usb_oe) X(usb_pulldown)

#define PHY_FIELD(n) uint32_t n;
struct phy_pins {
	PHY_INPUTS(PHY_FIELD)
	PHY_OUTPUTS(PHY_FIELD)
};

#include "vl_glue.h"	/* the glue: vl_sim_create(), vl_sim_eval(&pins) ... */

#endif
