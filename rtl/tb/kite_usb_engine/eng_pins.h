/* SPDX-License-Identifier: MIT */
/* Pins of kite_usb_engine_tb_top as a plain C struct (X-macro lists shared with the glue). */
#ifndef ENG_PINS_H
#define ENG_PINS_H

#include <stdint.h>

#define ENG_INPUTS(X) \
	X(usb_rst) X(mode_line) X(ctl_run) X(ctl_frame_interval) \
	X(txn_req_valid) X(txn_req_token) X(txn_req_addr) X(txn_req_ep) X(txn_req_port) \
	X(txn_req_ls) X(txn_req_data1) X(txn_req_iso) X(txn_req_len) X(txn_req_periodic) \
	X(txn_out_data) X(txn_out_valid) X(txn_res_ready) \
	X(port_power) X(port_reset_req) X(port_disable_req) X(port_suspend_req) \
	X(port_resume_req) X(port_oc_in) \
	X(utmi_txready) X(utmi_data_in) X(utmi_rxvalid) X(utmi_rxactive) X(utmi_rxerror) \
	X(utmi_linestate) X(usb_dp_i) X(usb_dm_i) X(crc5_in) X(crc16_in) X(crc16_data)

#define ENG_OUTPUTS(X) \
	X(frame_number) X(frame_sof) X(frame_bits_left) X(frame_to_sof) X(quiet) X(phy_quiet) \
	X(txn_req_ready) X(txn_out_ready) \
	X(txn_in_data) X(txn_in_valid) X(txn_res_valid) X(txn_res_code) X(txn_res_len) \
	X(txn_res_data1) X(port_connected) X(port_enabled) X(port_ls) X(port_resetting) \
	X(port_suspended) X(port_resuming) X(port_overcurrent) X(port_vbus_en) \
	X(utmi_data_out) X(utmi_txvalid) X(utmi_xcvrselect) X(utmi_termselect) X(utmi_opmode) \
	X(utmi_line_ctrl) X(usb_dp_o) X(usb_dm_o) X(usb_oe) X(usb_pulldown) X(crc5_out) \
	X(crc16_out)

#define ENG_FIELD(n) uint32_t n;
struct eng_pins {
	ENG_INPUTS(ENG_FIELD)
	ENG_OUTPUTS(ENG_FIELD)
};

#include "vl_glue.h"	/* the glue: vl_sim_create(), vl_sim_eval(&pins) ... */

#endif
