// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_fs_phy: on-chip USB full-/low-speed PHY for one port, between a UTMI+ style bundle
// (kite_usb_engine) and the D+/D- pins: kite_phy_tx (SYNC, NRZI, bit stuffing, EOP, line_ctrl
// forcing) and kite_phy_rx (synchroniser, line state, clock recovery, SYNC / EOP detection,
// NRZI decoding, unstuffing). xcvrselect 2 selects low speed (1.5 Mbit/s, 32 clocks per bit,
// J = D- high), anything else full speed (12 Mbit/s, 4 clocks per bit, J = D+ high).
// The receiver does not start a packet while the transmitter is busy or the line is forced.
// termselect and opmode are accepted for UTMI compatibility; only normal operation (opmode 0,
// FS/LS termination) is implemented. usb_pulldown is always 1 (a host's 15k pull-downs).
// quiet (registered): the transmitter is idle and the line not forced, and the receiver is quiet
// (kite_phy_rx): nothing but the receiver's DPLL phase changes until the line or the UTMI
// transmit side does (the simulator's fast-forward, docs/rtl.md).

`default_nettype none

module kite_fs_phy #(
  parameter int unsigned USB_CLK_HZ = 48000000   // usb_clk frequency; must be 48 MHz
) (
  input  wire       usb_clk,
  input  wire       usb_rst,                     // synchronous, active high
  input  wire [7:0] utmi_data_out,
  input  wire       utmi_txvalid,
  output wire       utmi_txready,
  output wire [7:0] utmi_data_in,
  output wire       utmi_rxvalid,
  output wire       utmi_rxactive,
  output wire       utmi_rxerror,
  output wire [1:0] utmi_linestate,
  input  wire [1:0] utmi_xcvrselect,
  input  wire       utmi_termselect,
  input  wire [1:0] utmi_opmode,
  input  wire [1:0] utmi_line_ctrl,
  input  wire       usb_dp_i,                    // the line as received
  input  wire       usb_dm_i,
  output wire       usb_dp_o,                    // driven when usb_oe
  output wire       usb_dm_o,
  output wire       usb_oe,
  output wire       usb_pulldown,                // host 15k pull-downs on
  output wire       quiet
);

  if (USB_CLK_HZ != 48000000) begin : g_bad_clk
    $error("kite_fs_phy: USB_CLK_HZ must be 48000000 (4x oversampling of 12 Mbit/s)");
  end

  wire ls = (utmi_xcvrselect == kite_usb_pkg::XCVR_LS);
  wire tx_busy;
  wire rx_quiet;
  wire unused_ctl = utmi_termselect ^ (^utmi_opmode);

  kite_phy_tx u_tx (
    .clk         (usb_clk),
    .rst         (usb_rst),
    .ls_i        (ls),
    .line_ctrl_i (utmi_line_ctrl),
    .data_i      (utmi_data_out),
    .txvalid_i   (utmi_txvalid),
    .txready_o   (utmi_txready),
    .dp_o        (usb_dp_o),
    .dm_o        (usb_dm_o),
    .oe_o        (usb_oe),
    .busy_o      (tx_busy)
  );

  kite_phy_rx u_rx (
    .clk         (usb_clk),
    .rst         (usb_rst),
    .ls_i        (ls),
    .enable_i    (!tx_busy && !utmi_txvalid && utmi_line_ctrl == kite_usb_pkg::LINE_NORMAL),
    .dp_i        (usb_dp_i),
    .dm_i        (usb_dm_i),
    .linestate_o (utmi_linestate),
    .data_o      (utmi_data_in),
    .rxvalid_o   (utmi_rxvalid),
    .rxactive_o  (utmi_rxactive),
    .rxerror_o   (utmi_rxerror),
    .quiet_o     (rx_quiet)
  );

  logic quiet_q;

  always_ff @(posedge usb_clk) begin
    if (usb_rst) begin
      quiet_q <= 1'b0;
    end else begin
      quiet_q <= rx_quiet && !tx_busy && !utmi_txvalid &&
                 utmi_line_ctrl == kite_usb_pkg::LINE_NORMAL;
    end
  end

  assign quiet = quiet_q;

  assign usb_pulldown = 1'b1;

endmodule

`default_nettype wire
