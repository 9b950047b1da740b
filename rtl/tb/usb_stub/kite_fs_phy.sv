// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// TEST STUB of kite_fs_phy (rtl/tb/usb_stub/; the real one comes with $(USB_RTL_SRCS)): the
// UTMI side idles, linestate shows the line as received, the line is never driven.

`default_nettype none

module kite_fs_phy #(parameter int unsigned USB_CLK_HZ = 48000000) (
  input  wire usb_clk, input wire usb_rst,
  input  wire [7:0] utmi_data_out, input wire utmi_txvalid, output wire utmi_txready,
  output wire [7:0] utmi_data_in, output wire utmi_rxvalid, output wire utmi_rxactive,
  output wire utmi_rxerror,
  output wire [1:0] utmi_linestate, input wire [1:0] utmi_xcvrselect, input wire utmi_termselect,
  input  wire [1:0] utmi_opmode, input wire [1:0] utmi_line_ctrl,
  input  wire usb_dp_i, input wire usb_dm_i, output wire usb_dp_o, output wire usb_dm_o,
  output wire usb_oe, output wire usb_pulldown, output wire quiet);

  assign utmi_txready = 1'b1;
  assign utmi_data_in = 8'd0;
  assign utmi_rxvalid = 1'b0;
  assign utmi_rxactive = 1'b0;
  assign utmi_rxerror = 1'b0;
  assign utmi_linestate = {usb_dm_i, usb_dp_i};
  assign usb_dp_o = 1'b0;
  assign usb_dm_o = 1'b0;
  assign usb_oe = 1'b0;
  assign usb_pulldown = 1'b1;
  assign quiet = 1'b0;

  wire unused_ok = ^{usb_clk, usb_rst, utmi_data_out, utmi_txvalid, utmi_xcvrselect,
                     utmi_termselect, utmi_opmode, utmi_line_ctrl};

endmodule : kite_fs_phy

`default_nettype wire
