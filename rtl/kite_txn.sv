// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_txn: the transaction engine of kite_usb_engine. One transaction at a time:
//
//   SETUP/OUT: token, inter-packet gap, DATA0/1 (len bytes), then the device's handshake
//              (none for isochronous: result ACK once the data packet is on the line).
//   IN:        token, then the device's DATA0/1 (or NAK/STALL); a good data packet is ACKed
//              (not for isochronous) after an inter-packet gap.
//
// Before the token the request is checked: the port must be usable (enabled, not suspended,
// resuming or resetting), the controller running, and the worst case of the whole transaction
// must fit in the frame (before its end, or before its last 10 % when periodic); otherwise the
// result is NOT_STARTED and nothing is sent (OUT data is still consumed, len bytes). The token
// is never sent in the cycle of a frame start (or the 2 after it) or while the port sends its
// SOF / keep-alive. The check is registered (see "Frame fit"): it asks for WORST < bits left
// as counted 2 cycles earlier, at most 1 bit time more than WORST <= bits left now.
//
// Worst case in FS bit times (x 8 for a low-speed device), with n = 8 * len + 24 (PID, data,
// CRC16) and floor((4 * len + 14) / 3) = ceil(n / 6) stuff bits:
//   WORST = n + ceil(n / 6) + FIXED_BITS
//   FIXED_BITS = 11 (data SYNC + EOP) + 39 (token: SYNC, 28 stuffed bits, EOP)
//              + 21 (handshake: SYNC, 10 stuffed bits, EOP) + 18 (turnaround timeout)
//              + 24 (inter-packet gaps and PHY / engine pipeline latency, 4 boundaries)
//
// End of a transmitted packet: after the PHY took the last byte the engine waits until the
// line state shows the EOP (SE0) and then leaves it; the turnaround timer starts there. The
// device's response starts when the line leaves idle (J) or rxactive rises; when neither
// happens within TIMEOUT_BITS + 1/2 (16.5) bit times the result is TIMEOUT. After a response started
// rxactive must follow within 24 bit times (else TIMEOUT). A frame start while the response is
// still being received ends the transaction with BABBLE and pulses babble_o (the port is
// disabled). Results for received packets (in order): STUFF_ERROR (rxerror), PID_ERROR (bad
// check bits, unexpected PID, handshake longer than one byte), BABBLE (more than len payload
// bytes), CRC_ERROR, then ACK / NAK / STALL / TOGGLE_MISMATCH.

`default_nettype none

module kite_txn #(
  parameter int unsigned NUM_PORTS = 1          // root ports, 1..15
) (
  input  wire         clk,
  input  wire         rst,                      // synchronous, active high

  // frame
  input  wire         run_i,
  input  wire         sof_i,                    // frame start pulse
  input  wire [15:0]  bits_left_i,
  input  wire [13:0]  reserve_i,                // bit times of the last 10 % of the frame

  // request
  input  wire         req_valid_i,
  output wire         req_ready_o,
  input  wire [1:0]   req_token_i,
  input  wire [6:0]   req_addr_i,
  input  wire [3:0]   req_ep_i,
  input  wire [3:0]   req_port_i,
  input  wire         req_ls_i,
  input  wire         req_data1_i,
  input  wire         req_iso_i,
  input  wire [10:0]  req_len_i,
  input  wire         req_periodic_i,

  input  wire [7:0]   out_data_i,
  input  wire         out_valid_i,
  output wire         out_ready_o,

  output wire [7:0]   in_data_o,
  output wire         in_valid_o,

  output wire         res_valid_o,
  input  wire         res_ready_i,
  output wire [3:0]   res_code_o,
  output wire [10:0]  res_len_o,
  output wire         res_data1_o,

  // ports
  input  wire [NUM_PORTS-1:0] port_usable_i,    // enabled, not suspended/resuming/resetting
  input  wire [NUM_PORTS-1:0] port_sof_busy_i,  // SOF / keep-alive pending or on the line
  output wire [3:0]   port_o,                   // port of the transaction (held)
  output wire         owns_o,                   // the transaction drives port_o's UTMI transmit
  output wire         babble_o,                 // pulse: device talked past the frame end
  output wire         idle_o,                   // no transaction (only the bit timer counts)

  // UTMI of port_o
  output wire [7:0]   utmi_data_out,
  output wire         utmi_txvalid,
  input  wire         utmi_txready,
  input  wire [7:0]   utmi_data_in,
  input  wire         utmi_rxvalid,
  input  wire         utmi_rxactive,
  input  wire         utmi_rxerror,
  input  wire [1:0]   utmi_linestate
);

  if (NUM_PORTS < 1 || NUM_PORTS > 15) begin : g_bad_np
    $error("kite_txn: NUM_PORTS must be 1..15");
  end

  localparam int unsigned FIXED_BITS = 11 + 39 + 21 + 18 + 24;
  localparam int unsigned TXEND_MAX_BITS = 24;  // fallback if the EOP is never seen
  localparam int unsigned RESP_SYNC_BITS = 24;  // response start to rxactive at most
  localparam logic [1:0] KIND_TOKEN = 2'd0;
  localparam logic [1:0] KIND_DATA = 2'd1;
  localparam logic [1:0] KIND_HANDSHAKE = 2'd2;

  typedef enum logic [3:0] {
    S_IDLE, S_DIV, S_CALC, S_FIT, S_CHECK, S_DRAIN, S_TX, S_TXEND, S_GAP, S_WAIT_RESP, S_RESP_START, S_RX,
    S_POSTGAP, S_RES
  } state_e;
  typedef enum logic [1:0] { PH_TOKEN, PH_DATA, PH_HS } phase_e;

  state_e      st_q, st_d;
  phase_e      ph_q, ph_d;
  logic [1:0]  tok_q, tok_d;
  logic [6:0]  addr_q, addr_d;
  logic [3:0]  ep_q, ep_d;
  logic [3:0]  port_q, port_d;
  logic        ls_q, ls_d;
  logic        data1_q, data1_d;
  logic        iso_q, iso_d;
  logic [10:0] len_q, len_d;
  logic        periodic_q, periodic_d;
  logic [9:0]  lq_q, lq_d;              // len / 3
  logic [1:0]  lr_q, lr_d;              // len % 3
  logic [17:0] worst_q, worst_d;
  logic [3:0]  code_q, code_d;
  logic        rdata1_q, rdata1_d;
  logic [10:0] rlen_q, rlen_d;
  logic [10:0] cnt_q, cnt_d;            // drained OUT bytes
  logic        se0_q, se0_d;            // EOP seen on the line after our last byte
  logic [4:0]  pre_q, pre_d;            // clocks within the current bit time
  logic [7:0]  bits_q, bits_d;          // bit times since the timer was cleared
  logic        clr_q;                   // first cycle of a state: the timer reads as 0
  logic [17:0] avail_q, avail_d;        // bit times the transaction may use (1 cycle old)
  logic        fit_q, fit_d;            // worst_q < avail_q (of the cycle before)
  logic [1:0]  sofh_q;                  // frame start 1 and 2 cycles ago
  logic        babble_q, babble_d;

  // pkt_tx control
  logic        tx_start;
  logic [1:0]  tx_kind;
  logic [3:0]  tx_pid;
  wire         tx_done;
  wire         tx_busy;

  // pkt_rx results
  wire         rx_done, rx_got_pid, rx_crc_ok, rx_err, rx_babble, rx_active;
  wire [7:0]   rx_pid;
  wire [11:0]  rx_nbytes;
  wire [10:0]  rx_delivered;
  wire         rx_enable = (st_q == S_WAIT_RESP) || (st_q == S_RESP_START) || (st_q == S_RX);

  // ------------------------------------------------------------------ bit timer
  // Restarts with each state: in a state's first cycle it reads as 0 (clr_q, registered from
  // st_d != st_q so that the FSM's next-state logic does not fan out into the counter) and
  // counts on from 1, exactly as if it had been cleared on entry.
  wire [4:0] pre_last = ls_q ? 5'd31 : 5'd3;

  always_comb begin
    if (clr_q) begin
      pre_d = 5'd1;
      bits_d = '0;
    end else if (pre_q == pre_last) begin
      pre_d = '0;
      bits_d = (bits_q == 8'hFF) ? bits_q : bits_q + 8'd1;
    end else begin
      pre_d = pre_q + 5'd1;
      bits_d = bits_q;
    end
  end

  // Timer compares, registered from the timer's next value (ge_q[i] is the compare of bits_q /
  // pre_q now). Every one needs bits_q > 0, so none is true in a state's first cycle.
  // Turnaround timeout: TIMEOUT_BITS and a half bit times (16.5) after the EOP seen on linestate;
  // with the PHY's synchroniser and the result pipeline this is 16.5..17.5 bit times on the line.
  logic [3:0] ge_q, ge_d;
  assign ge_d[0] = (bits_d >= 8'(kite_usb_pkg::IPG_BITS));
  assign ge_d[1] = (bits_d >= 8'(TXEND_MAX_BITS));
  assign ge_d[2] = (bits_d >= 8'(RESP_SYNC_BITS));
  assign ge_d[3] = (bits_d > 8'(kite_usb_pkg::TIMEOUT_BITS)) ||
                   (bits_d == 8'(kite_usb_pkg::TIMEOUT_BITS) && pre_d >= {1'b0, pre_last[4:1]});
  wire bits_ge_ipg = !clr_q && ge_q[0];
  wire bits_ge_txend = !clr_q && ge_q[1];
  wire bits_ge_sync = !clr_q && ge_q[2];
  wire timeout_hit = !clr_q && ge_q[3];

  // ------------------------------------------------------------------ worst case
  wire [3:0]  tok_pid = (tok_q == kite_usb_pkg::TOKEN_SETUP) ? kite_usb_pkg::PID_SETUP :
                        (tok_q == kite_usb_pkg::TOKEN_OUT) ? kite_usb_pkg::PID_OUT :
                        kite_usb_pkg::PID_IN;
  wire        is_in = (tok_q == kite_usb_pkg::TOKEN_IN);
  wire [15:0] tok_payload = kite_usb_pkg::token_payload({ep_q, addr_q});
  // len = 3 q + r; then floor((4 len + 14) / 3) = 4 q + 4 + {0, 2, 3}[r], and
  // WORST = 8 len + 24 + 4 q + 4 + {0, 2, 3}[r] + FIXED_BITS. len / 3 by radix-4 long division
  // (one LUT4 level per digit): a constant multiplier here was the domain's longest path.
  logic [9:0] div_q;
  logic [1:0] div_r;
  always_comb begin
    logic [3:0] t;
    div_r = {1'b0, len_q[10]};            // the top digit (0 or 1): quotient digit 0
    div_q = '0;
    for (int i = 4; i >= 0; i--) begin
      t = {div_r, len_q[2 * i +: 2]};
      div_q[2 * i +: 2] = (t >= 4'd9) ? 2'd3 : (t >= 4'd6) ? 2'd2 : (t >= 4'd3) ? 2'd1 : 2'd0;
      div_r = (t >= 4'd9) ? 2'(t - 4'd9) : (t >= 4'd6) ? 2'(t - 4'd6) :
              (t >= 4'd3) ? 2'(t - 4'd3) : t[1:0];
    end
  end
  wire [17:0] worst_fs = {4'd0, len_q, 3'b000} + {6'd0, lq_q, 2'b00} +
                         18'(24 + 4 + FIXED_BITS) +
                         ((lr_q == 2'd0) ? 18'd0 : (lr_q == 2'd1) ? 18'd2 : 18'd3);

  // Frame fit, in two registered steps (no path from the frame timer through the subtraction
  // and the compare into the FSM): avail_q from bits_left_i of the cycle before, fit_q from
  // avail_q of the cycle before. bits_left_i falls by at most 1 in those 2 cycles (one bit time
  // is CLKS_PER_BIT >= 2 cycles), so worst_q < avail_q (1 bit of margin) implies
  // worst_q <= bits_left_i - reserve_i now. It only rises at a frame start: S_CHECK waits 2
  // cycles after sof_i (sofh_q) for the pipeline to see the new frame.
  wire [16:0] left_res = {1'b0, bits_left_i} - {3'b000, reserve_i};
  assign avail_d = !periodic_q ? {2'b00, bits_left_i} :
                   left_res[16] ? 18'd0 : {2'b00, left_res[15:0]};
  assign fit_d = (worst_q < avail_q);
  wire        sof_wait = sof_i || (sofh_q != 2'b00);
  logic [NUM_PORTS-1:0] port_sel;
  always_comb begin
    for (int i = 0; i < NUM_PORTS; i++) port_sel[i] = (port_q == 4'(i));
  end
  wire        port_ok = |(port_usable_i & port_sel);
  wire        sof_busy = |(port_sof_busy_i & port_sel);

  wire [1:0]  idle_ls = ls_q ? kite_usb_pkg::LS_DM : kite_usb_pkg::LS_DP;
  wire [3:0]  rpid = rx_pid[3:0];
  wire        rpid_data = (rpid == kite_usb_pkg::PID_DATA0) || (rpid == kite_usb_pkg::PID_DATA1);
  wire        rpid_hs = (rpid == kite_usb_pkg::PID_ACK) || (rpid == kite_usb_pkg::PID_NAK) ||
                        (rpid == kite_usb_pkg::PID_STALL);

  function automatic logic [3:0] hs_code(input logic [3:0] p);
    hs_code = (p == kite_usb_pkg::PID_ACK) ? kite_usb_pkg::RES_ACK :
              (p == kite_usb_pkg::PID_NAK) ? kite_usb_pkg::RES_NAK : kite_usb_pkg::RES_STALL;
  endfunction

  always_comb begin
    st_d = st_q;
    ph_d = ph_q;
    tok_d = tok_q;
    addr_d = addr_q;
    ep_d = ep_q;
    port_d = port_q;
    ls_d = ls_q;
    data1_d = data1_q;
    iso_d = iso_q;
    len_d = len_q;
    periodic_d = periodic_q;
    lq_d = lq_q;
    lr_d = lr_q;
    worst_d = worst_q;
    code_d = code_q;
    rdata1_d = rdata1_q;
    rlen_d = rlen_q;
    cnt_d = cnt_q;
    se0_d = se0_q;
    babble_d = 1'b0;
    tx_start = 1'b0;
    tx_kind = KIND_TOKEN;
    tx_pid = tok_pid;
    case (st_q)
      S_IDLE: if (req_valid_i) begin
        st_d = S_DIV;
        tok_d = req_token_i;
        addr_d = req_addr_i;
        ep_d = req_ep_i;
        port_d = req_port_i;
        ls_d = req_ls_i;
        data1_d = req_data1_i;
        iso_d = req_iso_i;
        len_d = req_len_i;
        periodic_d = req_periodic_i;
        rdata1_d = 1'b0;
        rlen_d = '0;
        cnt_d = '0;
      end
      S_DIV: begin
        lq_d = div_q;
        lr_d = div_r;
        st_d = S_CALC;
      end
      S_CALC: begin
        worst_d = ls_q ? {worst_fs[14:0], 3'b000} : worst_fs;
        st_d = S_FIT;
      end
      S_FIT: st_d = S_CHECK;                 // fit_q of this request's worst_q
      S_CHECK: begin
        if (!run_i || !port_ok || (!sof_wait && !sof_busy && !fit_q)) begin
          code_d = kite_usb_pkg::RES_NOT_STARTED;
          st_d = (!is_in && len_q != 11'd0) ? S_DRAIN : S_RES;
        end else if (!sof_wait && !sof_busy) begin
          tx_start = 1'b1;
          tx_kind = KIND_TOKEN;
          tx_pid = tok_pid;
          ph_d = PH_TOKEN;
          st_d = S_TX;
        end
      end
      S_DRAIN: if (out_valid_i) begin
        cnt_d = cnt_q + 11'd1;
        if (cnt_q + 11'd1 == len_q) st_d = S_RES;
      end
      S_TX: if (tx_done) begin
        se0_d = 1'b0;
        st_d = S_TXEND;
      end
      S_TXEND: begin
        if (utmi_linestate == kite_usb_pkg::LS_SE0) se0_d = 1'b1;
        if ((se0_q && utmi_linestate != kite_usb_pkg::LS_SE0) || bits_ge_txend) begin
          case (ph_q)
            PH_TOKEN: st_d = is_in ? S_WAIT_RESP : S_GAP;
            PH_DATA: begin
              if (iso_q) begin
                code_d = kite_usb_pkg::RES_ACK;
                st_d = S_RES;
              end else begin
                st_d = S_WAIT_RESP;
              end
            end
            default: st_d = S_RES;            // our ACK is on the line; code already set
          endcase
        end
      end
      S_GAP: if (bits_ge_ipg) begin
        tx_start = 1'b1;
        if (ph_q == PH_TOKEN) begin
          tx_kind = KIND_DATA;
          tx_pid = data1_q ? kite_usb_pkg::PID_DATA1 : kite_usb_pkg::PID_DATA0;
          ph_d = PH_DATA;
        end else begin
          tx_kind = KIND_HANDSHAKE;
          tx_pid = kite_usb_pkg::PID_ACK;
          ph_d = PH_HS;
        end
        st_d = S_TX;
      end
      S_WAIT_RESP: begin
        if (utmi_rxactive || utmi_linestate != idle_ls) begin
          st_d = S_RESP_START;
        end else if (timeout_hit) begin
          code_d = kite_usb_pkg::RES_TIMEOUT;
          st_d = S_RES;
        end
      end
      S_RESP_START: begin
        if (sof_i) begin
          code_d = kite_usb_pkg::RES_BABBLE;
          babble_d = 1'b1;
          st_d = S_RES;
        end else if (rx_active) begin
          st_d = S_RX;
        end else if (bits_ge_sync) begin
          code_d = kite_usb_pkg::RES_TIMEOUT;
          st_d = S_POSTGAP;
        end
      end
      S_RX: begin
        if (sof_i) begin
          code_d = kite_usb_pkg::RES_BABBLE;
          babble_d = 1'b1;
          st_d = S_RES;
        end else if (rx_done) begin
          st_d = S_POSTGAP;
          if (rx_err) begin
            code_d = kite_usb_pkg::RES_STUFF_ERROR;
          end else if (!rx_got_pid || !kite_usb_pkg::pid_ok(rx_pid)) begin
            code_d = kite_usb_pkg::RES_PID_ERROR;
          end else if (is_in) begin
            if (rpid_data) begin
              rdata1_d = (rpid == kite_usb_pkg::PID_DATA1);
              rlen_d = rx_delivered;
              if (rx_babble) begin
                code_d = kite_usb_pkg::RES_BABBLE;
              end else if (!rx_crc_ok) begin
                code_d = kite_usb_pkg::RES_CRC_ERROR;
              end else if (iso_q) begin
                code_d = kite_usb_pkg::RES_ACK;
              end else begin
                code_d = ((rpid == kite_usb_pkg::PID_DATA1) == data1_q) ?
                         kite_usb_pkg::RES_ACK : kite_usb_pkg::RES_TOGGLE_MISMATCH;
                ph_d = PH_DATA;              // the data packet is done: S_GAP sends our ACK
                st_d = S_GAP;
              end
            end else if (!iso_q && rx_nbytes == 12'd0 &&
                         (rpid == kite_usb_pkg::PID_NAK || rpid == kite_usb_pkg::PID_STALL)) begin
              code_d = hs_code(rpid);
            end else begin
              code_d = kite_usb_pkg::RES_PID_ERROR;
            end
          end else if (rpid_hs && rx_nbytes == 12'd0) begin
            code_d = hs_code(rpid);
          end else begin
            code_d = kite_usb_pkg::RES_PID_ERROR;
          end
        end
      end
      S_POSTGAP: if (bits_ge_ipg) st_d = S_RES;
      S_RES: if (res_ready_i) st_d = S_IDLE;
      default: st_d = S_IDLE;
    endcase
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      st_q <= S_IDLE;
      ph_q <= PH_TOKEN;
      tok_q <= '0;
      addr_q <= '0;
      ep_q <= '0;
      port_q <= '0;
      ls_q <= 1'b0;
      data1_q <= 1'b0;
      iso_q <= 1'b0;
      len_q <= '0;
      periodic_q <= 1'b0;
      lq_q <= '0;
      lr_q <= '0;
      worst_q <= '0;
      code_q <= '0;
      rdata1_q <= 1'b0;
      rlen_q <= '0;
      cnt_q <= '0;
      se0_q <= 1'b0;
      pre_q <= '0;
      bits_q <= '0;
      clr_q <= 1'b1;
      ge_q <= '0;
      avail_q <= '0;
      fit_q <= 1'b0;
      sofh_q <= '0;
      babble_q <= 1'b0;
    end else begin
      st_q <= st_d;
      ph_q <= ph_d;
      tok_q <= tok_d;
      addr_q <= addr_d;
      ep_q <= ep_d;
      port_q <= port_d;
      ls_q <= ls_d;
      data1_q <= data1_d;
      iso_q <= iso_d;
      len_q <= len_d;
      periodic_q <= periodic_d;
      lq_q <= lq_d;
      lr_q <= lr_d;
      worst_q <= worst_d;
      code_q <= code_d;
      rdata1_q <= rdata1_d;
      rlen_q <= rlen_d;
      cnt_q <= cnt_d;
      se0_q <= se0_d;
      pre_q <= pre_d;
      bits_q <= bits_d;
      clr_q <= (st_d != st_q);
      ge_q <= ge_d;
      avail_q <= avail_d;
      fit_q <= fit_d;
      sofh_q <= {sofh_q[0], sof_i};
      babble_q <= babble_d;
    end
  end

  // ------------------------------------------------------------------ packet layer
  wire [7:0] tx_out_data;
  wire       tx_out_ready;

  kite_pkt_tx u_tx (
    .clk           (clk),
    .rst           (rst),
    .start_i       (tx_start),
    .kind_i        (tx_kind),
    .pid_i         (tx_pid),
    .token_i       (tok_payload),
    .len_i         (len_q),
    .busy_o        (tx_busy),
    .done_o        (tx_done),
    .out_data_i    (out_data_i),
    .out_valid_i   (out_valid_i),
    .out_ready_o   (tx_out_ready),
    .utmi_data_out (tx_out_data),
    .utmi_txvalid  (utmi_txvalid),
    .utmi_txready  (utmi_txready)
  );

  kite_pkt_rx u_rx (
    .clk           (clk),
    .rst           (rst),
    .enable_i      (rx_enable),
    .deliver_i     (is_in),
    .max_len_i     (len_q),
    .utmi_data_in  (utmi_data_in),
    .utmi_rxvalid  (utmi_rxvalid),
    .utmi_rxactive (utmi_rxactive),
    .utmi_rxerror  (utmi_rxerror),
    .in_data_o     (in_data_o),
    .in_valid_o    (in_valid_o),
    .active_o      (rx_active),
    .done_o        (rx_done),
    .got_pid_o     (rx_got_pid),
    .pid_o         (rx_pid),
    .nbytes_o      (rx_nbytes),
    .delivered_o   (rx_delivered),
    .crc_ok_o      (rx_crc_ok),
    .rxerror_o     (rx_err),
    .babble_o      (rx_babble)
  );

  wire unused_tx_busy = tx_busy;

  assign utmi_data_out = tx_out_data;
  assign req_ready_o = (st_q == S_IDLE);
  assign out_ready_o = (st_q == S_DRAIN) ? 1'b1 : tx_out_ready;
  assign res_valid_o = (st_q == S_RES);
  assign res_code_o = code_q;
  assign res_len_o = rlen_q;
  assign res_data1_o = rdata1_q;
  assign port_o = port_q;
  assign owns_o = (st_q != S_IDLE) && (st_q != S_DIV) && (st_q != S_CALC) && (st_q != S_FIT) && (st_q != S_CHECK) &&
                  (st_q != S_DRAIN) && (st_q != S_RES);
  assign babble_o = babble_q;
  assign idle_o = (st_q == S_IDLE);

endmodule

`default_nettype wire
