// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// TEST STUB of kite_usb_engine (rtl/tb/usb_stub/, used only by the bus-side testbenches in
// rtl/tb/kite_xfer/ until and besides the real engine; never part of a real build).
//
// It keeps the ports of docs/internal/usb-engine-interface.md but speaks a private byte
// protocol on the UTMI data lines instead of USB, so that a C "scripted device" can answer
// every transaction with any result:
//   host -> device (utmi_txvalid/utmi_data_out, honours utmi_txready):
//     {0, iso, data1, ls, 00, token}, addr, ep, len[7:0], len[10:8], then len OUT bytes
//   device -> host (utmi_rxactive high for the whole reply, a byte per utmi_rxvalid):
//     result code, flags (bit 0: data1), then the IN data bytes
// No reply within 2000 usb_clk cycles gives TIMEOUT; IN bytes past len give BABBLE. Ports:
// connected while utmi_linestate != SE0, low speed when it is 2; a reset takes 200 usb_clk
// cycles and enables a connected port; resume takes 100. Frames: (FI + 1) * 4 usb_clk cycles.

`default_nettype none

module kite_usb_engine #(
  parameter int unsigned NUM_PORTS = 1,         // root ports, 1..15
  parameter int unsigned USB_CLK_HZ = 48000000, // unused by the stub
  parameter int unsigned RESET_MS = 10,         // unused by the stub
  parameter int unsigned RESUME_MS = 20         // unused by the stub
) (
  input  wire                 usb_clk,
  input  wire                 usb_rst,
  input  wire                 ctl_run,
  input  wire [13:0]          ctl_frame_interval,
  output logic [10:0]         frame_number,
  output logic                frame_sof,
  output logic [15:0]         frame_bits_left,
  output logic [20:0]         frame_to_sof,
  output logic                quiet,
  input  wire                 txn_req_valid,
  output logic                txn_req_ready,
  input  wire [1:0]           txn_req_token,
  input  wire [6:0]           txn_req_addr,
  input  wire [3:0]           txn_req_ep,
  input  wire [3:0]           txn_req_port,
  input  wire                 txn_req_ls,
  input  wire                 txn_req_data1,
  input  wire                 txn_req_iso,
  input  wire [10:0]          txn_req_len,
  input  wire                 txn_req_periodic,
  input  wire [7:0]           txn_out_data,
  input  wire                 txn_out_valid,
  output logic                txn_out_ready,
  output logic [7:0]          txn_in_data,
  output logic                txn_in_valid,
  output logic                txn_res_valid,
  input  wire                 txn_res_ready,
  output logic [3:0]          txn_res_code,
  output logic [10:0]         txn_res_len,
  output logic                txn_res_data1,
  input  wire [NUM_PORTS-1:0] port_power,
  input  wire [NUM_PORTS-1:0] port_reset_req,
  input  wire [NUM_PORTS-1:0] port_disable_req,
  input  wire [NUM_PORTS-1:0] port_suspend_req,
  input  wire [NUM_PORTS-1:0] port_resume_req,
  output logic [NUM_PORTS-1:0] port_connected,
  output logic [NUM_PORTS-1:0] port_enabled,
  output logic [NUM_PORTS-1:0] port_ls,
  output logic [NUM_PORTS-1:0] port_resetting,
  output logic [NUM_PORTS-1:0] port_suspended,
  output logic [NUM_PORTS-1:0] port_resuming,
  output logic [NUM_PORTS-1:0] port_overcurrent,
  input  wire [NUM_PORTS-1:0] port_oc_in,
  output logic [NUM_PORTS-1:0] port_vbus_en,
  output logic [NUM_PORTS*8-1:0] utmi_data_out,
  output logic [NUM_PORTS-1:0]   utmi_txvalid,
  input  wire [NUM_PORTS-1:0]    utmi_txready,
  input  wire [NUM_PORTS*8-1:0]  utmi_data_in,
  input  wire [NUM_PORTS-1:0]    utmi_rxvalid,
  input  wire [NUM_PORTS-1:0]    utmi_rxactive,
  input  wire [NUM_PORTS-1:0]    utmi_rxerror,
  input  wire [NUM_PORTS*2-1:0]  utmi_linestate,
  output logic [NUM_PORTS*2-1:0] utmi_xcvrselect,
  output logic [NUM_PORTS-1:0]   utmi_termselect,
  output logic [NUM_PORTS*2-1:0] utmi_opmode,
  output logic [NUM_PORTS*2-1:0] utmi_line_ctrl
);

  // ---------------------------------------------------------------- frames
  logic [17:0] fcnt_q;
  logic [10:0] fnum_q;
  logic        sof_q;
  always_ff @(posedge usb_clk) begin
    if (usb_rst) begin
      fcnt_q <= '0;
      fnum_q <= '0;
      sof_q <= 1'b0;
    end else begin
      sof_q <= 1'b0;
      if (ctl_run) begin
        if (fcnt_q >= {2'b0, ctl_frame_interval, 2'b11}) begin
          fcnt_q <= '0;
          fnum_q <= fnum_q + 11'd1;
          sof_q <= 1'b1;
        end else begin
          fcnt_q <= fcnt_q + 18'd1;
        end
      end
    end
  end
  assign frame_number = fnum_q;
  assign frame_sof = sof_q;
  // no fast-forward with the stub: never quiet
  assign frame_to_sof = '1;
  assign quiet = 1'b0;
  assign frame_bits_left = 16'(({2'b0, ctl_frame_interval, 2'b11} - fcnt_q) >> 2);

  // ---------------------------------------------------------------- ports
  logic [NUM_PORTS-1:0] en_q, rsting_q, susp_q, resm_q;
  logic [7:0]           pcnt_q [NUM_PORTS];
  for (genvar p = 0; p < NUM_PORTS; p++) begin : g_port
    logic conn;
    assign conn = utmi_linestate[2*p +: 2] != 2'd0;
    assign port_connected[p] = conn;
    assign port_ls[p] = utmi_linestate[2*p +: 2] == 2'd2;
    always_ff @(posedge usb_clk) begin
      if (usb_rst) begin
        en_q[p] <= 1'b0;
        rsting_q[p] <= 1'b0;
        susp_q[p] <= 1'b0;
        resm_q[p] <= 1'b0;
        pcnt_q[p] <= '0;
      end else begin
        if (port_reset_req[p]) begin
          rsting_q[p] <= 1'b1;
          en_q[p] <= 1'b0;
          pcnt_q[p] <= 8'd200;
        end else if (port_resume_req[p] && susp_q[p]) begin
          resm_q[p] <= 1'b1;
          pcnt_q[p] <= 8'd100;
        end else if (pcnt_q[p] != 0) begin
          pcnt_q[p] <= pcnt_q[p] - 8'd1;
          if (pcnt_q[p] == 8'd1) begin
            if (rsting_q[p]) en_q[p] <= conn;
            rsting_q[p] <= 1'b0;
            resm_q[p] <= 1'b0;
            if (resm_q[p]) susp_q[p] <= 1'b0;
          end
        end
        if (port_suspend_req[p] && en_q[p]) susp_q[p] <= 1'b1;
        if (port_disable_req[p] || !conn) en_q[p] <= 1'b0;
      end
    end
    assign utmi_xcvrselect[2*p +: 2] = port_ls[p] ? 2'd2 : 2'd1;
    assign utmi_termselect[p] = 1'b1;
    assign utmi_opmode[2*p +: 2] = 2'd0;
    assign utmi_line_ctrl[2*p +: 2] = rsting_q[p] ? 2'd1 : 2'd0;
  end
  assign port_enabled = en_q;
  assign port_resetting = rsting_q;
  assign port_suspended = susp_q;
  assign port_resuming = resm_q;
  assign port_overcurrent = port_oc_in;
  assign port_vbus_en = port_power;

  // ---------------------------------------------------------------- transactions
  typedef enum logic [2:0] { T_IDLE, T_HDR, T_DATA, T_WAIT, T_RX, T_RES } tstate_t;
  tstate_t     ts_q;
  logic [3:0]  port_q;
  logic [1:0]  tok_q;
  logic [10:0] len_q, cnt_q;
  logic [2:0]  hidx_q;
  logic [39:0] hdr_q;
  logic [11:0] tmo_q;
  logic [3:0]  code_q;
  logic        d1_q, babble_q;
  logic [11:0] ridx_q;

  logic        txr, rxa, rxv;
  logic [7:0]  rxd;
  assign txr = utmi_txready[port_q];
  assign rxa = utmi_rxactive[port_q];
  assign rxv = utmi_rxvalid[port_q];
  assign rxd = utmi_data_in[8*port_q +: 8];

  always_ff @(posedge usb_clk) begin
    if (usb_rst) begin
      ts_q <= T_IDLE;
      port_q <= '0;
      tok_q <= '0;
      len_q <= '0;
      cnt_q <= '0;
      hidx_q <= '0;
      hdr_q <= '0;
      tmo_q <= '0;
      code_q <= '0;
      d1_q <= 1'b0;
      babble_q <= 1'b0;
      ridx_q <= '0;
    end else begin
      unique case (ts_q)
        T_IDLE: if (txn_req_valid) begin
          port_q <= txn_req_port;
          tok_q <= txn_req_token;
          len_q <= txn_req_len;
          cnt_q <= '0;
          hidx_q <= '0;
          hdr_q <= {5'd0, txn_req_len[10:8], txn_req_len[7:0], 4'd0, txn_req_ep, 1'b0,
                    txn_req_addr, 1'b0, txn_req_iso, txn_req_data1, txn_req_ls, 2'b00,
                    txn_req_token};
          if (32'(txn_req_port) >= NUM_PORTS || !en_q[txn_req_port] || susp_q[txn_req_port])
          begin
            code_q <= 4'd9;
            d1_q <= 1'b0;
            ts_q <= T_RES;
          end else begin
            ts_q <= T_HDR;
          end
        end
        T_HDR: if (txr) begin
          hidx_q <= hidx_q + 3'd1;
          if (hidx_q == 3'd4) ts_q <= (tok_q != 2'd2 && len_q != 0) ? T_DATA : T_WAIT;
          tmo_q <= '0;
          cnt_q <= '0;
          ridx_q <= '0;
          babble_q <= 1'b0;
        end
        T_DATA: if (txr && txn_out_valid) begin
          cnt_q <= cnt_q + 11'd1;
          if (cnt_q + 11'd1 == len_q) begin
            ts_q <= T_WAIT;
            cnt_q <= '0;
          end
          tmo_q <= '0;
        end
        T_WAIT, T_RX: begin
          if (ts_q == T_WAIT) begin
            tmo_q <= tmo_q + 12'd1;
            if (tmo_q == 12'd2000 && !rxa) begin
              code_q <= 4'd3;
              d1_q <= 1'b0;
              ts_q <= T_RES;
            end
          end
          if (rxa) ts_q <= T_RX;
          if (rxv) begin
            ridx_q <= ridx_q + 12'd1;
            if (ridx_q == 0) code_q <= rxd[3:0];
            else if (ridx_q == 1) d1_q <= rxd[0];
            else if (tok_q == 2'd2 && cnt_q < len_q) cnt_q <= cnt_q + 11'd1;
            else babble_q <= 1'b1;
          end
          if (ts_q == T_RX && !rxa) begin
            if (babble_q && code_q == 4'd0) code_q <= 4'd7;
            ts_q <= T_RES;
          end
        end
        T_RES: if (txn_res_ready) ts_q <= T_IDLE;
        default: ts_q <= T_IDLE;
      endcase
    end
  end

  assign txn_req_ready = ts_q == T_IDLE;
  assign txn_out_ready = ts_q == T_DATA && txr;
  assign txn_in_valid = (ts_q == T_RX || ts_q == T_WAIT) && rxv && ridx_q >= 2 && tok_q == 2'd2 && cnt_q < len_q;
  assign txn_in_data = rxd;
  assign txn_res_valid = ts_q == T_RES;
  assign txn_res_code = code_q;
  assign txn_res_len = (tok_q == 2'd2) ? cnt_q : len_q;
  assign txn_res_data1 = d1_q;

  always_comb begin
    utmi_data_out = '0;
    utmi_txvalid = '0;
    if (ts_q == T_HDR) begin
      utmi_txvalid[port_q] = 1'b1;
      utmi_data_out[8*port_q +: 8] = hdr_q[8*hidx_q +: 8];
    end else if (ts_q == T_DATA) begin
      utmi_txvalid[port_q] = txn_out_valid;
      utmi_data_out[8*port_q +: 8] = txn_out_data;
    end
  end

  logic unused_ok;
  assign unused_ok = ^{txn_req_periodic, utmi_rxerror};

endmodule : kite_usb_engine

`default_nettype wire
