// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// Test-only top for kite_usb_engine (NUM_PORTS = 1). mode_line = 0: the engine's UTMI bundle is
// on the pins (a C PHY emulation answers); mode_line = 1: the UTMI bundle goes through
// kite_fs_phy and the C device sits on D+/D-. Also exposes the CRC package functions.

`default_nettype none

module kite_usb_engine_tb_top (
  input  wire         usb_clk,
  input  wire         usb_rst,
  input  wire         mode_line,

  input  wire         ctl_run,
  input  wire [13:0]  ctl_frame_interval,
  output wire [10:0]  frame_number,
  output wire         frame_sof,
  output wire [15:0]  frame_bits_left,
  output wire [20:0]  frame_to_sof,
  output wire         quiet,
  output wire         phy_quiet,

  input  wire         txn_req_valid,
  output wire         txn_req_ready,
  input  wire [1:0]   txn_req_token,
  input  wire [6:0]   txn_req_addr,
  input  wire [3:0]   txn_req_ep,
  input  wire [3:0]   txn_req_port,
  input  wire         txn_req_ls,
  input  wire         txn_req_data1,
  input  wire         txn_req_iso,
  input  wire [10:0]  txn_req_len,
  input  wire         txn_req_periodic,
  input  wire [7:0]   txn_out_data,
  input  wire         txn_out_valid,
  output wire         txn_out_ready,
  output wire [7:0]   txn_in_data,
  output wire         txn_in_valid,
  output wire         txn_res_valid,
  input  wire         txn_res_ready,
  output wire [3:0]   txn_res_code,
  output wire [10:0]  txn_res_len,
  output wire         txn_res_data1,

  input  wire         port_power,
  input  wire         port_reset_req,
  input  wire         port_disable_req,
  input  wire         port_suspend_req,
  input  wire         port_resume_req,
  output wire         port_connected,
  output wire         port_enabled,
  output wire         port_ls,
  output wire         port_resetting,
  output wire         port_suspended,
  output wire         port_resuming,
  output wire         port_overcurrent,
  input  wire         port_oc_in,
  output wire         port_vbus_en,

  // engine UTMI (outputs always visible; inputs used when mode_line = 0)
  output wire [7:0]   utmi_data_out,
  output wire         utmi_txvalid,
  input  wire         utmi_txready,
  input  wire [7:0]   utmi_data_in,
  input  wire         utmi_rxvalid,
  input  wire         utmi_rxactive,
  input  wire         utmi_rxerror,
  input  wire [1:0]   utmi_linestate,
  output wire [1:0]   utmi_xcvrselect,
  output wire         utmi_termselect,
  output wire [1:0]   utmi_opmode,
  output wire [1:0]   utmi_line_ctrl,

  // line (mode_line = 1)
  input  wire         usb_dp_i,
  input  wire         usb_dm_i,
  output wire         usb_dp_o,
  output wire         usb_dm_o,
  output wire         usb_oe,
  output wire         usb_pulldown,

  // CRC functions
  input  wire [10:0]  crc5_in,
  output wire [4:0]   crc5_out,
  input  wire [15:0]  crc16_in,
  input  wire [7:0]   crc16_data,
  output wire [15:0]  crc16_out
);

  wire [7:0] p_data_in;
  wire       p_txready, p_rxvalid, p_rxactive, p_rxerror;
  wire [1:0] p_linestate;

  kite_usb_engine #(
    .NUM_PORTS (1)
  ) u_eng (
    .usb_clk            (usb_clk),
    .usb_rst            (usb_rst),
    .ctl_run            (ctl_run),
    .ctl_frame_interval (ctl_frame_interval),
    .frame_number       (frame_number),
    .frame_sof          (frame_sof),
    .frame_bits_left    (frame_bits_left),
    .frame_to_sof       (frame_to_sof),
    .quiet              (quiet),
    .txn_req_valid      (txn_req_valid),
    .txn_req_ready      (txn_req_ready),
    .txn_req_token      (txn_req_token),
    .txn_req_addr       (txn_req_addr),
    .txn_req_ep         (txn_req_ep),
    .txn_req_port       (txn_req_port),
    .txn_req_ls         (txn_req_ls),
    .txn_req_data1      (txn_req_data1),
    .txn_req_iso        (txn_req_iso),
    .txn_req_len        (txn_req_len),
    .txn_req_periodic   (txn_req_periodic),
    .txn_out_data       (txn_out_data),
    .txn_out_valid      (txn_out_valid),
    .txn_out_ready      (txn_out_ready),
    .txn_in_data        (txn_in_data),
    .txn_in_valid       (txn_in_valid),
    .txn_res_valid      (txn_res_valid),
    .txn_res_ready      (txn_res_ready),
    .txn_res_code       (txn_res_code),
    .txn_res_len        (txn_res_len),
    .txn_res_data1      (txn_res_data1),
    .port_power         (port_power),
    .port_reset_req     (port_reset_req),
    .port_disable_req   (port_disable_req),
    .port_suspend_req   (port_suspend_req),
    .port_resume_req    (port_resume_req),
    .port_connected     (port_connected),
    .port_enabled       (port_enabled),
    .port_ls            (port_ls),
    .port_resetting     (port_resetting),
    .port_suspended     (port_suspended),
    .port_resuming      (port_resuming),
    .port_overcurrent   (port_overcurrent),
    .port_oc_in         (port_oc_in),
    .port_vbus_en       (port_vbus_en),
    .utmi_data_out      (utmi_data_out),
    .utmi_txvalid       (utmi_txvalid),
    .utmi_txready       (mode_line ? p_txready : utmi_txready),
    .utmi_data_in       (mode_line ? p_data_in : utmi_data_in),
    .utmi_rxvalid       (mode_line ? p_rxvalid : utmi_rxvalid),
    .utmi_rxactive      (mode_line ? p_rxactive : utmi_rxactive),
    .utmi_rxerror       (mode_line ? p_rxerror : utmi_rxerror),
    .utmi_linestate     (mode_line ? p_linestate : utmi_linestate),
    .utmi_xcvrselect    (utmi_xcvrselect),
    .utmi_termselect    (utmi_termselect),
    .utmi_opmode        (utmi_opmode),
    .utmi_line_ctrl     (utmi_line_ctrl)
  );

  kite_fs_phy u_phy (
    .usb_clk         (usb_clk),
    .usb_rst         (usb_rst),
    .utmi_data_out   (utmi_data_out),
    .utmi_txvalid    (utmi_txvalid && mode_line),
    .utmi_txready    (p_txready),
    .utmi_data_in    (p_data_in),
    .utmi_rxvalid    (p_rxvalid),
    .utmi_rxactive   (p_rxactive),
    .utmi_rxerror    (p_rxerror),
    .utmi_linestate  (p_linestate),
    .utmi_xcvrselect (utmi_xcvrselect),
    .utmi_termselect (utmi_termselect),
    .utmi_opmode     (utmi_opmode),
    .utmi_line_ctrl  (mode_line ? utmi_line_ctrl : 2'd0),
    .usb_dp_i        (usb_dp_i),
    .usb_dm_i        (usb_dm_i),
    .usb_dp_o        (usb_dp_o),
    .usb_dm_o        (usb_dm_o),
    .usb_oe          (usb_oe),
    .usb_pulldown    (usb_pulldown),
    .quiet           (phy_quiet)
  );

  assign crc5_out = kite_usb_pkg::crc5(crc5_in);
  assign crc16_out = kite_usb_pkg::crc16_byte(crc16_in, crc16_data);

endmodule

`default_nettype wire
