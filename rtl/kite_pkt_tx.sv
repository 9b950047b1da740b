// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_pkt_tx: packet transmitter on a UTMI transmit port (byte level).
//
// Sends one packet per start_i pulse (ignored while busy). Byte order on UTMI (the PHY handles
// SYNC, bit order, NRZI, stuffing and EOP):
//   token      PID, token_i[7:0], token_i[15:8]    (token_i = {crc5, ep, addr} or {crc5, frame})
//   data       PID, len_i bytes from out_*, ~crc16 low byte, high byte
//   handshake  PID
// txvalid stays high from the PID to the last byte; a byte is taken in each cycle with
// txvalid && txready, and the next one is presented in the following cycle. Data bytes come
// straight from out_data_i (out_ready_o = txready in the data phase): the source must hold
// out_valid_i high for the whole packet, as kite_core guarantees. done_o pulses in the cycle the
// last byte is taken; txvalid is low from the next cycle on.

`default_nettype none

module kite_pkt_tx (
  input  wire         clk,
  input  wire         rst,                  // synchronous, active high

  input  wire         start_i,              // pulse: send a packet (ignored while busy)
  input  wire [1:0]   kind_i,               // KIND_TOKEN, KIND_DATA, KIND_HANDSHAKE
  input  wire [3:0]   pid_i,                // 4-bit PID; check bits are added here
  input  wire [15:0]  token_i,              // token payload
  input  wire [10:0]  len_i,                // data bytes (KIND_DATA), 0..1023
  output wire         busy_o,
  output wire         done_o,               // pulse: last byte taken by the PHY

  input  wire [7:0]   out_data_i,           // data stream (KIND_DATA)
  input  wire         out_valid_i,
  output wire         out_ready_o,

  output wire [7:0]   utmi_data_out,
  output wire         utmi_txvalid,
  input  wire         utmi_txready
);

  localparam logic [1:0] KIND_TOKEN = 2'd0;
  localparam logic [1:0] KIND_DATA = 2'd1;

  typedef enum logic [2:0] { T_IDLE, T_PID, T_TOK1, T_TOK2, T_DATA, T_CRC1, T_CRC2 } tstate_e;

  tstate_e     st_q, st_d;
  logic [1:0]  kind_q, kind_d;
  logic [3:0]  pid_q, pid_d;
  logic [15:0] tok_q, tok_d;
  logic [10:0] len_q, len_d;
  logic [10:0] cnt_q, cnt_d;
  logic [15:0] crc_q, crc_d;
  logic        done;
  logic [7:0]  byte_out;

  wire take = (st_q != T_IDLE) && utmi_txready;

  always_comb begin
    st_d = st_q;
    kind_d = kind_q;
    pid_d = pid_q;
    tok_d = tok_q;
    len_d = len_q;
    cnt_d = cnt_q;
    crc_d = crc_q;
    done = 1'b0;
    case (st_q)
      T_IDLE: if (start_i) begin
        st_d = T_PID;
        kind_d = kind_i;
        pid_d = pid_i;
        tok_d = token_i;
        len_d = len_i;
        cnt_d = '0;
        crc_d = 16'hFFFF;
      end
      T_PID: if (take) begin
        if (kind_q == KIND_TOKEN) begin
          st_d = T_TOK1;
        end else if (kind_q == KIND_DATA) begin
          st_d = (len_q == 11'd0) ? T_CRC1 : T_DATA;
        end else begin
          st_d = T_IDLE;
          done = 1'b1;
        end
      end
      T_TOK1: if (take) st_d = T_TOK2;
      T_TOK2: if (take) begin
        st_d = T_IDLE;
        done = 1'b1;
      end
      T_DATA: if (take) begin
        crc_d = kite_usb_pkg::crc16_byte(crc_q, out_data_i);
        cnt_d = cnt_q + 11'd1;
        if (cnt_q + 11'd1 == len_q) st_d = T_CRC1;
      end
      T_CRC1: if (take) st_d = T_CRC2;
      T_CRC2: if (take) begin
        st_d = T_IDLE;
        done = 1'b1;
      end
      default: st_d = T_IDLE;
    endcase
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      st_q <= T_IDLE;
      kind_q <= '0;
      pid_q <= '0;
      tok_q <= '0;
      len_q <= '0;
      cnt_q <= '0;
      crc_q <= 16'hFFFF;
    end else begin
      st_q <= st_d;
      kind_q <= kind_d;
      pid_q <= pid_d;
      tok_q <= tok_d;
      len_q <= len_d;
      cnt_q <= cnt_d;
      crc_q <= crc_d;
    end
  end

  always_comb begin
    case (st_q)
      T_PID:   byte_out = kite_usb_pkg::pid_byte(pid_q);
      T_TOK1:  byte_out = tok_q[7:0];
      T_TOK2:  byte_out = tok_q[15:8];
      T_DATA:  byte_out = out_data_i;
      T_CRC1:  byte_out = ~crc_q[7:0];
      T_CRC2:  byte_out = ~crc_q[15:8];
      default: byte_out = 8'h00;
    endcase
  end

  // out_valid_i is part of the contract (held high for the whole packet); it is not needed to
  // pace the transmitter (Verilator ignores signals named *unused*).
  wire unused_out_valid = out_valid_i;

  assign busy_o = (st_q != T_IDLE);
  assign done_o = done;
  assign out_ready_o = (st_q == T_DATA) && utmi_txready;
  assign utmi_data_out = byte_out;
  assign utmi_txvalid = (st_q != T_IDLE);

endmodule

`default_nettype wire
