// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_usb_engine: everything of the host controller that runs on usb_clk and knows USB bit
// timing (see docs/internal/usb-engine-interface.md for the interface, docs/usb-engine.md for
// the design): the frame timer (kite_frame_timer), one transaction engine with its packet layer
// (kite_txn, kite_pkt_tx, kite_pkt_rx) shared by all ports, and one kite_port per root port
// (connect / reset / suspend / resume state, SOF and LS keep-alive).
//
// UTMI transmit of port n is driven by the transaction engine while it owns port n, else by
// that port's SOF sender. The receive side of the transaction's port feeds the packet receiver.
//
// quiet (registered): no transaction and no request, no frame start, every port quiet
// (kite_port): until the next frame start (frame_to_sof clock edges away), a request or a
// change on a port's line, nothing changes but free-running counters (the frame timer and the
// idle transaction engine's and ports' timers).

`default_nettype none

module kite_usb_engine #(
  parameter int unsigned NUM_PORTS = 1,           // root ports, 1..15
  parameter int unsigned USB_CLK_HZ = 48000000,   // usb_clk frequency; must be 48 MHz
  parameter int unsigned RESET_MS = 10,           // port reset (SE0) length in ms, 1..255
  parameter int unsigned RESUME_MS = 20           // resume K length in ms, 1..255
) (
  input  wire                 usb_clk,
  input  wire                 usb_rst,            // synchronous, active high

  // control from the register block
  input  wire                 ctl_run,
  input  wire [13:0]          ctl_frame_interval,
  output wire [10:0]          frame_number,
  output wire                 frame_sof,
  output wire [15:0]          frame_bits_left,
  output wire [20:0]          frame_to_sof,       // clock edges until frame_sof (all ones: none)
  output wire                 quiet,

  // transaction request
  input  wire                 txn_req_valid,
  output wire                 txn_req_ready,
  input  wire [1:0]           txn_req_token,
  input  wire [6:0]           txn_req_addr,
  input  wire [3:0]           txn_req_ep,
  input  wire [3:0]           txn_req_port,
  input  wire                 txn_req_ls,
  input  wire                 txn_req_data1,
  input  wire                 txn_req_iso,
  input  wire [10:0]          txn_req_len,
  input  wire                 txn_req_periodic,

  // OUT data
  input  wire [7:0]           txn_out_data,
  input  wire                 txn_out_valid,
  output wire                 txn_out_ready,

  // IN data
  output wire [7:0]           txn_in_data,
  output wire                 txn_in_valid,

  // result
  output wire                 txn_res_valid,
  input  wire                 txn_res_ready,
  output wire [3:0]           txn_res_code,
  output wire [10:0]          txn_res_len,
  output wire                 txn_res_data1,

  // root ports
  input  wire [NUM_PORTS-1:0] port_power,
  input  wire [NUM_PORTS-1:0] port_reset_req,
  input  wire [NUM_PORTS-1:0] port_disable_req,
  input  wire [NUM_PORTS-1:0] port_suspend_req,
  input  wire [NUM_PORTS-1:0] port_resume_req,
  output wire [NUM_PORTS-1:0] port_connected,
  output wire [NUM_PORTS-1:0] port_enabled,
  output wire [NUM_PORTS-1:0] port_ls,
  output wire [NUM_PORTS-1:0] port_resetting,
  output wire [NUM_PORTS-1:0] port_suspended,
  output wire [NUM_PORTS-1:0] port_resuming,
  output wire [NUM_PORTS-1:0] port_overcurrent,
  input  wire [NUM_PORTS-1:0] port_oc_in,
  output wire [NUM_PORTS-1:0] port_vbus_en,

  // UTMI, one bundle per port
  output wire [NUM_PORTS*8-1:0] utmi_data_out,
  output wire [NUM_PORTS-1:0]   utmi_txvalid,
  input  wire [NUM_PORTS-1:0]   utmi_txready,
  input  wire [NUM_PORTS*8-1:0] utmi_data_in,
  input  wire [NUM_PORTS-1:0]   utmi_rxvalid,
  input  wire [NUM_PORTS-1:0]   utmi_rxactive,
  input  wire [NUM_PORTS-1:0]   utmi_rxerror,
  input  wire [NUM_PORTS*2-1:0] utmi_linestate,
  output wire [NUM_PORTS*2-1:0] utmi_xcvrselect,
  output wire [NUM_PORTS-1:0]   utmi_termselect,
  output wire [NUM_PORTS*2-1:0] utmi_opmode,
  output wire [NUM_PORTS*2-1:0] utmi_line_ctrl
);

  if (NUM_PORTS < 1 || NUM_PORTS > 15) begin : g_bad_np
    $error("kite_usb_engine: NUM_PORTS must be 1..15");
  end
  if (USB_CLK_HZ != 48000000) begin : g_bad_clk
    $error("kite_usb_engine: USB_CLK_HZ must be 48000000 (4 clocks per FS bit)");
  end
  if (RESET_MS < 1 || RESET_MS > 255) begin : g_bad_reset
    $error("kite_usb_engine: RESET_MS must be 1..255");
  end
  if (RESUME_MS < 1 || RESUME_MS > 255) begin : g_bad_resume
    $error("kite_usb_engine: RESUME_MS must be 1..255");
  end

  // ------------------------------------------------------------------ frame timer
  wire [13:0] reserve;

  kite_frame_timer #(
    .CLKS_PER_BIT (kite_usb_pkg::FS_CLKS_PER_BIT)
  ) u_frame (
    .clk            (usb_clk),
    .rst            (usb_rst),
    .run_i          (ctl_run),
    .fi_i           (ctl_frame_interval),
    .frame_number_o (frame_number),
    .sof_o          (frame_sof),
    .bits_left_o    (frame_bits_left),
    .reserve_o      (reserve),
    .to_sof_o       (frame_to_sof)
  );

  wire [15:0] sof_payload = kite_usb_pkg::token_payload(frame_number);

  // ------------------------------------------------------------------ transaction engine
  wire [NUM_PORTS-1:0] usable, sof_busy, port_quiet;
  wire [3:0]  txn_port;
  wire        txn_owns;
  wire        txn_babble;
  wire        txn_idle;
  wire [7:0]  t_data_out;
  wire        t_txvalid;
  logic       t_txready, t_rxvalid, t_rxactive, t_rxerror;
  logic [7:0] t_data_in;
  logic [1:0] t_linestate;
  logic [NUM_PORTS-1:0] sel;

  always_comb begin
    t_txready = 1'b0;
    t_rxvalid = 1'b0;
    t_rxactive = 1'b0;
    t_rxerror = 1'b0;
    t_data_in = 8'h00;
    t_linestate = 2'b00;
    for (int i = 0; i < NUM_PORTS; i++) begin
      sel[i] = (txn_port == 4'(i));
      if (sel[i]) begin
        t_txready = utmi_txready[i];
        t_rxvalid = utmi_rxvalid[i];
        t_rxactive = utmi_rxactive[i];
        t_rxerror = utmi_rxerror[i];
        t_data_in = utmi_data_in[i * 8 +: 8];
        t_linestate = utmi_linestate[i * 2 +: 2];
      end
    end
  end

  kite_txn #(
    .NUM_PORTS (NUM_PORTS)
  ) u_txn (
    .clk             (usb_clk),
    .rst             (usb_rst),
    .run_i           (ctl_run),
    .sof_i           (frame_sof),
    .bits_left_i     (frame_bits_left),
    .reserve_i       (reserve),
    .req_valid_i     (txn_req_valid),
    .req_ready_o     (txn_req_ready),
    .req_token_i     (txn_req_token),
    .req_addr_i      (txn_req_addr),
    .req_ep_i        (txn_req_ep),
    .req_port_i      (txn_req_port),
    .req_ls_i        (txn_req_ls),
    .req_data1_i     (txn_req_data1),
    .req_iso_i       (txn_req_iso),
    .req_len_i       (txn_req_len),
    .req_periodic_i  (txn_req_periodic),
    .out_data_i      (txn_out_data),
    .out_valid_i     (txn_out_valid),
    .out_ready_o     (txn_out_ready),
    .in_data_o       (txn_in_data),
    .in_valid_o      (txn_in_valid),
    .res_valid_o     (txn_res_valid),
    .res_ready_i     (txn_res_ready),
    .res_code_o      (txn_res_code),
    .res_len_o       (txn_res_len),
    .res_data1_o     (txn_res_data1),
    .port_usable_i   (usable),
    .port_sof_busy_i (sof_busy),
    .port_o          (txn_port),
    .owns_o          (txn_owns),
    .babble_o        (txn_babble),
    .idle_o          (txn_idle),
    .utmi_data_out   (t_data_out),
    .utmi_txvalid    (t_txvalid),
    .utmi_txready    (t_txready),
    .utmi_data_in    (t_data_in),
    .utmi_rxvalid    (t_rxvalid),
    .utmi_rxactive   (t_rxactive),
    .utmi_rxerror    (t_rxerror),
    .utmi_linestate  (t_linestate)
  );

  // ------------------------------------------------------------------ ports
  for (genvar i = 0; i < NUM_PORTS; i++) begin : g_port
    wire [7:0] p_data_out;
    wire       p_txvalid;
    wire       owns = txn_owns && sel[i];

    kite_port #(
      .USB_CLK_HZ (USB_CLK_HZ),
      .RESET_MS   (RESET_MS),
      .RESUME_MS  (RESUME_MS)
    ) u_port (
      .clk             (usb_clk),
      .rst             (usb_rst),
      .power_i         (port_power[i]),
      .reset_req_i     (port_reset_req[i]),
      .disable_req_i   (port_disable_req[i]),
      .suspend_req_i   (port_suspend_req[i]),
      .resume_req_i    (port_resume_req[i]),
      .babble_i        (txn_babble && sel[i]),
      .oc_i            (port_oc_in[i]),
      .run_i           (ctl_run),
      .sof_i           (frame_sof),
      .sof_payload_i   (sof_payload),
      .txn_owns_i      (owns),
      .connected_o     (port_connected[i]),
      .enabled_o       (port_enabled[i]),
      .ls_o            (port_ls[i]),
      .resetting_o     (port_resetting[i]),
      .suspended_o     (port_suspended[i]),
      .resuming_o      (port_resuming[i]),
      .overcurrent_o   (port_overcurrent[i]),
      .vbus_en_o       (port_vbus_en[i]),
      .usable_o        (usable[i]),
      .sof_busy_o      (sof_busy[i]),
      .quiet_o         (port_quiet[i]),
      .utmi_data_out   (p_data_out),
      .utmi_txvalid    (p_txvalid),
      .utmi_txready    (utmi_txready[i] && !owns),
      .utmi_linestate  (utmi_linestate[i * 2 +: 2]),
      .utmi_xcvrselect (utmi_xcvrselect[i * 2 +: 2]),
      .utmi_termselect (utmi_termselect[i]),
      .utmi_opmode     (utmi_opmode[i * 2 +: 2]),
      .utmi_line_ctrl  (utmi_line_ctrl[i * 2 +: 2])
    );

    assign utmi_data_out[i * 8 +: 8] = owns ? t_data_out : p_data_out;
    assign utmi_txvalid[i] = owns ? t_txvalid : p_txvalid;
  end

  // ------------------------------------------------------------------ quiet
  logic quiet_q;

  always_ff @(posedge usb_clk) begin
    if (usb_rst) begin
      quiet_q <= 1'b0;
    end else begin
      quiet_q <= txn_idle && !txn_req_valid && !frame_sof && &port_quiet;
    end
  end

  assign quiet = quiet_q;

endmodule

`default_nettype wire
